package io.eddy.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eddy.model.DynamoException;
import io.eddy.model.ErrorCode;
import io.eddy.model.TableMetadata;
import io.eddy.shards.CatalogEventSerializer;
import io.eddy.streams.PointInTimeItems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Table exports (ExportTableToPointInTime): the items a table held at a moment of its
 * point-in-time recovery window, written in DynamoDB's export layout ({@link ExportFiles}) to an
 * S3 bucket, which for Eddy is a directory of {@code eddy.s3-directory}. An export answers at once,
 * IN_PROGRESS, and runs in the background; its description is kept under {@code exports/} in the
 * data directory, and one a stop or crash interrupts starts over at the next start.
 */
final class TableExports {

    private static final Logger log = LoggerFactory.getLogger(TableExports.class);

    /**
     * What a request asked for, kept to compare a repeated ClientToken's request with; ExportTime
     * as a plain decimal of seconds, null if not given.
     */
    record Request(String tableArn, String clientToken, String bucket, String bucketOwner, String prefix, String sseAlgorithm,
                   String kmsKeyId, String format, String exportType, String exportTime, String exportFromTime, String exportToTime,
                   String exportViewType) {
        /** With the defaults filled in: a request that names a default asks for the same as one that leaves it out. */
        Request normalized() {
            return new Request(tableArn, clientToken, bucket, bucketOwner, prefix, sseAlgorithm == null ? "AES256" : sseAlgorithm,
                    kmsKeyId, format == null ? "DYNAMODB_JSON" : format, exportType == null ? "FULL_EXPORT" : exportType, exportTime,
                    exportFromTime, exportToTime, exportViewType == null && exportFromTime != null ? "NEW_AND_OLD_IMAGES" : exportViewType);
        }
    }

    /** An incremental export's period, in epoch microseconds (from inclusive, to exclusive), and its view type. */
    record Period(long fromMicros, long toMicros, String viewType) {}

    /** An export's ARN as DynamoDB forms it: the table's, then {@code /export/<14-digit epoch ms>-<8 hex>}. */
    static final Pattern EXPORT_ARN = Pattern.compile("arn:[a-z-]+:[a-z0-9-]+:[^:]+:[0-9]{12}:table/[a-zA-Z0-9_.-]{3,255}/export/[0-9]{14}-[0-9a-f]{8}");

    private static final long INCREMENTAL_MINIMUM_BILLED = 10_000_000;
    /** How long after its export ends a ClientToken keeps naming it, as DynamoDB's do. */
    /** How long after its job ended a ClientToken still names it (ExportTableToPointInTime's and ImportTable's). */
    static final java.time.Duration TOKEN_VALIDITY = java.time.Duration.ofHours(8);

    private final NodeContext node;
    private final PointInTimeItems pointInTime;
    private final Path buckets;
    private final DescriptionRecords exports;
    private final BackgroundJobs io = new BackgroundJobs("eddy-exports");

    TableExports(NodeContext node, Path dataDir, Path buckets, PointInTimeItems pointInTime) {
        this.node = node;
        this.pointInTime = pointInTime;
        this.buckets = buckets;
        this.exports = new DescriptionRecords(dataDir.resolve("exports"), record -> EXPORT_ARN.matcher(record.path("ExportArn").asText()).matches()
                && isUuid(record.path("TableId").asText()), log);
    }

    /** Whether a record's TableId is one. */
    static boolean isUuid(String text) {
        try {
            UUID.fromString(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The directory that stands for the bucket named {@code bucket}. */
    Path bucket(String bucket) {
        return buckets.resolve(bucket);
    }

    /**
     * The export of {@code table} at {@code timeMicros} that {@code request} asks for: a new one,
     * IN_PROGRESS, or the one an earlier request with the same ClientToken started.
     */
    ObjectNode start(TableMetadata table, Instant now, long timeMicros, Request request) {
        return start(table, now, timeMicros, null, request);
    }

    /** An incremental export of {@code table}'s changes in {@code period}, or the earlier one with the request's ClientToken. */
    ObjectNode startIncremental(TableMetadata table, Instant now, Period period, Request request) {
        // DynamoDB's incremental exports start on a whole second (their ids end in 000).
        return start(table, now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS), period.toMicros(), period, request);
    }

    private ObjectNode start(TableMetadata table, Instant now, long timeMicros, Period period, Request request) {
        synchronized (this) {
            Optional<ObjectNode> earlier = earlier(request, table);
            if (earlier.isPresent()) return earlier.get();
            String id = String.format("%014d", now.toEpochMilli()) + "-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
            ObjectNode export = Json.MAPPER.createObjectNode();
            export.put("ExportArn", node.tableArn(table) + "/export/" + id);
            export.put("ExportStatus", "IN_PROGRESS");
            export.put("StartTime", Json.epochSeconds(now.toEpochMilli()));
            export.put("TableArn", node.tableArn(table));
            export.put("TableId", table.id().toString());
            if (period == null) {
                export.put("ExportTime", java.math.BigDecimal.valueOf(timeMicros, 6));
            }
            // DynamoDB makes one up for a request without.
            export.put("ClientToken", request.clientToken() != null ? request.clientToken() : UUID.randomUUID().toString());
            export.put("S3Bucket", request.bucket());
            putIfPresent(export, "S3BucketOwner", request.bucketOwner());
            putIfPresent(export, "S3Prefix", request.prefix());
            export.put("S3SseAlgorithm", request.sseAlgorithm() == null ? "AES256" : request.sseAlgorithm());
            putIfPresent(export, "S3SseKmsKeyId", request.kmsKeyId());
            export.put("ExportFormat", request.normalized().format());
            // FULL_EXPORT when the request names none (ScyllaDB's tests, run against DynamoDB).
            export.put("ExportType", request.exportType() == null ? "FULL_EXPORT" : request.exportType());
            if (period != null) {
                ObjectNode specification = export.putObject("IncrementalExportSpecification");
                specification.put("ExportFromTime", java.math.BigDecimal.valueOf(period.fromMicros(), 6));
                specification.put("ExportToTime", java.math.BigDecimal.valueOf(period.toMicros(), 6));
                specification.put("ExportViewType", period.viewType());
                export.put("ExportFromMicros", period.fromMicros());
            }
            export.put("ExportTimeMicros", timeMicros);
            export.set("Request", requestJson(request));
            // The table as it is now, for a resumed export of a table deleted since (the catalog forgets it).
            export.put("EddyTable", CatalogEventSerializer.tableBytes(table));
            node.shards().tables().holdHistory(table.id());
            if (node.shards().tables().findById(table.id()).isEmpty()) {
                // Deleted since it was looked up, before the hold: its items may be going.
                node.shards().tables().releaseHistory(table.id());
                throw new DynamoException(ErrorCode.TableNotFoundException, "Table not found: " + request.tableArn());
            }
            try {
                exports.save(id, export);
            } catch (RuntimeException e) {
                node.shards().tables().releaseHistory(table.id());
                throw e;
            }
            io.execute(() -> run(id, Optional.of(table)));
            return visible(export);
        }
    }

    /**
     * The export an earlier request with the request's ClientToken started, if the requests are
     * the same (ExportConflictException if not): answered whatever has happened since, as DynamoDB
     * answers a repeat even once its time has left the recovery window; but not an export of an
     * earlier table of that name, nor one that ended more than 8 hours ago.
     */
    Optional<ObjectNode> earlier(Request request, TableMetadata table) {
        if (request.clientToken() == null) return Optional.empty();
        long now = System.currentTimeMillis();
        // A token names an export for 8 hours after it ended: of another table (a conflict, as DynamoDB
        // answers it), or of the table of that ARN now, but not of one of that name deleted since.
        Optional<ObjectNode> earlier = exports.all().stream()
                .filter(export -> request.clientToken().equals(export.path("ClientToken").asText(null)))
                .filter(export -> export.path("TableId").asText().equals(table.id().toString())
                        || !export.path("TableArn").asText().equals(node.tableArn(table)))
                .filter(export -> tokenStillNames(export, now))
                .max(Comparator.comparing((ObjectNode export) -> exportId(export.path("ExportArn").asText())));
        if (earlier.isPresent() && !earlier.get().path("Request").equals(requestJson(request))) {
            throw new DynamoException(ErrorCode.ExportConflictException, "Export conflict: Duplicate request detected with conflicting parameters");
        }
        return earlier.map(TableExports::visible);
    }

    /** The export's description as DescribeExport shows it. */
    Optional<ObjectNode> find(String exportArn) {
        ObjectNode export = exports.get(exportId(exportArn));
        return export != null && export.path("ExportArn").asText().equals(exportArn) ? Optional.of(visible(export)) : Optional.empty();
    }

    /**
     * Every export (of the table with that ARN, if not null: the table now of that name, not an
     * earlier one), newest first.
     */
    List<ObjectNode> list(String tableArn) {
        Optional<String> tableId = tableArn == null ? Optional.empty()
                : Optional.of(tableNamed(tableArn).map(table -> table.id().toString()).orElse(""));
        return exports.all().stream()
                .filter(export -> tableId.isEmpty() || export.path("TableId").asText().equals(tableId.get()))
                .sorted(Comparator.comparing((ObjectNode export) -> exportId(export.path("ExportArn").asText())).reversed())
                .map(TableExports::visible)
                .toList();
    }

    /** Starts over the exports a stop or crash interrupted (after the catalog has recovered, before journal trimming runs). */
    void resume() {
        for (ObjectNode export : exports.all()) {
            if (!export.path("ExportStatus").asText().equals("IN_PROGRESS")) continue;
            String id = exportId(export.path("ExportArn").asText());
            try {
                node.shards().tables().holdHistory(UUID.fromString(export.path("TableId").asText()));
            } catch (IllegalArgumentException e) {
                log.error("Cannot resume export {}: its record names no table", id);
                continue;
            }
            Optional<TableMetadata> known;
            try {
                known = Optional.of(CatalogEventSerializer.table(export.path("EddyTable").binaryValue()));
            } catch (java.io.IOException | RuntimeException e) {
                known = Optional.empty(); // a record from before the table was kept: a live table is still found
            }
            Optional<TableMetadata> table = known;
            io.execute(() -> run(id, table));
        }
    }

    /** At shutdown: interrupts the exports that run; each carries on at the next start. */
    void stop() {
        io.stop();
    }

    /**
     * Writes the export's files, then records it COMPLETED, or FAILED with why. {@code known} is
     * the table as the request found it: one deleted since is still read, its history held.
     */
    private void run(String id, Optional<TableMetadata> known) {
        ObjectNode export = exports.get(id);
        UUID tableId = UUID.fromString(export.path("TableId").asText());
        ExportFiles files = null;
        try {
            Path bucket = bucket(export.path("S3Bucket").asText());
            if (!Files.isDirectory(bucket)) {
                exports.saveEnd(id, failed(export, "S3NoSuchBucket",
                        "The specified bucket does not exist (Service: Amazon S3; Status Code: 404; Error Code: NoSuchBucket)"));
                return;
            }
            long timeMicros = export.path("ExportTimeMicros").asLong();
            PointInTimeItems.awaitSettled(timeMicros);
            TableMetadata table = node.shards().tables().findById(tableId)
                    .or(() -> node.shards().tables().retired().stream().filter(retired -> retired.id().equals(tableId)).findFirst())
                    .or(() -> known)
                    .orElseThrow(() -> new PointInTimeItems.HistoryUnavailable("the table was deleted"));
            String prefix = export.path("S3Prefix").asText(null);
            if (export.has("ExportFromMicros")) {
                ExportFiles changes = ExportFiles.startIncremental(bucket, prefix, id);
                files = changes;
                boolean oldImages = export.path("IncrementalExportSpecification").path("ExportViewType").asText().equals("NEW_AND_OLD_IMAGES");
                pointInTime.forEachChange(table, export.path("ExportFromMicros").asLong(), timeMicros,
                        change -> changes.writeChange(change, oldImages, table.keySchema()));
            } else {
                files = ExportFiles.start(bucket, prefix, id, export.path("ExportFormat").asText());
                pointInTime.forEach(table, timeMicros, files::write);
            }
            ObjectNode completed = export.deepCopy();
            completed.put("ExportStatus", "COMPLETED");
            completed.put("EndTime", Json.epochSeconds(System.currentTimeMillis()));
            completed.put("ItemCount", files.itemCount());
            // DynamoDB bills an incremental export for 10 MB at least.
            completed.put("BilledSizeBytes", export.has("ExportFromMicros") ? Math.max(INCREMENTAL_MINIMUM_BILLED, files.billedBytes())
                    : files.billedBytes());
            completed.put("ExportManifest", files.finish(visible(completed)));
            exports.saveEnd(id, completed);
            log.info("Exported table {} ({} items) to {}", table.name(), files.itemCount(), bucket);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // stopping: the export starts over at the next start
        } catch (Throwable e) {
            if (io.stopping()) return;
            if (e instanceof PointInTimeItems.HistoryUnavailable) {
                exports.saveEnd(id, failed(export, "UNKNOWN", "The table's history at the export time is no longer there: " + e.getMessage()));
                return;
            }
            log.error("Export {} failed", id, e);
            exports.saveEnd(id, failed(export, "UNKNOWN", "The export could not be written: " + e.getMessage()));
        } finally {
            if (files != null) files.close();
            // At a stop the hold stays: the trimmer may still run a pass, and the next start resumes the export.
            if (!io.stopping()) node.shards().tables().releaseHistory(tableId);
        }
    }

    private static ObjectNode requestJson(Request request) {
        return Json.MAPPER.valueToTree(request.normalized());
    }

    /** The description without what Eddy keeps for itself. */
    private static ObjectNode visible(ObjectNode export) {
        ObjectNode copy = export.deepCopy();
        copy.remove(List.of("ExportTimeMicros", "ExportFromMicros", "Request", "EddyTable"));
        return copy;
    }

    private static ObjectNode failed(ObjectNode export, String code, String message) {
        ObjectNode failed = export.deepCopy();
        failed.put("ExportStatus", "FAILED");
        failed.put("EndTime", Json.epochSeconds(System.currentTimeMillis()));
        failed.put("FailureCode", code);
        failed.put("FailureMessage", message);
        return failed;
    }

    private static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null) node.put(field, value);
    }

    /**
     * The table of this account a table ARN names; as DynamoDB does, the region in it is not
     * looked at (the table is this endpoint's region's). Empty for an ARN that names no table.
     */
    Optional<TableMetadata> tableNamed(String tableArn) {
        return TableArns.Parts.of(tableArn).filter(parts -> parts.ours(node.accountId()))
                .flatMap(TableArns.Parts::tableName)
                .flatMap(name -> node.shards().tables().find(name));
    }

    /** Whether a job's ClientToken still names it at {@code nowMillis}: while it runs, and {@link #TOKEN_VALIDITY} after it ended. */
    static boolean tokenStillNames(JsonNode job, long nowMillis) {
        return !job.has("EndTime") || Json.epochMillis(job.path("EndTime")) + TOKEN_VALIDITY.toMillis() > nowMillis;
    }

    /** The id at the end of an export ARN ({@code .../export/<id>}). */
    static String exportId(String exportArn) {
        return exportArn.substring(exportArn.lastIndexOf('/') + 1);
    }
}
