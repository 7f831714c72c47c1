package io.eddy.gateway;

import io.eddy.model.DynamoException;
import io.eddy.model.ErrorCode;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** DescribeExport: an export's description, IN_PROGRESS until its files are written. */
final class DescribeExportOperation implements Operation {

    private final NodeContext node;
    private final TableExports exports;

    DescribeExportOperation(NodeContext node, TableExports exports) {
        this.node = node;
        this.exports = exports;
    }

    @Override
    public CompletionStage<byte[]> handle(RequestBody request) {
        String arn = request.string("ExportArn");
        Constraints c = new Constraints();
        c.notNull("exportArn", arn);
        c.stringLengthAtLeast("exportArn", arn, 37);
        c.stringLengthAtMost("exportArn", arn, 1024);
        c.throwIfAny();
        // Another account's ARN is refused whatever its shape (ScyllaDB's tests, run against DynamoDB: an account "qwerty").
        String[] fields = arn.split(":", 6);
        if (fields.length > 4 && !fields[4].isEmpty() && !fields[4].equals(node.accountId())) throw new DynamoException(ErrorCode.AccessDeniedException, "Access is denied");
        if (!TableExports.EXPORT_ARN.matcher(arn).matches()) throw DynamoException.validation("Invalid Export ARN");
        TableArns.Parts parts = TableArns.Parts.of(arn).orElseThrow();
        if (!parts.region().equals(node.region())) {
            throw new DynamoException(ErrorCode.ExportNotFoundException, "Export not found: Invalid export arn");
        }
        // DynamoDB's message repeats its first words.
        var export = exports.find(arn)
                .orElseThrow(() -> new DynamoException(ErrorCode.ExportNotFoundException, "Export not found: Export not found: " + arn));
        return CompletableFuture.completedFuture(Json.object(g -> {
            g.writeFieldName("ExportDescription");
            g.writeTree(export);
        }));
    }
}
