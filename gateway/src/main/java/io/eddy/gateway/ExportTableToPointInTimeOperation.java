package io.eddy.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.eddy.model.DynamoException;
import io.eddy.model.ErrorCode;
import io.eddy.model.TableMetadata;
import io.eddy.model.TableOptions;
import io.eddy.model.TableStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * ExportTableToPointInTime: starts a full export of a table with point-in-time recovery, as it
 * was at ExportTime (now if not given), to an S3 bucket ({@link TableExports}); answers at once
 * with the export's description, IN_PROGRESS.
 */
final class ExportTableToPointInTimeOperation implements Operation {

    private final NodeContext node;
    private final TableExports exports;

    ExportTableToPointInTimeOperation(NodeContext node, TableExports exports) {
        this.node = node;
        this.exports = exports;
    }

    @Override
    public CompletionStage<byte[]> handle(RequestBody request) {
        String tableArn = request.string("TableArn");
        String bucket = request.string("S3Bucket");
        String bucketOwner = request.string("S3BucketOwner");
        String prefix = request.string("S3Prefix");
        String sseAlgorithm = request.string("S3SseAlgorithm");
        String kmsKeyId = request.string("S3SseKmsKeyId");
        String format = request.string("ExportFormat");
        String exportType = request.string("ExportType");
        String clientToken = request.string("ClientToken");
        JsonNode exportTime = request.node("ExportTime");
        Constraints c = new Constraints();
        c.notNull("tableArn", tableArn);
        c.stringLengthAtMost("tableArn", tableArn, 1024);
        c.notNull("s3Bucket", bucket);
        c.stringLengthAtMost("s3Bucket", bucket, 255);
        c.pattern("s3Bucket", bucket, "^[a-z0-9A-Z]+[\\.\\-\\w]*[a-z0-9A-Z]+$");
        c.pattern("s3BucketOwner", bucketOwner, "[0-9]{12}");
        c.stringLengthAtLeast("s3Prefix", prefix, 1);
        c.stringLengthAtMost("s3Prefix", prefix, 1024);
        c.oneOf("s3SseAlgorithm", sseAlgorithm, List.of("AES256", "KMS"));
        c.stringLengthAtLeast("s3SseKmsKeyId", kmsKeyId, 1);
        c.stringLengthAtMost("s3SseKmsKeyId", kmsKeyId, 2048);
        c.oneOf("exportFormat", format, List.of("ION", "DYNAMODB_JSON"));
        c.oneOf("exportType", exportType, List.of("FULL_EXPORT", "INCREMENTAL_EXPORT"));
        c.pattern("clientToken", clientToken, "^[^\\$]+$");
        c.throwIfAny();
        if (exportTime != null && !exportTime.isNumber()) {
            throw DynamoException.serialization("ExportTime must be a timestamp in epoch seconds");
        }
        if (exportTime != null && !Double.isFinite(exportTime.doubleValue())) {
            throw DynamoException.serialization("NUMBER_VALUE cannot be converted to Timestamp");
        }
        if (kmsKeyId != null && !"KMS".equals(sseAlgorithm)) {
            throw DynamoException.validation("Invalid Request: KMS Key Id is not supported for this encryption type");
        }
        if (request.node("IncrementalExportSpecification") != null && !"INCREMENTAL_EXPORT".equals(exportType)) {
            throw DynamoException.validation(exportType == null
                    ? "Invalid Request: Export Type expected to be Incremental Export when incremental export specification is provided"
                    : "Invalid Request: When Export Type is Full Export , Incremental Export Specification should not be provided");
        }
        if ("INCREMENTAL_EXPORT".equals(exportType)) {
            throw DynamoException.validation("Eddy does not do incremental exports yet; ExportType must be FULL_EXPORT");
        }
        if ("ION".equals(format)) {
            throw DynamoException.validation("Eddy does not write ION exports yet; ExportFormat must be DYNAMODB_JSON");
        }
        if (prefix != null && (prefix.startsWith("/") || List.of(prefix.split("/")).contains(".."))) {
            throw DynamoException.validation("S3Prefix may not start with '/' or hold a '..' segment: in Eddy a bucket is a directory");
        }

        TableMetadata table = table(tableArn);
        TableOptions.PointInTimeRecovery recovery = table.options().pointInTimeRecovery();
        if (recovery == null) {
            throw new DynamoException(ErrorCode.PointInTimeRecoveryUnavailableException,
                    "Point in time recovery is not enabled for table '" + table.name() + "'");
        }
        Instant now = Instant.now();
        long nowMicros = TableStream.micros(now);
        long earliestMicros = recovery.earliestRestorableMicros(nowMicros / 1000);
        // Without ExportTime: now, to the millisecond, as StartTime shows it.
        BigDecimal requested = exportTime == null ? BigDecimal.valueOf(nowMicros / 1000 * 1000) : exportTime.decimalValue().movePointRight(6);
        if (requested.compareTo(BigDecimal.valueOf(earliestMicros)) < 0 || requested.compareTo(BigDecimal.valueOf(nowMicros)) > 0) {
            throw new DynamoException(ErrorCode.InvalidExportTimeException, "Export Time is invalid");
        }
        long timeMicros = requested.setScale(0, RoundingMode.HALF_UP).longValueExact();
        var export = exports.start(table, now, timeMicros, new TableExports.Request(tableArn, clientToken, bucket, bucketOwner, prefix,
                sseAlgorithm, kmsKeyId, format, exportType,
                exportTime == null ? null : exportTime.decimalValue().stripTrailingZeros().toPlainString()));
        return CompletableFuture.completedFuture(Json.object(g -> {
            g.writeFieldName("ExportDescription");
            g.writeTree(export);
        }));
    }

    /** The table a TableArn names, with DynamoDB's refusals of what is not a table's ARN of this account. */
    private TableMetadata table(String tableArn) {
        if (tableArn.isBlank()) throw DynamoException.validation("Invalid TableArn: Invalid Table ARN");
        if (!TableArns.isArn(tableArn)) {
            throw DynamoException.validation("One or more parameter values were invalid: tableArn is not a valid ARN");
        }
        String[] parts = tableArn.split(":", 6);
        if (parts.length < 6 || !parts[2].equals("dynamodb") || !parts[5].startsWith("table/")
                || parts[5].indexOf('/', "table/".length()) >= 0) {
            throw DynamoException.validation("Invalid Request: Table ARN is invalid.");
        }
        if (!parts[1].equals("aws") || !parts[4].equals(node.accountId())) {
            throw new DynamoException(ErrorCode.AccessDeniedException, "Access is denied");
        }
        return exports.tableNamed(tableArn)
                .orElseThrow(() -> new DynamoException(ErrorCode.TableNotFoundException, "Table not found: " + tableArn));
    }
}
