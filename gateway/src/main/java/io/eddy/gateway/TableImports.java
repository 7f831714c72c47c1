package io.eddy.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eddy.model.DynamoException;
import io.eddy.model.ErrorCode;
import io.eddy.model.TableMetadata;
import io.eddy.persistence.ItemStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
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
 * Table imports (ImportTable): a new table, CREATING, filled with the items of an S3 bucket's
 * objects ({@link ImportInput}), where a bucket is a directory of {@code eddy.s3-directory}; ACTIVE
 * once they are written. An import answers at once, IN_PROGRESS, with its table's ARN and id; the
 * rest happens in the background, in phases its record (under {@code imports/} in the data
 * directory) keeps, so that a stop or crash resumes it at the next start without creating its
 * table twice or reading its objects into a table that is already in use:
 * <ol>
 *   <li>{@code started}: the bucket is checked (missing: FAILED, no table), the table created;
 *   <li>{@code created}: the objects are read into it (again from the start after a stop);
 *   <li>{@code loaded}: the counts are kept; the table is made ACTIVE and the import ended.
 * </ol>
 */
final class TableImports {

    private static final Logger log = LoggerFactory.getLogger(TableImports.class);

    /** An import's ARN as DynamoDB forms it: its table's, then {@code /import/<14-digit epoch ms>-<8 hex>}. */
    static final Pattern IMPORT_ARN = Pattern.compile("arn:[a-z-]+:[a-z0-9-]+:[^:]+:[0-9]{12}:table/[a-zA-Z0-9_.-]{3,255}/import/[0-9]{14}-[0-9a-f]{8}");
    /** What Eddy keeps in a record besides the description: the phase, the CreateTable request, the counts once loaded. */
    private static final List<String> INTERNAL = List.of("Phase", "CreateTable", "Loaded");

    private final NodeContext node;
    private final TableLoading loading;
    private final TableExports exports;
    private final DescriptionRecords imports;
    private final BackgroundJobs io = new BackgroundJobs("eddy-imports");
    /** Timeouts each running import has met so far (from its start on this node). */
    private final java.util.Map<String, Integer> timeouts = new java.util.concurrent.ConcurrentHashMap<>();

    TableImports(NodeContext node, Path dataDir, TableExports exports, ItemStore itemStore) {
        this.node = node;
        this.loading = new TableLoading(node, itemStore);
        this.exports = exports;
        this.imports = new DescriptionRecords(dataDir.resolve("imports"), record -> IMPORT_ARN.matcher(record.path("ImportArn").asText()).matches()
                && TableExports.isUuid(record.path("TableId").asText()), log);
    }

    /**
     * Starts importing into {@code table} (parsed from the request's TableCreationParameters, not
     * yet created), or answers the import an earlier request with the same ClientToken started.
     * {@code described} is the request's echo: ClientToken, S3BucketSource, InputFormat,
     * InputFormatOptions, InputCompressionType, TableCreationParameters.
     */
    ObjectNode start(TableMetadata table, ObjectNode described, ObjectNode createTableRequest) {
        synchronized (this) {
            String token = described.path("ClientToken").asText();
            long now = System.currentTimeMillis();
            // A token names its import until 8 hours after it ended; after that a request with it is a new one.
            Optional<ObjectNode> earlier = imports.all().stream()
                    .filter(record -> record.path("ClientToken").asText().equals(token))
                    .filter(record -> TableExports.tokenStillNames(record, now))
                    .findFirst();
            boolean sameTable = earlier.isPresent()
                    && earlier.get().path("TableCreationParameters").path("TableName").asText().equals(table.name());
            // A repeat while the import runs is answered with it; once it is done, its table is there (checked first).
            if (sameTable && earlier.get().path("ImportStatus").asText().equals("IN_PROGRESS")) return visible(earlier.get());
            if (node.shards().tables().find(table.name()).isPresent()) {
                throw new DynamoException(ErrorCode.ResourceInUseException, "Table already exists: " + table.name());
            }
            if (earlier.isPresent()) {
                // DynamoDB answers the first import to any repeat naming the same table, whatever else differs.
                if (!sameTable) {
                    throw new DynamoException(ErrorCode.ImportConflictException,
                            "Import conflict: Duplicate request detected with conflicting parameters");
                }
                return visible(earlier.get());
            }
            Instant started = Instant.now();
            String id = String.format("%014d", started.toEpochMilli()) + "-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
            ObjectNode record = Json.MAPPER.createObjectNode();
            record.put("ImportArn", node.tableArn(table) + "/import/" + id);
            record.put("ImportStatus", "IN_PROGRESS");
            record.put("TableArn", node.tableArn(table));
            record.put("TableId", table.id().toString());
            record.setAll(described);
            record.put("StartTime", Json.epochSeconds(started.toEpochMilli()));
            record.put("ProcessedItemCount", 0);
            record.put("ImportedItemCount", 0);
            record.put("ErrorCount", 0);
            record.put("Phase", "started");
            record.set("CreateTable", createTableRequest);
            imports.save(id, record);
            io.execute(() -> run(id));
            return visible(record);
        }
    }

    Optional<ObjectNode> find(String importArn) {
        ObjectNode record = imports.get(id(importArn));
        return record != null && record.path("ImportArn").asText().equals(importArn) ? Optional.of(visible(record)) : Optional.empty();
    }

    /** Every import (into the table with that ARN, if not null), newest first. */
    List<ObjectNode> list(String tableArn) {
        return imports.all().stream()
                .filter(record -> tableArn == null || record.path("ImportArn").asText().startsWith(tableArn + "/import/"))
                .sorted(Comparator.comparing((ObjectNode record) -> id(record.path("ImportArn").asText())).reversed())
                .map(TableImports::visible)
                .toList();
    }

    /** Resumes the imports a stop or crash interrupted, each from its phase. */
    void resume() {
        for (ObjectNode record : imports.all()) {
            if (record.path("ImportStatus").asText().equals("IN_PROGRESS")) {
                String id = id(record.path("ImportArn").asText());
                io.execute(() -> run(id));
            }
        }
    }

    /** At shutdown: interrupts the imports that run; each carries on at the next start. */
    void stop() {
        io.stop();
    }

    /** Takes the import from its phase to its end: COMPLETED, or FAILED with why. */
    private void run(String id) {
        ObjectNode record = imports.get(id);
        UUID tableId = UUID.fromString(record.path("TableId").asText());
        try {
            if (record.path("Phase").asText().equals("started") && !created(id, record, tableId)) return;
            record = imports.get(id);
            Optional<TableMetadata> table = node.shards().tables().findById(tableId);
            if (!record.path("Phase").asText().equals("loaded")) {
                // Only into its own table while that is still being created: never into one in use.
                if (table.isEmpty() || table.get().status() != TableMetadata.TableStatus.CREATING) {
                    throw new IllegalStateException("the import's table " + tableId + " is no longer being created");
                }
                ImportInput.Counts counts = read(record, table.get());
                if (counts == null) return; // stopping
                ObjectNode loaded = record.deepCopy();
                loaded.put("Phase", "loaded");
                ObjectNode kept = loaded.putObject("Loaded");
                kept.put("ProcessedSizeBytes", counts.bytes);
                kept.put("ProcessedItemCount", counts.processed);
                kept.put("ImportedItemCount", counts.imported);
                kept.put("ErrorCount", counts.errors);
                imports.save(id, loaded);
                record = loaded;
            }
            // A crash after this and before the end is saved finds the table ACTIVE (or deleted since): it only saves the end.
            if (table.isPresent()) loading.activate(table.get());
            end(id, record);
        } catch (Throwable e) {
            if (io.stopping() || e instanceof InterruptedException || e instanceof ImportInput.Interrupted) return;
            ObjectNode current = imports.get(id);
            Optional<TableMetadata> table = node.shards().tables().findById(tableId);
            boolean creating = table.isPresent() && table.get().status() == TableMetadata.TableStatus.CREATING;
            if (current.path("Phase").asText().equals("loaded") && !creating) {
                end(id, current); // loaded and activated after all (a timeout that still took effect)
                return;
            }
            if (current.path("Phase").asText().equals("started") && table.isEmpty() && !(Failures.cause(e) instanceof DynamoException)) {
                // The table's creation may still come: try again (the creation finds it by its id).
                log.warn("Import {}: creating its table failed ({}); trying again", id, e.toString());
                retryLater(id);
                return;
            }
            if (creating && Failures.cause(e) instanceof java.util.concurrent.TimeoutException
                    && timeouts.merge(id, 1, Integer::sum) < TIMEOUT_TRIES) {
                // A write or the activation got no answer in time: the items replace what an earlier try wrote.
                log.warn("Import {}: {}; trying again", id, Failures.cause(e).toString());
                retryLater(id);
                return;
            }
            log.error("Import {} failed", id, e);
            // The table keeps what was written, ACTIVE, so that it can be used or deleted; if it cannot be
            // made so now, the import is tried again later.
            try {
                if (creating) loading.activate(table.get());
            } catch (InterruptedException | RuntimeException notNow) {
                retryLater(id);
                return;
            }
            ObjectNode failed = failed(current, "InternalServerError", "The import failed: " + e.getMessage());
            failed.remove("Phase");
            if (current.has("Loaded")) failed.setAll((ObjectNode) current.get("Loaded"));
            timeouts.remove(id);
            imports.saveEnd(id, failed);
        }
    }

    /** How many times an import whose writes or activation time out is run again before it fails. */
    private static final int TIMEOUT_TRIES = 12;

    /** Saves the end of a loaded import: COMPLETED, or FAILED if items failed, with the counts. */
    private void end(String id, ObjectNode record) {
        timeouts.remove(id);
        JsonNode counts = record.path("Loaded");
        ObjectNode done = record.deepCopy();
        done.remove("Phase");
        done.put("ImportStatus", counts.path("ErrorCount").asLong() == 0 ? "COMPLETED" : "FAILED");
        done.put("EndTime", Json.epochSeconds(System.currentTimeMillis()));
        done.setAll((ObjectNode) counts);
        if (counts.path("ErrorCount").asLong() > 0) {
            done.put("FailureCode", "ItemValidationError");
            done.put("FailureMessage", "Some of the items failed validation checks and were not imported. "
                    + "Please check CloudWatch error logs for more details.");
        }
        imports.saveEnd(id, done);
        log.info("Imported {} items into table {} ({} errors)", counts.path("ImportedItemCount").asLong(),
                record.path("TableCreationParameters").path("TableName").asText(), counts.path("ErrorCount").asLong());
    }

    /** Runs the import again from its phase in a few seconds (unless the node is stopping). */
    private void retryLater(String id) {
        io.executeLater(java.time.Duration.ofSeconds(5), () -> run(id));
    }

    /**
     * The first phase: checks the bucket and creates the table, with the id the import has
     * reported. False when that ended the import (FAILED: no bucket, or the name taken meanwhile).
     */
    private boolean created(String id, ObjectNode record, UUID tableId) throws Exception {
        if (node.shards().tables().findById(tableId).isEmpty()) {
            if (!Files.isDirectory(bucket(record))) {
                imports.saveEnd(id, failed(record, "S3NoSuchBucket",
                        "The specified bucket does not exist (Service: Amazon S3; Status Code: 404; Error Code: NoSuchBucket; Proxy: null)"));
                return false;
            }
            TableMetadata parsed = new CreateTableOperation(node).parse(new RequestBody(record.get("CreateTable")));
            TableMetadata table = new TableMetadata(parsed.name(), tableId, parsed.keySchema(), parsed.attributeDefinitions(),
                    parsed.billingMode(), parsed.throughput(), parsed.creationDateTime(), parsed.lastUpdateToPayPerRequest(),
                    parsed.status(), parsed.partitionCount(), parsed.options());
            try {
                node.shards().createTable(TableLoading.creating(table)).toCompletableFuture().join();
            } catch (RuntimeException e) {
                // A creation that timed out may still be made: wait a little for it before giving up.
                for (int i = 0; i < 100 && node.shards().tables().findById(tableId).isEmpty()
                        && !(Failures.cause(e) instanceof DynamoException); i++) {
                    Thread.sleep(100);
                }
                if (node.shards().tables().findById(tableId).isEmpty()) {
                    if (Failures.cause(e) instanceof DynamoException refusal && refusal.code() == ErrorCode.ResourceInUseException) {
                        // Another table of that name was created meanwhile (as DynamoDB fails a second import to one name).
                        imports.saveEnd(id, failed(record, "TableAlreadyExists", "Table already exists: " + table.name()));
                        return false;
                    }
                    throw e;
                }
            }
        }
        ObjectNode next = record.deepCopy();
        next.put("Phase", "created");
        imports.save(id, next);
        return true;
    }

    /** The second phase: every object under the prefix, read into the table; null if a stop cut it short. */
    private ImportInput.Counts read(ObjectNode record, TableMetadata table) throws Throwable {
        JsonNode source = record.path("S3BucketSource");
        Path bucket = bucket(record);
        JsonNode csv = record.path("InputFormatOptions").path("Csv");
        List<String> headers = null;
        if (csv.path("HeaderList").isArray()) {
            headers = new ArrayList<>();
            for (JsonNode header : csv.get("HeaderList")) headers.add(header.asText());
        }
        ImportInput input = new ImportInput(table, new ImportInput.Format(record.path("InputFormat").asText(),
                record.path("InputCompressionType").asText("NONE"), csv.path("Delimiter").asText(null), headers));
        ImportInput.Counts counts = new ImportInput.Counts();
        TableLoading.Writes writes = loading.writes(table);
        String id = id(record.path("ImportArn").asText());
        for (String key : ImportInput.objectKeys(bucket, source.path("S3KeyPrefix").asText(null))) {
            if (io.stopping()) return null;
            input.read(id, key, ExportFiles.objectPath(bucket, key), writes::put, counts);
        }
        writes.await();
        return io.stopping() ? null : counts;
    }

    private Path bucket(ObjectNode record) {
        return exports.bucket(record.path("S3BucketSource").path("S3Bucket").asText());
    }

    private static ObjectNode failed(ObjectNode record, String code, String message) {
        ObjectNode failed = record.deepCopy();
        failed.put("ImportStatus", "FAILED");
        failed.put("EndTime", Json.epochSeconds(System.currentTimeMillis()));
        failed.put("FailureCode", code);
        failed.put("FailureMessage", message);
        return failed;
    }

    /** The description without what Eddy keeps for itself. */
    private static ObjectNode visible(ObjectNode record) {
        ObjectNode copy = record.deepCopy();
        copy.remove(INTERNAL);
        return copy;
    }

    /** The id at the end of an import ARN ({@code .../import/<id>}). */
    static String id(String importArn) {
        return importArn.substring(importArn.lastIndexOf('/') + 1);
    }
}
