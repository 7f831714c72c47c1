package io.eddy.gateway;

import io.eddy.model.DynamoException;
import io.eddy.model.ErrorCode;
import io.eddy.model.TableMetadata;
import io.eddy.model.TableOptions;
import io.eddy.model.TableStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * ExportTableToPointInTime: starts a full export of a table with point-in-time recovery, as it
 * was at ExportTime (now if not given), or an incremental export of its changes in a period, to
 * an S3 bucket ({@link TableExports}); answers at once with the export's description, IN_PROGRESS.
 */
final class ExportTableToPointInTimeOperation implements Operation {

    private final NodeContext node;
    private final TableExports exports;
    /** The shortest period of an incremental export: DynamoDB's 15 minutes, shorter only in tests. */
    private final Duration minimumPeriod;

    ExportTableToPointInTimeOperation(NodeContext node, TableExports exports, Duration minimumPeriod) {
        this.node = node;
        this.exports = exports;
        this.minimumPeriod = minimumPeriod;
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
        BigDecimal exportTime = request.timestamp("ExportTime");
        RequestBody incremental = request.struct("IncrementalExportSpecification");
        String viewType = incremental == null ? null : incremental.string("ExportViewType");
        BigDecimal fromTime = incremental == null ? null : incremental.timestamp("ExportFromTime");
        BigDecimal toTime = incremental == null ? null : incremental.timestamp("ExportToTime");
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
        c.oneOf("incrementalExportSpecification.exportViewType", viewType, List.of("NEW_IMAGE", "NEW_AND_OLD_IMAGES"));
        c.throwIfAny();
        if (kmsKeyId != null && !"KMS".equals(sseAlgorithm)) {
            throw DynamoException.validation("Invalid Request: KMS Key Id is not supported for this encryption type");
        }
        if (incremental != null && !"INCREMENTAL_EXPORT".equals(exportType)) {
            throw DynamoException.validation(exportType == null
                    ? "Invalid Request: Export Type expected to be Incremental Export when incremental export specification is provided"
                    : "Invalid Request: When Export Type is Full Export , Incremental Export Specification should not be provided");
        }
        if ("INCREMENTAL_EXPORT".equals(exportType) && incremental == null) {
            throw DynamoException.validation("Invalid Request: Incremental Export Specification expected when export type is set as Incremental Export");
        }
        if (incremental != null && fromTime == null) {
            throw DynamoException.validation("Invalid Request: ExportFromTime must be provided in IncrementalExportSpecification");
        }
        if (incremental != null && "ION".equals(format)) {
            throw DynamoException.validation("Eddy writes incremental exports in DYNAMODB_JSON only; ExportFormat must be DYNAMODB_JSON");
        }
        if (prefix != null && (prefix.startsWith("/") || List.of(prefix.split("/")).contains(".."))) {
            throw DynamoException.validation("S3Prefix may not start with '/' or hold a '..' segment: in Eddy a bucket is a directory");
        }

        TableMetadata table = table(tableArn);
        TableOptions.PointInTimeRecovery recovery = table.options().pointInTimeRecovery();
        TableExports.Request asked = new TableExports.Request(tableArn, clientToken, bucket, bucketOwner, prefix, sseAlgorithm, kmsKeyId,
                format, exportType, seconds(exportTime), seconds(fromTime), seconds(toTime), viewType);
        Optional<com.fasterxml.jackson.databind.node.ObjectNode> repeated = exports.earlier(asked, table);
        if (repeated.isPresent()) return described(repeated.get());
        if (incremental != null) {
            Instant now = Instant.now();
            TableExports.Period period = period(recovery, fromTime, toTime, viewType, now);
            return described(exports.startIncremental(table, now, period, asked));
        }
        if (recovery == null) {
            throw new DynamoException(ErrorCode.PointInTimeRecoveryUnavailableException,
                    "Point in time recovery is not enabled for table '" + table.name() + "'");
        }
        Instant now = Instant.now();
        long nowMicros = TableStream.micros(now);
        long earliestMicros = recovery.earliestRestorableMicros(nowMicros / 1000);
        // Without ExportTime: now, to the millisecond, as StartTime shows it.
        BigDecimal requested = exportTime == null ? BigDecimal.valueOf(nowMicros / 1000 * 1000) : exportTime.movePointRight(6);
        if (requested.compareTo(BigDecimal.valueOf(earliestMicros)) < 0 || requested.compareTo(BigDecimal.valueOf(nowMicros)) > 0) {
            throw new DynamoException(ErrorCode.InvalidExportTimeException, "Export Time is invalid");
        }
        long timeMicros = requested.setScale(0, RoundingMode.HALF_UP).longValueExact();
        return described(exports.start(table, now, timeMicros, asked));
    }

    private static CompletionStage<byte[]> described(com.fasterxml.jackson.databind.node.ObjectNode export) {
        return CompletableFuture.completedFuture(Json.object(g -> {
            g.writeFieldName("ExportDescription");
            g.writeTree(export);
        }));
    }

    /** A timestamp as a plain decimal of seconds, to compare requests by; null if not given. */
    private static String seconds(BigDecimal time) {
        return time == null ? null : time.stripTrailingZeros().toPlainString();
    }

    /**
     * An incremental export's period, with DynamoDB's checks in DynamoDB's order (all
     * InvalidExportTimeException): from within the recovery window and not after to, at most 24
     * hours; at least the minimum period (15 minutes in DynamoDB); to not in the future (now if
     * not given).
     */
    private TableExports.Period period(TableOptions.PointInTimeRecovery recovery, BigDecimal fromTime, BigDecimal toTime, String viewType,
                                       Instant now) {
        long nowMicros = TableStream.micros(now);
        long fromMicros = micros(fromTime);
        long toMicros = toTime == null ? nowMicros : micros(toTime);
        long earliest = recovery == null ? Long.MAX_VALUE : recovery.earliestRestorableMicros(nowMicros / 1000);
        if (fromMicros < earliest || fromMicros > toMicros || toMicros - fromMicros > Duration.ofHours(24).toNanos() / 1000) {
            throw new DynamoException(ErrorCode.InvalidExportTimeException,
                    "Incremental export period from time cannot be less than the table creation time : " + wholeSeconds(fromMicros));
        }
        if (toMicros - fromMicros < minimumPeriod.toNanos() / 1000) {
            throw new DynamoException(ErrorCode.InvalidExportTimeException,
                    "Difference between export period from time and export period to time is less than 15 minutes");
        }
        if (toMicros > nowMicros) {
            throw new DynamoException(ErrorCode.InvalidExportTimeException,
                    "Incremental export period to time cannot be greater than the current time : " + wholeSeconds(toMicros));
        }
        return new TableExports.Period(fromMicros, toMicros, viewType == null ? "NEW_AND_OLD_IMAGES" : viewType);
    }

    private static long micros(BigDecimal time) {
        BigDecimal micros = time.movePointRight(6).setScale(0, RoundingMode.HALF_UP);
        // Out of any period's reach either way; clamped so the comparisons above refuse it.
        return micros.max(BigDecimal.valueOf(Long.MIN_VALUE / 2)).min(BigDecimal.valueOf(Long.MAX_VALUE / 2)).longValueExact();
    }

    private static String wholeSeconds(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000)).toString();
    }

    /** The table a TableArn names, with DynamoDB's refusals of what is not a table's ARN of this account. */
    private TableMetadata table(String tableArn) {
        if (tableArn.isBlank()) throw DynamoException.validation("Invalid TableArn: Invalid Table ARN");
        if (!TableArns.isArn(tableArn)) {
            throw DynamoException.validation("One or more parameter values were invalid: tableArn is not a valid ARN");
        }
        TableArns.Parts parts = TableArns.Parts.of(tableArn).filter(arn -> arn.service().equals("dynamodb"))
                .filter(arn -> arn.tableName().isPresent())
                .orElseThrow(() -> DynamoException.validation("Invalid Request: Table ARN is invalid."));
        if (!parts.ours(node.accountId())) throw new DynamoException(ErrorCode.AccessDeniedException, "Access is denied");
        return exports.tableNamed(tableArn)
                .orElseThrow(() -> new DynamoException(ErrorCode.TableNotFoundException, "Table not found: " + tableArn));
    }
}
