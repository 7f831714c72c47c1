package io.eddy.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eddy.model.AttributeValue;
import io.eddy.model.DynamoException;
import io.eddy.model.ErrorCode;
import io.eddy.model.ItemKeys;
import io.eddy.model.ItemSize;
import io.eddy.model.TableMetadata;
import io.eddy.model.TableOptions;
import io.eddy.model.TableStream;
import io.eddy.persistence.DurableFiles;
import io.eddy.persistence.ItemStore;
import io.eddy.shards.CatalogEventSerializer;
import io.eddy.streams.PointInTimeItems;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.HashSet;
import java.util.Set;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On-demand backups and restores, shared by their operations. A backup reads the table with the
 * Scan path, page after page, so it holds every write acknowledged before it started (a write
 * made while it runs may or may not be in it) and writes the items to the {@link BackupStore}. A
 * restore creates the target table CREATING (data requests to it are refused meanwhile), writes
 * the backup's items through the partitions, as any write, and then makes it ACTIVE; a marker
 * under {@code backups/restoring} lets a restart finish a restore that a crash interrupted.
 */
final class Backups {

    private static final Logger log = LoggerFactory.getLogger(Backups.class);
    private static final Pattern BACKUP_ARN = Pattern.compile("arn:aws:dynamodb:([^:]+):([^:]+):table/([^/]+)/backup/(\\d{14}-[0-9a-f]{8})");

    /** How long DynamoDB keeps the SYSTEM backup of a deleted table that had point-in-time recovery. */
    static final Duration SYSTEM_BACKUP_RETENTION = Duration.ofDays(35);
    /** The first word of a restore marker whose items are a table's at a point in time. */
    private static final String POINT_IN_TIME_SOURCE = "point-in-time";

    private final NodeContext node;
    private final BackupStore store;
    private final PointInTimeItems pointInTime;
    private final TableLoading loading;
    private final Path restoring;
    /** Markers of deleted tables whose SYSTEM backups are not written yet: {@code <table id>.pending}. */
    private final Path deletions;
    /** Deleted tables whose SYSTEM backup this node has started: one a table. */
    private final Set<UUID> systemBackups = ConcurrentHashMap.newKeySet();
    /** Backups being taken, by id: what DescribeBackup and ListBackups show of them until they are on disk. */
    private final Map<String, ObjectNode> inProgress = new ConcurrentHashMap<>();
    private final BackgroundJobs io = new BackgroundJobs("eddy-backups");
    /**
     * Held while DeleteBackup checks for restore markers and deletes, and while a restore checks
     * that its backup is still there and writes its marker: one of the two then sees the other.
     */
    private final Object markers = new Object();

    Backups(NodeContext node, Path dataDir, PointInTimeItems pointInTime, ItemStore itemStore) {
        this.node = node;
        this.pointInTime = pointInTime;
        this.loading = new TableLoading(node, itemStore);
        this.store = BackupStore.open(dataDir);
        this.restoring = dataDir.resolve("backups").resolve("restoring");
        this.deletions = dataDir.resolve("backups").resolve("deleted");
        try {
            Files.createDirectories(restoring);
            Files.createDirectories(deletions);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // Backups.

    /**
     * Starts a backup of the table and answers at once with its description, CREATING, as DynamoDB
     * does; the backup is AVAILABLE once its items are on disk. A backup a stop or crash
     * interrupts is dropped at the next start.
     */
    ObjectNode create(TableMetadata table, String backupName) {
        // The table's data is held until the backup has read it, as for a deleted table's SYSTEM backup: a table
        // deleted meanwhile is dropped by the sweep after (its items were sometimes dropped under the copy).
        node.shards().tables().holdHistory(table.id());
        try {
            return start(table, backupName, "USER", Instant.now(), writer -> copyItems(table, Optional.empty(), writer),
                    failure -> node.shards().tables().releaseHistory(table.id()));
        } catch (RuntimeException e) {
            node.shards().tables().releaseHistory(table.id());
            throw e;
        }
    }

    /**
     * Records durably, before a table with point-in-time recovery is deleted, that its SYSTEM
     * backup is owed, so that a node stopped before that backup is written writes it at its next
     * start ({@link #resumeSystemBackups}). The caller holds the table's history, and drops the
     * marker ({@link #unmarkDeletion}) if the deletion does not happen.
     */
    Path markDeletion(TableMetadata table) {
        // One marker per deletion asked: two DeleteTables of one table (a retry) each keep their own.
        Path marker = deletions.resolve(table.id() + "." + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()) + ".pending");
        try {
            DurableFiles.replace(marker, new DeletionMarker(TableStream.micros(Instant.now()), table).bytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return marker;
    }

    void unmarkDeletion(Path marker) {
        deleteQuietly(marker);
    }

    /**
     * Starts the SYSTEM backup DynamoDB keeps of a deleted table that had point-in-time recovery:
     * its items at {@code readAtMicros} (the deletion, or any later time: nothing changes a
     * deleted table), read from the journal and the items the deletion left, which a hold on the
     * table's history, taken before the deletion, keeps until this ends; kept for
     * {@link #SYSTEM_BACKUP_RETENTION} as {@code <table>$DeletedTableBackup}, created at
     * {@code deletedAt}. The hold is released and its {@link #markDeletion marker} goes once it
     * is stored, or when the table's history is gone (it cannot be written). Another failure
     * keeps both and tries again after {@link #retryDelay}, for as long as the node runs (the
     * deleted table's items exist nowhere else); a stop leaves both for the next start.
     */
    void createSystemBackup(TableMetadata deleted, Instant deletedAt, long readAtMicros, Path marker) {
        if (!systemBackups.add(deleted.id())) {
            // Another DeleteTable of the same table (a retry, both answered late) has started it already.
            node.shards().tables().releaseHistory(deleted.id());
            deleteQuietly(marker);
            return;
        }
        writeSystemBackup(deleted, deletedAt, readAtMicros, marker, 0);
    }

    private void writeSystemBackup(TableMetadata deleted, Instant deletedAt, long readAtMicros, Path marker, int attempt) {
        Consumer<Throwable> finished = failure -> {
            if (failure == null || Failures.cause(failure) instanceof PointInTimeItems.HistoryUnavailable) {
                // Held until the backup is stored: once released, the table's items and journal may go.
                node.shards().tables().releaseHistory(deleted.id());
                deleteQuietly(marker);
            } else if (!io.stopping()) {
                Duration delay = retryDelay(attempt);
                log.warn("The SYSTEM backup of deleted table {} is tried again in {} s", deleted.name(), delay.toSeconds());
                io.executeLater(delay, () -> writeSystemBackup(deleted, deletedAt, readAtMicros, marker, attempt + 1));
            }
        };
        try {
            start(deleted, deleted.name() + "$DeletedTableBackup", "SYSTEM", deletedAt, writer -> CompletableFuture.runAsync(() -> {
                try {
                    PointInTimeItems.awaitSettled(readAtMicros);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("stopped", e);
                }
                pointInTime.forEach(deleted, readAtMicros, item -> writer.write(item, ItemSize.of(item)));
            }, io), finished);
        } catch (RuntimeException e) {
            log.error("Could not begin the SYSTEM backup of deleted table {}", deleted.name(), e);
            finished.accept(e);
        }
    }

    /**
     * Writes the SYSTEM backups a stop or crash left owing (their markers are still there), before
     * anything trims journals or drops deleted tables' items: each table's history is held first.
     * A marker whose table is still in the catalog was written for a deletion that did not happen;
     * one whose backup is already stored, for a backup written just before the stop.
     */
    void resumeSystemBackups() {
        List<Path> markers;
        try (Stream<Path> files = Files.list(deletions)) {
            markers = files.filter(file -> file.getFileName().toString().endsWith(".pending")).toList();
        } catch (IOException e) {
            log.error("Could not list the deleted tables' pending backups in {}", deletions, e);
            return;
        }
        Map<UUID, List<Path>> byTable = new java.util.TreeMap<>();
        for (Path marker : markers) {
            try {
                byTable.computeIfAbsent(UUID.fromString(marker.getFileName().toString().split("\\.")[0]), id -> new ArrayList<>()).add(marker);
            } catch (IllegalArgumentException e) {
                log.error("Not a deleted table's marker: {}", marker);
            }
        }
        byTable.forEach((tableId, owed) -> {
            // Held first: whatever fails below, the table's items stay for the next start.
            node.shards().tables().holdHistory(tableId);
            try {
                DeletionMarker marked = DeletionMarker.of(Files.readAllBytes(owed.get(0)));
                TableMetadata table = marked.table();
                boolean stored = store.all().stream().anyMatch(backup -> backup.path("BackupDetails").path("BackupType").asText().equals("SYSTEM")
                        && backup.path("SourceTableDetails").path("TableId").asText().equals(tableId.toString()));
                owed.subList(1, owed.size()).forEach(Backups::deleteQuietly); // one backup a table, however many deletions were asked
                if (node.shards().tables().findById(tableId).isPresent() || stored) {
                    deleteQuietly(owed.get(0));
                    node.shards().tables().releaseHistory(tableId);
                    return;
                }
                log.info("Writing the SYSTEM backup of deleted table {}, which a stop interrupted", table.name());
                createSystemBackup(table, Instant.EPOCH.plus(marked.micros(), java.time.temporal.ChronoUnit.MICROS),
                        TableStream.micros(Instant.now()), owed.get(0));
            } catch (IOException | RuntimeException e) {
                log.error("Could not resume the backup of deleted table {}; it is tried again at the next start", tableId, e);
            }
        });
    }

    /** A deleted table's marker: when the deletion was asked (epoch micros) and the table as the catalog journals it. */
    private record DeletionMarker(long micros, TableMetadata table) {
        byte[] bytes() {
            byte[] tableBytes = CatalogEventSerializer.tableBytes(table);
            return java.nio.ByteBuffer.allocate(Long.BYTES + tableBytes.length).putLong(micros).put(tableBytes).array();
        }

        static DeletionMarker of(byte[] bytes) throws IOException {
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(bytes);
            long micros = buffer.getLong();
            return new DeletionMarker(micros, CatalogEventSerializer.table(java.util.Arrays.copyOfRange(bytes, Long.BYTES, bytes.length)));
        }
    }

    /** Starts writing a backup whose items {@code copy} gives the writer, and answers its description, CREATING. */
    private ObjectNode start(TableMetadata table, String backupName, String type, Instant created,
                             java.util.function.Function<BackupStore.ItemsWriter, CompletionStage<Void>> copy,
                             Consumer<Throwable> finished) {
        String id = String.format("%014d", created.toEpochMilli()) + "-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        String arn = node.tableArn(table) + "/backup/" + id;
        JsonNode tableDescription = readJson(TableDescriptions.wrapped("Table", table, node)).get("Table");
        io.eddy.model.TimeToLive ttl = table.options().timeToLive();
        BackupStore.ItemsWriter writer;
        try {
            writer = store.newBackup(id);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ObjectNode creating = describe(arn, backupName, type, created, 0, 0, tableDescription, ttl);
        ((ObjectNode) creating.get("BackupDetails")).put("BackupStatus", "CREATING");
        inProgress.put(id, creating);
        CompletionStage<Void> copied;
        try {
            copied = copy.apply(writer);
        } catch (RuntimeException e) {
            inProgress.remove(id);
            writer.abandon();
            throw e;
        }
        copied.thenRunAsync(() -> {
            try {
                writer.commit(describe(arn, backupName, type, created, writer.count(), writer.bytes(), tableDescription, ttl));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, io).whenComplete((done, failure) -> {
            if (failure != null && io.stopping()) {
                writer.abandon();
                log.info("Backup {} of table {} was cut short by the stop; it is dropped ({})", id, table.name(),
                        type.equals("SYSTEM") ? "the deleted table's is written again at the next start" : "not resumed");
            } else if (failure != null) {
                writer.abandon();
                log.error("Backup {} of table {} failed", id, table.name(), failure);
            }
            inProgress.remove(id);
            finished.accept(failure);
        });
        return creating;
    }

    private CompletionStage<Void> copyItems(TableMetadata table, Optional<Map<String, AttributeValue>> startKey,
                                            BackupStore.ItemsWriter writer) {
        return node.shards().scan(table, Optional.empty(), 0, 1, startKey, Integer.MAX_VALUE).thenComposeAsync(page -> {
            for (Map<String, AttributeValue> item : page.items()) writer.write(item, ItemSize.of(item));
            if (page.items().isEmpty() || page.exhausted()) return CompletableFuture.completedFuture(null);
            Map<String, AttributeValue> last = page.items().get(page.items().size() - 1);
            return copyItems(table, Optional.of(ItemKeys.keyOfItem(last, table.keySchema())), writer);
        }, io);
    }

    /**
     * What DescribeBackup says of a backup, plus the table's whole description, kept for a restore;
     * {@code ttl} is the table's TTL setting, which SourceTableFeatureDetails reports (a restore does not set it).
     */
    private static ObjectNode describe(String arn, String name, String type, Instant created, long items, long bytes, JsonNode table,
                                       io.eddy.model.TimeToLive ttl) {
        ObjectNode description = Json.MAPPER.createObjectNode();
        ObjectNode details = description.putObject("BackupDetails");
        details.put("BackupArn", arn);
        details.put("BackupName", name);
        details.put("BackupSizeBytes", bytes);
        details.put("BackupStatus", "AVAILABLE");
        details.put("BackupType", type);
        details.put("BackupCreationDateTime", Json.epochSeconds(created.toEpochMilli()));
        if (type.equals("SYSTEM")) {
            details.put("BackupExpiryDateTime", Json.epochSeconds(created.plus(SYSTEM_BACKUP_RETENTION).toEpochMilli()));
        }
        ObjectNode source = description.putObject("SourceTableDetails");
        source.put("TableName", table.path("TableName").asText());
        source.put("TableId", table.path("TableId").asText());
        source.put("TableArn", table.path("TableArn").asText());
        source.put("TableSizeBytes", bytes);
        source.set("KeySchema", table.path("KeySchema"));
        source.set("TableCreationDateTime", table.path("CreationDateTime"));
        source.set("ProvisionedThroughput", units(table));
        if (table.has("OnDemandThroughput")) source.set("OnDemandThroughput", table.get("OnDemandThroughput"));
        source.put("ItemCount", items);
        source.put("BillingMode", billingMode(table));
        ObjectNode features = description.putObject("SourceTableFeatureDetails");
        if (table.has("LocalSecondaryIndexes")) features.set("LocalSecondaryIndexes", indexes(table.get("LocalSecondaryIndexes"), false));
        ArrayNode globalFeatures = indexes(table.path("GlobalSecondaryIndexes"), true);
        if (!globalFeatures.isEmpty()) features.set("GlobalSecondaryIndexes", globalFeatures);
        ArrayNode vectorIndexes = vectorIndexes(table.path("VectorIndexes"));
        if (!vectorIndexes.isEmpty()) features.set("VectorIndexes", vectorIndexes);
        // The stream's and TTL's settings as they were; DynamoDB's restores leave both to be set again, and so do Eddy's.
        if (table.has("StreamSpecification")) features.set("StreamDescription", table.get("StreamSpecification"));
        ObjectNode timeToLive = features.putObject("TimeToLiveDescription");
        timeToLive.put("TimeToLiveStatus", ttl.enabled() ? "ENABLED" : "DISABLED");
        if (ttl.enabled()) timeToLive.put("AttributeName", ttl.attributeName());
        description.set("EddyTable", table);
        return description;
    }

    /** The read and write units of a described table's or index's ProvisionedThroughput, as CreateTable takes them. */
    private static ObjectNode units(JsonNode described) {
        ObjectNode units = Json.MAPPER.createObjectNode();
        units.set("ReadCapacityUnits", described.path("ProvisionedThroughput").path("ReadCapacityUnits"));
        units.set("WriteCapacityUnits", described.path("ProvisionedThroughput").path("WriteCapacityUnits"));
        return units;
    }

    private static String billingMode(JsonNode table) {
        return table.path("BillingModeSummary").path("BillingMode").asText("PROVISIONED");
    }

    /** The indexes as CreateTable takes them: name, key schema, projection (and a global one's throughput). */
    private static ArrayNode indexes(JsonNode described, boolean global) {
        ArrayNode indexes = Json.MAPPER.createArrayNode();
        for (JsonNode index : described) {
            // An index being deleted is not part of the table a backup keeps or a restore makes.
            if (index.path("IndexStatus").asText().equals("DELETING")) continue;
            ObjectNode copy = indexes.addObject();
            copy.set("IndexName", index.get("IndexName"));
            copy.set("KeySchema", index.get("KeySchema"));
            copy.set("Projection", index.get("Projection"));
            if (global && index.has("ProvisionedThroughput")) copy.set("ProvisionedThroughput", units(index));
            // Only an on-demand table's indexes report maxima.
            if (index.has("OnDemandThroughput")) copy.set("OnDemandThroughput", index.get("OnDemandThroughput"));
        }
        return indexes;
    }

    /** The description of the backup an ARN names: on disk, or being taken. */
    ObjectNode find(String arn) {
        String id = idOf(arn);
        ObjectNode description = Optional.ofNullable(inProgress.get(id)).or(() -> store.find(id).filter(this::unexpired))
                .orElseThrow(() -> BackupStore.notFound(arn));
        // The ARN names the backup's table too.
        if (!description.path("BackupDetails").path("BackupArn").asText().equals(arn)) throw BackupStore.notFound(arn);
        return description;
    }

    /** Every backup, oldest first, those being taken included (once: one just stored is listed as stored). */
    List<ObjectNode> all() {
        List<ObjectNode> all = new ArrayList<>(store.all().stream().filter(this::unexpired).toList());
        java.util.Set<String> stored = new java.util.HashSet<>();
        for (ObjectNode description : all) stored.add(idOf(description.path("BackupDetails").path("BackupArn").asText()));
        inProgress.forEach((id, description) -> {
            if (!stored.contains(id)) all.add(description);
        });
        all.sort(Comparator.comparing((ObjectNode d) -> d.path("BackupDetails").path("BackupCreationDateTime").asDouble())
                .thenComparing(d -> d.path("BackupDetails").path("BackupArn").asText()));
        return all;
    }

    /** Whether the backup has not expired; an expired (SYSTEM) backup is deleted here. */
    private boolean unexpired(ObjectNode description) {
        JsonNode expiry = description.path("BackupDetails").path("BackupExpiryDateTime");
        if (!expiry.isNumber() || Json.epochMillis(expiry) > System.currentTimeMillis()) return true;
        String arn = description.path("BackupDetails").path("BackupArn").asText();
        String id = idOf(arn);
        synchronized (markers) {
            // A restore that started from it before it expired keeps it until the restore ends.
            if (restoresFrom(id)) return false;
            try {
                store.delete(id);
                log.info("Deleted expired backup {}", arn);
            } catch (IOException e) {
                log.warn("Could not delete expired backup {}", arn, e);
            }
        }
        return false;
    }

    /**
     * Deletes the backup; answers its description, DELETED. A backup being taken or restored from
     * is in use; a SYSTEM backup is not the user's to delete.
     */
    ObjectNode delete(String arn) {
        ObjectNode description = find(arn);
        JsonNode details = description.path("BackupDetails");
        if (details.path("BackupType").asText().equals("SYSTEM")) {
            // A deleted table's backup goes only when it expires (DynamoDB's words, captured 2026).
            Instant expiry = Instant.ofEpochMilli(Json.epochMillis(details.path("BackupExpiryDateTime")));
            throw DynamoException.validation("Invalid Request: User is not allowed to delete the system backup with arn " + arn
                    + ". It will automatically expire on " + expiry);
        }
        String id = idOf(arn);
        synchronized (markers) {
            if (inProgress.containsKey(id)) {
                throw new DynamoException(ErrorCode.BackupInUseException, "Backup is in use: " + arn);
            }
            if (restoresFrom(id)) {
                throw new DynamoException(ErrorCode.BackupInUseException, "Backup is being used to restore table: " + arn);
            }
            try {
                store.delete(id);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        ((ObjectNode) description.get("BackupDetails")).put("BackupStatus", "DELETED");
        return description;
    }

    /** Whether a restore from the backup has not finished (its marker is still there). */
    private boolean restoresFrom(String backupId) {
        try (Stream<Path> markers = Files.list(restoring)) {
            for (Path marker : markers.filter(Backups::isRestoreMarker).toList()) {
                try {
                    if (Files.readString(marker).trim().equals(backupId)) return true;
                } catch (java.nio.file.NoSuchFileException finished) {
                    // That restore has just finished.
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The id in a backup ARN of this node's region and account; a malformed ARN is not found. */
    private String idOf(String arn) {
        // A string that names no backup at all (a table's ARN, say) is refused as DynamoDB refuses it (captured, 2026).
        if (!arn.contains("/backup/")) throw DynamoException.validation("Invalid Backup ARN");
        Matcher matcher = BACKUP_ARN.matcher(arn);
        if (!matcher.matches() || !matcher.group(1).equals(node.region()) || !matcher.group(2).equals(node.accountId())) {
            throw BackupStore.notFound(arn);
        }
        return matcher.group(4);
    }

    // Restores.

    /**
     * Creates the target table from the backup (with the request's overrides applied to its
     * CreateTable) and starts writing the items; completes with the table, CREATING.
     */
    CompletionStage<TableMetadata> restore(String arn, String targetName, CreateTableOperation createTable,
                                           UnaryOperator<ObjectNode> overrides) {
        ObjectNode description = find(arn);
        String id = idOf(arn);
        if (inProgress.containsKey(id)) {
            throw new DynamoException(ErrorCode.BackupInUseException, "Backup is being created: " + arn);
        }
        // RestoreDateTime is the "point in time or source backup time": the backup's creation.
        long createdMillis = Json.epochMillis(description.path("BackupDetails").path("BackupCreationDateTime"));
        TableOptions.RestoreSummary summary = new TableOptions.RestoreSummary(arn,
                description.path("SourceTableDetails").path("TableArn").asText(), createdMillis);
        return createRestored(description.get("EddyTable"), targetName, createTable, overrides, summary, id);
    }

    /**
     * Creates the target table like the source table is now (with the request's overrides) and
     * starts writing the items the source held at {@code timeMicros}; completes with the table,
     * CREATING. The caller has checked that the time lies in the source's recovery window.
     */
    CompletionStage<TableMetadata> restoreToPointInTime(TableMetadata source, long timeMicros, String targetName,
                                                        CreateTableOperation createTable, UnaryOperator<ObjectNode> overrides) {
        JsonNode description = readJson(TableDescriptions.wrapped("Table", source, node)).get("Table");
        TableOptions.RestoreSummary summary = new TableOptions.RestoreSummary(null, node.tableArn(source), timeMicros / 1000);
        return createRestored(description, targetName, createTable, overrides, summary,
                POINT_IN_TIME_SOURCE + " " + source.id() + " " + timeMicros);
    }

    /**
     * Creates the restored table CREATING, behind a marker that names where its items come from
     * ({@code source}: a backup id, or a table and a time), and starts writing them.
     */
    private CompletionStage<TableMetadata> createRestored(JsonNode described, String targetName, CreateTableOperation createTable,
                                                          UnaryOperator<ObjectNode> overrides, TableOptions.RestoreSummary summary,
                                                          String source) {
        if (node.shards().tables().find(targetName).isPresent()) throw targetTaken(targetName);
        ObjectNode request = withUsedDefinitions(overrides.apply(createTableRequest(described, targetName)));
        TableMetadata creating = TableLoading.creating(createTable.parse(new RequestBody(request)));
        TableMetadata table = creating.withOptions(creating.options().withRestore(summary));
        Path marker = restoring.resolve(table.id() + ".restore");
        holdSource(source);
        try {
            writeMarker(marker, source, summary);
        } catch (RuntimeException e) {
            releaseSource(source);
            throw e;
        }
        return node.shards().createTable(table).exceptionally(failure -> {
            if (Failures.cause(failure) instanceof DynamoException refusal && refusal.code() == ErrorCode.ResourceInUseException) {
                throw targetTaken(targetName); // another request created it meanwhile
            }
            throw Failures.rethrown(failure);
        }).whenComplete((created, failure) -> {
            if (failure != null && !(Failures.cause(failure) instanceof DynamoException)) {
                // No answer in time: the catalog may still create it. Once it has answered what came after, the load looks.
                loadOnceSettled(table, source, marker);
            } else if (failure != null) {
                deleteQuietly(marker);
                releaseSource(source);
            } else {
                CompletableFuture.runAsync(() -> load(created, source, marker, 0), io);
            }
        });
    }

    /**
     * Writes a restore's marker, durably; a backup source must still be there (a DeleteBackup
     * that came first has removed it, one that comes after sees the marker).
     */
    private void writeMarker(Path marker, String source, TableOptions.RestoreSummary summary) {
        synchronized (markers) {
            if (PointInTimeSource.parse(source).isEmpty() && store.find(source).isEmpty()) {
                throw BackupStore.notFound(summary.sourceBackupArn());
            }
            // A backup feeds one restore at a time, as in DynamoDB (its words, captured 2026).
            if (PointInTimeSource.parse(source).isEmpty() && restoresFrom(source)) {
                throw new DynamoException(ErrorCode.BackupInUseException,
                        "Backup is being used to restore another table: " + summary.sourceBackupArn());
            }
            try {
                DurableFiles.replace(marker, source.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * Loads a restore whose CreateTable got no answer once the catalog has answered a later no-op
     * (the load drops the restore if the table was not created); a catalog still without an answer
     * after a few tries leaves the marker (and the hold) for the next start.
     */
    private void loadOnceSettled(TableMetadata table, String source, Path marker) {
        node.shards().awaitCatalog(table.name(), LOAD_ATTEMPTS).whenComplete((settled, stillBusy) -> {
            if (stillBusy == null) {
                CompletableFuture.runAsync(() -> load(table, source, marker, 0), io);
            } else {
                log.error("The restore of table {} is still undecided; the next start finishes or drops it", table.name());
            }
        });
    }

    /** The refusal of a restore to a name that is taken: in use while that table is being created, else already there. */
    private DynamoException targetTaken(String targetName) {
        return node.shards().tables().find(targetName).filter(table -> table.status() == TableMetadata.TableStatus.CREATING).isPresent()
                ? new DynamoException(ErrorCode.TableInUseException, "Table is being created: " + targetName)
                : new DynamoException(ErrorCode.TableAlreadyExistsException, "Table already exists: " + targetName);
    }

    /**
     * The request without empty index lists (an override of {@code []} restores no such index) and
     * with only the attribute definitions its keys, remaining indexes and vector indexes' search schemas use.
     */
    private static ObjectNode withUsedDefinitions(ObjectNode request) {
        Set<String> used = new HashSet<>();
        request.path("KeySchema").forEach(key -> used.add(key.path("AttributeName").asText()));
        for (String indexes : List.of("LocalSecondaryIndexes", "GlobalSecondaryIndexes")) {
            JsonNode list = request.get(indexes);
            if (list != null && list.isArray() && list.isEmpty()) {
                request.remove(indexes);
            } else if (list != null) {
                list.forEach(index -> index.path("KeySchema").forEach(key -> used.add(key.path("AttributeName").asText())));
            }
        }
        request.path("VectorIndexes").forEach(index -> index.path("SearchSchema")
                .forEach(element -> used.add(element.path("AttributeName").asText())));
        if (request.get("AttributeDefinitions") instanceof ArrayNode definitions) {
            ArrayNode kept = request.putArray("AttributeDefinitions");
            definitions.forEach(definition -> {
                if (used.contains(definition.path("AttributeName").asText())) kept.add(definition);
            });
        }
        return request;
    }

    /** The CreateTable request that makes a table like the one described, named {@code targetName}. */
    static ObjectNode createTableRequest(JsonNode table, String targetName) {
        ObjectNode request = Json.MAPPER.createObjectNode();
        request.put("TableName", targetName);
        request.set("AttributeDefinitions", table.get("AttributeDefinitions"));
        request.set("KeySchema", table.get("KeySchema"));
        String mode = billingMode(table);
        request.put("BillingMode", mode);
        if (mode.equals("PROVISIONED")) request.set("ProvisionedThroughput", units(table));
        if (table.has("OnDemandThroughput")) request.set("OnDemandThroughput", table.get("OnDemandThroughput"));
        if (table.has("LocalSecondaryIndexes")) request.set("LocalSecondaryIndexes", indexes(table.get("LocalSecondaryIndexes"), false));
        ArrayNode globalIndexes = indexes(table.path("GlobalSecondaryIndexes"), mode.equals("PROVISIONED"));
        if (!globalIndexes.isEmpty()) request.set("GlobalSecondaryIndexes", globalIndexes);
        JsonNode tableClass = table.path("TableClassSummary").path("TableClass");
        if (tableClass.isTextual()) request.put("TableClass", tableClass.asText());
        ArrayNode vectorIndexes = vectorIndexes(table.path("VectorIndexes"));
        if (!vectorIndexes.isEmpty()) request.set("VectorIndexes", vectorIndexes);
        return request;
    }

    /**
     * Described vector indexes as CreateTable takes them (and DescribeBackup shows them): without
     * status and ARN, and without those being deleted.
     */
    private static ArrayNode vectorIndexes(JsonNode described) {
        ArrayNode vectors = Json.MAPPER.createArrayNode();
        for (JsonNode index : described) {
            if (index.path("IndexStatus").asText().equals("DELETING")) continue;
            ObjectNode definition = vectors.addObject();
            for (String member : List.of("IndexName", "VectorAttribute", "SearchSchema", "Projection", "Dimensions", "DistanceFunction")) {
                if (index.has(member)) definition.set(member, index.get(member));
            }
        }
        return vectors;
    }

    /**
     * Writes the source's items into the new table, then makes it ACTIVE and drops the marker. The
     * caller has taken a hold on the source ({@link #holdSource}); this releases it. A restore
     * whose source is gone for good (the backup, the table at a point in time, or its changes) or
     * cannot be read is dropped, its table deleted; one that fails otherwise (a write refused or
     * timed out) is tried again, from the start (the items replace what an earlier try wrote),
     * after {@link #retryDelay}, until it succeeds or the node stops.
     */
    private void load(TableMetadata created, String source, Path marker, int attempt) {
        TableMetadata table = created;
        boolean retrying = false;
        try {
            if (io.stopping()) return; // the next start resumes it
            Optional<TableMetadata> current = node.shards().tables().findById(created.id())
                    .filter(found -> found.status() == TableMetadata.TableStatus.CREATING);
            if (current.isEmpty()) {
                deleteQuietly(marker);
                return;
            }
            table = current.get();
            TableLoading.Writes writes = loading.writes(table);
            forEachSourceItem(source, writes::put);
            writes.await();
            loading.activate(table);
            deleteQuietly(marker);
            log.info("Restored table {} from {}", table.name(), source);
        } catch (Throwable e) {
            if (io.stopping()) {
                log.info("Restoring table {} from {} was cut short by the stop; the next start resumes it", table.name(), source);
            } else if (e instanceof PointInTimeItems.HistoryUnavailable || e instanceof SourceUnreadable) {
                log.error("Restoring table {} from {} failed for good: {}; the table is deleted", table.name(), source, e.getMessage());
                abandon(table, marker);
            } else if (Failures.cause(e) instanceof DynamoException refusal || attempt + 1 >= LOAD_ATTEMPTS) {
                // A write refused (an item collection over its limit) is refused again; nor does a failure that outlasts the tries pass.
                log.error("Restoring table {} from {} failed for good after {} tries; the table is deleted", table.name(), source,
                        attempt + 1, e);
                abandon(table, marker);
            } else {
                Duration delay = retryDelay(attempt);
                log.warn("Restoring table {} from {} failed; trying again in {} s", table.name(), source, delay.toSeconds(), e);
                io.executeLater(delay, () -> load(created, source, marker, attempt + 1));
                retrying = true;
            }
        } finally {
            if (!retrying) releaseSource(source);
        }
    }

    /** How many times a restore is tried before it is dropped (over about seven minutes, {@link #retryDelay}). */
    static final int LOAD_ATTEMPTS = 12;

    /**
     * How long to wait before another try of a restore or a SYSTEM backup that failed
     * {@code attempt + 1} times: 1 s, doubling, up to a minute.
     */
    static Duration retryDelay(int attempt) {
        return Duration.ofSeconds(Math.min(60, 1L << Math.min(attempt, 6)));
    }

    /** A restore's backup that is gone or cannot be read: the restore cannot finish. */
    private static final class SourceUnreadable extends RuntimeException {
        SourceUnreadable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A failure of what was done with an item read from a backup (its write), told apart from one of the reading. */
    private static final class ItemActionFailed extends RuntimeException {
        ItemActionFailed(RuntimeException cause) {
            super(cause);
        }
    }

    /** Deletes a restored table whose restore cannot finish, and its marker. */
    private void abandon(TableMetadata table, Path marker) {
        try {
            node.shards().deleteTable(table.name(), current -> {
                if (!current.id().equals(table.id())) {
                    throw new DynamoException(ErrorCode.ResourceInUseException, "The name is another table's now: " + table.name());
                }
            }).toCompletableFuture().join();
        } catch (RuntimeException e) {
            DynamoException refusal = Failures.cause(e) instanceof DynamoException d ? d : null;
            if (refusal == null || refusal.code() != ErrorCode.ResourceNotFoundException && refusal.code() != ErrorCode.ResourceInUseException) {
                log.error("Could not delete table {}, whose restore failed", table.name(), e);
                return; // the marker stays: the next start tries again
            }
            // Gone already, or the name is another table's: nothing of this restore is left to delete.
        }
        deleteQuietly(marker);
    }

    /**
     * The items a restore's source holds: a backup's, or those a table held at a point in time
     * (read once the moment has settled, {@link PointInTimeItems#SETTLE}: a restore to now waits).
     * Some may have been given when the source turns out to be gone; the restore is dropped then.
     */
    private void forEachSourceItem(String source, Consumer<Map<String, AttributeValue>> action) throws IOException, InterruptedException {
        Optional<PointInTimeSource> pointInTime = PointInTimeSource.parse(source);
        if (pointInTime.isEmpty()) {
            if (store.find(source).isEmpty()) throw new SourceUnreadable("the backup " + source + " is gone", null);
            try {
                store.forEachItem(source, item -> {
                    try {
                        action.accept(item);
                    } catch (RuntimeException e) {
                        throw new ItemActionFailed(e);
                    }
                });
            } catch (ItemActionFailed e) {
                throw (RuntimeException) e.getCause();
            } catch (java.nio.file.NoSuchFileException | com.fasterxml.jackson.core.JsonProcessingException | DynamoException e) {
                // Gone, or not a backup's items (a damaged file): no later try reads it better. Other I/O errors are tried again.
                throw new SourceUnreadable("the backup " + source + " cannot be read: " + e.getMessage(), e);
            }
            return;
        }
        PointInTimeItems.awaitSettled(pointInTime.get().timeMicros());
        TableMetadata table = sourceTable(pointInTime.get())
                .orElseThrow(() -> new PointInTimeItems.HistoryUnavailable("the source table " + pointInTime.get().tableId() + " is gone"));
        this.pointInTime.forEach(table, pointInTime.get().timeMicros(), action);
        // A table's items are dropped only after the catalog has forgotten it: if it still has it,
        // none was dropped while they were read.
        if (sourceTable(pointInTime.get()).isEmpty()) {
            throw new PointInTimeItems.HistoryUnavailable("the source table " + pointInTime.get().tableId() + " was deleted during the restore");
        }
    }

    /**
     * Keeps the journal events of a point-in-time source from trimming until {@link #releaseSource}:
     * taken before a restore's marker is written (and at a start, for each marker, before trimming
     * runs), so no pass deletes what the restore will read, whatever happens to the source's
     * recovery setting meanwhile.
     */
    private void holdSource(String source) {
        PointInTimeSource.parse(source).ifPresent(pointInTime -> node.shards().tables().holdHistory(pointInTime.tableId()));
    }

    private void releaseSource(String source) {
        PointInTimeSource.parse(source).ifPresent(pointInTime -> node.shards().tables().releaseHistory(pointInTime.tableId()));
    }

    private Optional<TableMetadata> sourceTable(PointInTimeSource source) {
        return node.shards().tables().findById(source.tableId());
    }

    /** A restore marker's source when it is a table at a point in time: {@code point-in-time <table id> <epoch micros>}. */
    private record PointInTimeSource(UUID tableId, long timeMicros) {
        static Optional<PointInTimeSource> parse(String source) {
            String[] parts = source.split(" ");
            if (parts.length != 3 || !parts[0].equals(POINT_IN_TIME_SOURCE)) return Optional.empty();
            return Optional.of(new PointInTimeSource(UUID.fromString(parts[1]), Long.parseLong(parts[2])));
        }
    }

    /** Finishes the restores a stop or crash interrupted: their tables are still CREATING. */
    void resumeRestores() {
        List<Path> markers;
        try (Stream<Path> files = Files.list(restoring)) {
            markers = files.filter(Backups::isRestoreMarker).toList();
        } catch (IOException e) {
            log.error("Could not list the interrupted restores in {}", restoring, e);
            return;
        }
        for (Path marker : markers) {
            try {
                String tableId = marker.getFileName().toString().replace(".restore", "");
                String source = Files.readString(marker).trim();
                Optional<TableMetadata> table = node.shards().tables().findById(UUID.fromString(tableId))
                        .filter(found -> found.status() == TableMetadata.TableStatus.CREATING);
                if (table.isEmpty()) {
                    deleteQuietly(marker);
                } else {
                    holdSource(source);
                    CompletableFuture.runAsync(() -> load(table.get(), source, marker, 0), io);
                }
            } catch (IOException | IllegalArgumentException e) {
                log.error("Could not resume the interrupted restore {}", marker, e);
            }
        }
    }

    /** A restore's marker, not the temporary file a crash may leave of one being written. */
    private static boolean isRestoreMarker(Path file) {
        return file.getFileName().toString().endsWith(".restore");
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // A leftover marker is dropped at the next start.
        }
    }

    static JsonNode readJson(byte[] json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void close() {
        io.stop();
    }
}
