package io.eddy.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eddy.model.DynamoException;
import io.eddy.model.ErrorCode;
import io.eddy.model.TableMetadata;
import io.eddy.persistence.ItemStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Table imports (ImportTable): a new table, CREATING, filled with the items of an S3 bucket's
 * objects ({@link ImportInput}), where a bucket is a directory of {@code eddy.s3-directory}; ACTIVE
 * once they are written. An import answers at once, IN_PROGRESS; its description is kept under
 * {@code imports/} in the data directory before its table is created, and one a stop or crash
 * interrupts reads its objects again at the next start.
 */
final class TableImports {

    private static final Logger log = LoggerFactory.getLogger(TableImports.class);

    /** An import's ARN as DynamoDB forms it: its table's, then {@code /import/<14-digit epoch ms>-<8 hex>}. */
    static final Pattern IMPORT_ARN = Pattern.compile("arn:aws[a-z-]*:dynamodb:[^:]+:[0-9]{12}:table/[a-zA-Z0-9_.-]{3,255}/import/[0-9]{14}-[0-9a-f]{8}");

    private final NodeContext node;
    private final TableLoading loading;
    private final Path records;
    private final TableExports exports;
    /** Every import's description, by import id, with what Eddy keeps for itself (its CreateTable request). */
    private final Map<String, ObjectNode> imports = new ConcurrentHashMap<>();
    /** Set at shutdown: an import that fails then was cut short, and is read again at the next start. */
    private volatile boolean stopping;
    private final ExecutorService io = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "eddy-imports");
        thread.setDaemon(true);
        return thread;
    });

    TableImports(NodeContext node, Path dataDir, TableExports exports, ItemStore itemStore) {
        this.node = node;
        this.loading = new TableLoading(node, itemStore);
        this.records = dataDir.resolve("imports");
        this.exports = exports;
        try {
            Files.createDirectories(records);
            try (Stream<Path> files = Files.list(records)) {
                for (Path file : files.toList()) {
                    if (file.getFileName().toString().endsWith(".tmp")) {
                        Files.deleteIfExists(file);
                    } else {
                        ObjectNode record = (ObjectNode) Json.MAPPER.readTree(Files.readAllBytes(file));
                        imports.put(id(record.path("ImportArn").asText()), record);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts importing into {@code table} (parsed from the request's TableCreationParameters, not
     * yet created), or answers the import an earlier request with the same ClientToken started.
     * {@code described} is the request's echo: ClientToken, S3BucketSource, InputFormat,
     * InputFormatOptions, InputCompressionType, TableCreationParameters.
     */
    ObjectNode start(TableMetadata table, ObjectNode described, ObjectNode createTableRequest) {
        synchronized (imports) {
            String token = described.path("ClientToken").asText();
            Optional<ObjectNode> earlier = imports.values().stream()
                    .filter(record -> record.path("ClientToken").asText().equals(token)).findFirst();
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
            Instant now = Instant.now();
            String id = String.format("%014d", now.toEpochMilli()) + "-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
            ObjectNode record = Json.MAPPER.createObjectNode();
            record.put("ImportArn", node.tableArn(table) + "/import/" + id);
            record.put("ImportStatus", "IN_PROGRESS");
            record.put("TableArn", node.tableArn(table));
            record.put("TableId", table.id().toString());
            record.setAll(described);
            record.put("StartTime", Json.epochSeconds(now.toEpochMilli()));
            record.put("ProcessedItemCount", 0);
            record.put("ImportedItemCount", 0);
            record.put("ErrorCount", 0);
            record.set("CreateTable", createTableRequest);
            save(id, record);
            try {
                create(table).toCompletableFuture().join();
            } catch (RuntimeException e) {
                forget(id);
                throw Failures.cause(e) instanceof RuntimeException refusal ? refusal : e;
            }
            io.execute(() -> run(id, table));
            return visible(record);
        }
    }

    Optional<ObjectNode> find(String importArn) {
        ObjectNode record = imports.get(id(importArn));
        return record != null && record.path("ImportArn").asText().equals(importArn) ? Optional.of(visible(record)) : Optional.empty();
    }

    /** Every import (into the table with that ARN, if not null), newest first. */
    List<ObjectNode> list(String tableArn) {
        return imports.values().stream()
                .filter(record -> tableArn == null || record.path("ImportArn").asText().startsWith(tableArn + "/import/"))
                .sorted(Comparator.comparing((ObjectNode record) -> id(record.path("ImportArn").asText())).reversed())
                .map(TableImports::visible)
                .toList();
    }

    /** Reads again the imports a stop or crash interrupted, into their table (created again if it was not yet). */
    void resume() {
        for (ObjectNode record : imports.values()) {
            if (!record.path("ImportStatus").asText().equals("IN_PROGRESS")) continue;
            String id = id(record.path("ImportArn").asText());
            UUID tableId = UUID.fromString(record.path("TableId").asText());
            Optional<TableMetadata> table = node.shards().tables().findById(tableId);
            if (table.isPresent()) {
                io.execute(() -> run(id, table.get()));
                continue;
            }
            TableMetadata parsed = new CreateTableOperation(node).parse(new RequestBody(record.get("CreateTable")));
            TableMetadata again = new TableMetadata(parsed.name(), tableId, parsed.keySchema(), parsed.attributeDefinitions(),
                    parsed.billingMode(), parsed.throughput(), parsed.creationDateTime(), parsed.lastUpdateToPayPerRequest(),
                    parsed.status(), parsed.partitionCount(), parsed.options());
            create(again).whenComplete((created, failure) -> {
                if (failure == null) io.execute(() -> run(id, again));
                else finish(id, failed(record, "TableAlreadyExists", "Table already exists: " + again.name()));
            });
        }
    }

    private java.util.concurrent.CompletionStage<TableMetadata> create(TableMetadata table) {
        return node.shards().createTable(TableLoading.creating(table)).exceptionally(failure -> {
            if (Failures.cause(failure) instanceof DynamoException refusal && refusal.code() == ErrorCode.ResourceInUseException) {
                throw new DynamoException(ErrorCode.ResourceInUseException, "Table already exists: " + table.name());
            }
            throw Failures.rethrown(failure);
        });
    }

    /** At shutdown: interrupts the imports that run; each is read again at the next start. */
    void stop() {
        stopping = true;
        io.shutdownNow();
    }

    /** Reads the objects into the table, makes it ACTIVE, and records the import COMPLETED, or FAILED with why. */
    private void run(String id, TableMetadata table) {
        ObjectNode record = imports.get(id);
        JsonNode source = record.path("S3BucketSource");
        Path bucket = exports.bucket(source.path("S3Bucket").asText());
        try {
            if (!Files.isDirectory(bucket)) {
                node.shards().deleteTable(table.name()).toCompletableFuture().join();
                finish(id, failed(record, "S3NoSuchBucket",
                        "The specified bucket does not exist (Service: Amazon S3; Status Code: 404; Error Code: NoSuchBucket; Proxy: null)"));
                return;
            }
            JsonNode csv = record.path("InputFormatOptions").path("Csv");
            List<String> headers = null;
            if (csv.has("HeaderList")) {
                headers = new ArrayList<>();
                for (JsonNode header : csv.get("HeaderList")) headers.add(header.asText());
            }
            ImportInput input = new ImportInput(table, new ImportInput.Format(record.path("InputFormat").asText(),
                    record.path("InputCompressionType").asText("NONE"), csv.path("Delimiter").asText(null), headers));
            ImportInput.Counts counts = new ImportInput.Counts();
            TableLoading.Writes writes = loading.writes(table);
            for (String key : ImportInput.objectKeys(bucket, source.path("S3KeyPrefix").asText(null))) {
                input.read(id, key, ExportFiles.objectPath(bucket, key), writes::put, counts);
            }
            writes.await();
            loading.activate(table);
            ObjectNode done = record.deepCopy();
            done.put("ImportStatus", counts.errors == 0 ? "COMPLETED" : "FAILED");
            done.put("EndTime", Json.epochSeconds(System.currentTimeMillis()));
            done.put("ProcessedSizeBytes", counts.bytes);
            done.put("ProcessedItemCount", counts.processed);
            done.put("ImportedItemCount", counts.imported);
            done.put("ErrorCount", counts.errors);
            if (counts.errors > 0) {
                done.put("FailureCode", "ItemValidationError");
                done.put("FailureMessage", "Some of the items failed validation checks and were not imported. "
                        + "Please check CloudWatch error logs for more details.");
            }
            finish(id, done);
            log.info("Imported {} items into table {} ({} errors)", counts.imported, table.name(), counts.errors);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // stopping: the import is read again at the next start
        } catch (Throwable e) {
            if (!stopping) log.error("Import {} into table {} failed; it is read again at the next start", id, table.name(), e);
        }
    }

    private void finish(String id, ObjectNode record) {
        try {
            save(id, record);
        } catch (RuntimeException e) {
            log.error("Could not record the end of import {}; it runs again at the next start", id, e);
        }
    }

    private void save(String id, ObjectNode record) {
        try {
            DurableFiles.replace(records.resolve(id + ".json"), Json.MAPPER.writeValueAsBytes(record));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        imports.put(id, record);
    }

    /** Drops the record of an import whose table could not be created: it never started. */
    private void forget(String id) {
        imports.remove(id);
        try {
            Files.deleteIfExists(records.resolve(id + ".json"));
        } catch (IOException e) {
            log.error("Could not delete the record of import {}, which did not start", id, e);
        }
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
        copy.remove("CreateTable");
        return copy;
    }

    /** The id at the end of an import ARN ({@code .../import/<id>}). */
    static String id(String importArn) {
        return importArn.substring(importArn.lastIndexOf('/') + 1);
    }
}
