package io.eddy.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eddy.model.DynamoException;
import io.eddy.model.TableMetadata;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * ImportTable: creates a table from TableCreationParameters (checked as CreateTable checks
 * them) and fills it with the items of an S3 bucket's objects ({@link TableImports}); answers at
 * once with the import's description, IN_PROGRESS.
 */
final class ImportTableOperation implements Operation {

    /** The members of TableCreationParameters, which are CreateTable's. */
    private static final List<String> TABLE_MEMBERS = List.of("TableName", "AttributeDefinitions", "KeySchema", "BillingMode",
            "ProvisionedThroughput", "OnDemandThroughput", "SSESpecification", "GlobalSecondaryIndexes");

    private final CreateTableOperation createTable;
    private final TableImports imports;
    private final String accountId;

    ImportTableOperation(NodeContext node, TableImports imports) {
        this.createTable = new CreateTableOperation(node);
        this.imports = imports;
        this.accountId = node.accountId();
    }

    @Override
    public CompletionStage<byte[]> handle(RequestBody request) {
        String clientToken = request.string("ClientToken");
        RequestBody source = request.struct("S3BucketSource");
        String inputFormat = request.string("InputFormat");
        String compression = request.string("InputCompressionType");
        RequestBody csv = request.struct("InputFormatOptions") == null ? null : request.struct("InputFormatOptions").struct("Csv", "CsvOptions");
        RequestBody tableParameters = request.struct("TableCreationParameters");
        Constraints c = new Constraints();
        c.notNull("clientToken", clientToken);
        c.pattern("clientToken", clientToken, "^[^\\$]+$");
        c.notNull("s3BucketSource", source);
        if (source != null) {
            String bucket = source.string("S3Bucket");
            c.notNull("s3BucketSource.s3Bucket", bucket);
            c.stringLengthAtMost("s3BucketSource.s3Bucket", bucket, 255);
            c.pattern("s3BucketSource.s3Bucket", bucket, "^[a-z0-9A-Z]+[\\.\\-\\w]*[a-z0-9A-Z]+$");
            c.pattern("s3BucketSource.s3BucketOwner", source.string("S3BucketOwner"), "[0-9]{12}");
            c.stringLengthAtMost("s3BucketSource.s3KeyPrefix", source.string("S3KeyPrefix"), 1024);
        }
        c.notNull("inputFormat", inputFormat);
        c.oneOf("inputFormat", inputFormat, List.of("DYNAMODB_JSON", "ION", "CSV"));
        c.oneOf("inputCompressionType", compression, List.of("ZSTD", "NONE", "GZIP"));
        if (csv != null) {
            String delimiter = csv.string("Delimiter");
            c.pattern("inputFormatOptions.csv.delimiter", delimiter, "[,;:|\\t ]");
            c.stringLengthAtLeast("inputFormatOptions.csv.delimiter", delimiter, 1);
            c.stringLengthAtMost("inputFormatOptions.csv.delimiter", delimiter, 1);
            List<String> headers = csv.stringList("HeaderList");
            c.lengthAtLeast("inputFormatOptions.csv.headerList", headers, 1);
            c.lengthAtMost("inputFormatOptions.csv.headerList", headers, 255);
            if (headers != null) {
                for (String header : headers) {
                    c.stringLengthAtLeast("inputFormatOptions.csv.headerList.member", header, 1);
                    c.stringLengthAtMost("inputFormatOptions.csv.headerList.member", header, 65536);
                    c.pattern("inputFormatOptions.csv.headerList.member", header, "[\\x20-\\x21\\x23-\\x2B\\x2D-\\x7E]*");
                }
            }
        }
        c.notNull("tableCreationParameters", tableParameters);
        if (tableParameters != null) {
            c.notNull("tableCreationParameters.tableName", tableParameters.string("TableName"));
            c.tableName("tableCreationParameters.tableName", tableParameters.string("TableName"));
        }
        c.throwIfAny();
        if (request.node("InputFormatOptions") != null && !"CSV".equals(inputFormat)) {
            throw DynamoException.validation("Invalid Request: Unsupported InputFormatOptions for the given input format: " + inputFormat + ".");
        }
        if ("ZSTD".equals(compression) && !ImportInput.zstdAvailable()) {
            throw DynamoException.validation("ZSTD input cannot be read on this host: zstd-jni's native library does not load here");
        }
        String prefix = source.string("S3KeyPrefix");
        if (prefix != null && prefix.startsWith("/")) {
            throw DynamoException.validation("S3KeyPrefix may not start with '/': in Eddy a bucket is a directory");
        }

        ObjectNode createTableRequest = Json.MAPPER.createObjectNode();
        for (String member : TABLE_MEMBERS) {
            JsonNode value = request.node("TableCreationParameters").get(member);
            if (value != null) createTableRequest.set(member, value);
        }
        TableMetadata table = createTable.parse(new RequestBody(createTableRequest));
        ObjectNode described = Json.MAPPER.createObjectNode();
        described.put("ClientToken", clientToken);
        // DynamoDB describes the bucket's owner, the caller's account unless the request names another.
        ObjectNode bucketSource = described.putObject("S3BucketSource");
        bucketSource.put("S3BucketOwner", accountId);
        bucketSource.setAll((ObjectNode) request.node("S3BucketSource"));
        described.put("InputFormat", inputFormat);
        if (request.node("InputFormatOptions") != null) described.set("InputFormatOptions", request.node("InputFormatOptions"));
        described.put("InputCompressionType", compression == null ? "NONE" : compression);
        described.set("TableCreationParameters", request.node("TableCreationParameters"));
        ObjectNode started = imports.start(table, described, createTableRequest);
        return CompletableFuture.completedFuture(Json.object(g -> {
            g.writeFieldName("ImportTableDescription");
            g.writeTree(started);
        }));
    }
}
