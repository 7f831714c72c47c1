package io.eddy.gateway;

import io.eddy.model.DynamoException;
import io.eddy.model.ErrorCode;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** DescribeImport: an import's description, IN_PROGRESS until its objects are read and its table ACTIVE. */
final class DescribeImportOperation implements Operation {

    private final NodeContext node;
    private final TableImports imports;

    DescribeImportOperation(NodeContext node, TableImports imports) {
        this.node = node;
        this.imports = imports;
    }

    @Override
    public CompletionStage<byte[]> handle(RequestBody request) {
        String arn = request.string("ImportArn");
        Constraints c = new Constraints();
        c.notNull("importArn", arn);
        c.stringLengthAtLeast("importArn", arn, 37);
        c.stringLengthAtMost("importArn", arn, 1024);
        c.throwIfAny();
        if (!TableImports.IMPORT_ARN.matcher(arn).matches()) throw DynamoException.validation("Invalid Import ARN");
        TableArns.Parts parts = TableArns.Parts.of(arn).orElseThrow();
        if (!parts.ours(node.accountId())) throw new DynamoException(ErrorCode.AccessDeniedException, "Access is denied");
        var description = imports.find(arn)
                .orElseThrow(() -> new DynamoException(ErrorCode.ImportNotFoundException, "The specified import was not found: " + arn));
        return CompletableFuture.completedFuture(Json.object(g -> {
            g.writeFieldName("ImportTableDescription");
            g.writeTree(description);
        }));
    }
}
