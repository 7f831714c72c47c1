package io.eddy.shards;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.eddy.model.AttributeType;
import io.eddy.model.AttributeValue;
import io.eddy.model.KeySchema;
import io.eddy.model.TableMetadata;
import io.eddy.model.TableOptions;
import io.eddy.model.TableMetadata.AttributeDefinition;
import io.eddy.model.TableMetadata.BillingMode;
import io.eddy.model.TableMetadata.Throughput;
import io.eddy.shards.CatalogEvent.TableCreated;
import io.eddy.shards.CatalogEvent.TableDeleted;
import io.eddy.shards.CatalogEvent.TableUpdated;
import io.eddy.shards.PartitionEvent.ItemChanged;
import java.io.NotSerializableException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The journal formats: every event reads back equal to what was written. */
class JournalSerializersTest {

    private final PartitionEventSerializer partitionEvents = new PartitionEventSerializer();
    private final CatalogEventSerializer catalogEvents = new CatalogEventSerializer();
    private final TransactionEventSerializer transactionEvents = new TransactionEventSerializer();

    private Object partitionRoundTrip(Object event) throws NotSerializableException {
        return partitionEvents.fromBinary(partitionEvents.toBinary(event), partitionEvents.manifest(event));
    }

    private Object catalogRoundTrip(Object event) throws NotSerializableException {
        return catalogEvents.fromBinary(catalogEvents.toBinary(event), catalogEvents.manifest(event));
    }

    /** An on-demand table keyed by a string "id", with these options. */
    private static TableMetadata onDemandTable(String name, TableOptions options) {
        return new TableMetadata(name, UUID.randomUUID(), KeySchema.hash("id", AttributeType.S),
                List.of(new AttributeDefinition("id", AttributeType.S)), BillingMode.PAY_PER_REQUEST, Throughput.ON_DEMAND,
                Instant.ofEpochMilli(1_700_000_000_000L), Optional.empty(), TableMetadata.TableStatus.ACTIVE, 4, options);
    }

    @Test
    void itemChangedKeepsKeyAndBothImages() throws Exception {
        Map<String, AttributeValue> oldImage = Map.of("id", AttributeValue.s("a"), "n", AttributeValue.n("1.5"));
        Map<String, AttributeValue> newImage = Map.of("id", AttributeValue.s("a"),
                "l", new AttributeValue.ListValue(List.of(AttributeValue.NullValue.INSTANCE, AttributeValue.BoolValue.TRUE)));
        byte[] key = {1, 2, (byte) 0xFF, 0};
        for (ItemChanged event : List.of(
                new ItemChanged(key, Optional.empty(), Optional.of(newImage), 1_700_000_000_123_456L, ChangeOrigin.REQUEST),
                new ItemChanged(key, Optional.of(oldImage), Optional.of(newImage), 1L, ChangeOrigin.REQUEST),
                new ItemChanged(key, Optional.of(oldImage), Optional.empty(), 2L, ChangeOrigin.TIME_TO_LIVE),
                new ItemChanged(key, Optional.of(oldImage), Optional.of(newImage), 3L, ChangeOrigin.REPLICATION,
                        new io.eddy.persistence.ItemVersion(1_700_000_000_000_001L, "us-west-2")),
                new ItemChanged(key, Optional.empty(), Optional.of(newImage), 4L, ChangeOrigin.REQUEST,
                        new io.eddy.persistence.ItemVersion(4L, "us-east-1")))) {
            ItemChanged back = (ItemChanged) partitionRoundTrip(event);
            assertEquals(event.version(), back.version());
            assertArrayEquals(event.key(), back.key());
            assertEquals(event.oldImage(), back.oldImage());
            assertEquals(event.newImage(), back.newImage());
            assertEquals(event.timestampMicros(), back.timestampMicros());
            assertEquals(event.origin(), back.origin());
        }
    }

    @Test
    void versionOneItemChangedReadsAsARequestWithoutTimestamp() throws Exception {
        Map<String, AttributeValue> image = Map.of("id", AttributeValue.s("a"));
        ItemChanged event = new ItemChanged(new byte[] {7}, Optional.empty(), Optional.of(image), 99L, ChangeOrigin.TIME_TO_LIVE);
        byte[] v2 = partitionEvents.toBinary(event);
        // v1 is v2 without the trailing timestamp (8 bytes) and origin (1 byte).
        byte[] v1 = java.util.Arrays.copyOf(v2, v2.length - 9);
        ItemChanged back = (ItemChanged) partitionEvents.fromBinary(v1, "ItemChanged.v1");
        assertEquals(event.newImage(), back.newImage());
        assertEquals(0L, back.timestampMicros());
        assertEquals(ChangeOrigin.REQUEST, back.origin());
    }

    @Test
    void catalogEventsKeepEveryTableField() throws Exception {
        Instant created = Instant.ofEpochMilli(1_700_000_000_123L);
        TableMetadata provisioned = new TableMetadata("Orders", UUID.randomUUID(),
                KeySchema.hashAndRange("customer", AttributeType.S, "order", AttributeType.N),
                List.of(new AttributeDefinition("customer", AttributeType.S), new AttributeDefinition("order", AttributeType.N)),
                BillingMode.PROVISIONED,
                new Throughput(5, 7, Optional.of(created.plusSeconds(60)), Optional.empty(), 1),
                created, Optional.empty(), TableMetadata.TableStatus.ACTIVE, 4, TableOptions.DEFAULTS);
        TableMetadata onDemand = new TableMetadata("Blobs", UUID.randomUUID(), KeySchema.hash("id", AttributeType.B),
                List.of(new AttributeDefinition("id", AttributeType.B)), BillingMode.PAY_PER_REQUEST, Throughput.ON_DEMAND,
                created, Optional.of(created), TableMetadata.TableStatus.ACTIVE, 8, TableOptions.DEFAULTS);

        assertEquals(new TableCreated(provisioned), catalogRoundTrip(new TableCreated(provisioned)));
        assertEquals(new TableUpdated(onDemand), catalogRoundTrip(new TableUpdated(onDemand)));
        TableDeleted deleted = new TableDeleted("Orders", provisioned.id(), Instant.ofEpochSecond(1_700_000_100L, 123_456_000));
        assertEquals(deleted, catalogRoundTrip(deleted));
        TableDeleted undated = new TableDeleted("Orders", provisioned.id(), null);
        assertEquals(undated, catalogRoundTrip(undated));

        TableMetadata withOptions = onDemandTable("Tagged", TableOptions.DEFAULTS.withDeletionProtectionEnabled(true)
                .withTags(List.of(new TableOptions.Tag("env", "prod"))));
        CatalogEvent.TablesCompacted all = new CatalogEvent.TablesCompacted(List.of(provisioned, onDemand), List.of(withOptions));
        assertEquals(all, catalogRoundTrip(all));
        CatalogEvent.TablesCompacted none = new CatalogEvent.TablesCompacted(List.of(), List.of());
        assertEquals(none, catalogRoundTrip(none));
    }

    @Test
    void versionOneCatalogEventsReadWithoutDeletionTimeOrRetiredTables() throws Exception {
        TableMetadata table = onDemandTable("Older", TableOptions.DEFAULTS);
        // TableDeleted.v1: the name and the id, as the format before deletion times wrote them.
        java.io.ByteArrayOutputStream v1 = new java.io.ByteArrayOutputStream();
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(v1)) {
            out.writeUTF("Older");
            out.writeLong(table.id().getMostSignificantBits());
            out.writeLong(table.id().getLeastSignificantBits());
        }
        assertEquals(new TableDeleted("Older", table.id(), null), catalogEvents.fromBinary(v1.toByteArray(), "TableDeleted.v1"));

        byte[] compactedV2 = catalogEvents.toBinary(new CatalogEvent.TablesCompacted(List.of(table), List.of()));
        // v1 is v2 without the trailing count of retired tables (4 bytes).
        byte[] compactedV1 = java.util.Arrays.copyOf(compactedV2, compactedV2.length - 4);
        assertEquals(new CatalogEvent.TablesCompacted(List.of(table), List.of()),
                catalogEvents.fromBinary(compactedV1, "TablesCompacted.v1"));
    }

    @Test
    void tableOptionsRoundTrip() throws Exception {
        TableOptions options = TableOptions.DEFAULTS
                .withDeletionProtectionEnabled(true)
                .withTableClass(new TableOptions.TableClassChoice(TableOptions.TableClass.STANDARD_INFREQUENT_ACCESS, 1_700_000_000_456L))
                .withOnDemandThroughput(new TableOptions.OnDemandThroughput(100L, null))
                .withTags(List.of(new TableOptions.Tag("env", "prod"), new TableOptions.Tag("empty", "")))
                .withReplicas(List.of(new TableOptions.Replica("us-west-2", TableOptions.ReplicaStatus.CREATING, true),
                        new TableOptions.Replica("eu-west-1", TableOptions.ReplicaStatus.ACTIVE, false, "creation",
                                new io.eddy.model.SharedSettingsVersion(1_700_000_000_000_001L, "us-east-1"))))
                .withRemovedReplicas(List.of(new TableOptions.RemovedReplica("ap-south-1",
                        new io.eddy.model.SharedSettingsVersion(42, "eu-west-1"))))
                .withTimeToLive(new io.eddy.model.TimeToLive("expires", 1_700_000_000_789L,
                        new io.eddy.model.SharedSettingsVersion(7, "us-west-2")));
        TableMetadata table = onDemandTable("Opts", options);
        assertEquals(new TableCreated(table), catalogRoundTrip(new TableCreated(table)));
        assertEquals(new TableUpdated(table), catalogRoundTrip(new TableUpdated(table)));
    }

    @Test
    void secondaryIndexesSurviveTheJournal() throws Exception {
        io.eddy.model.SecondaryIndex local = new io.eddy.model.SecondaryIndex("byDate", UUID.randomUUID(),
                io.eddy.model.SecondaryIndex.Kind.LOCAL, List.of(new KeySchema.KeyAttribute("id", AttributeType.S)),
                List.of(new KeySchema.KeyAttribute("date", AttributeType.S)),
                new io.eddy.model.IndexProjection(io.eddy.model.IndexProjection.ProjectionType.INCLUDE, List.of("a", "b")),
                io.eddy.model.SecondaryIndex.Status.ACTIVE, null, null);
        io.eddy.model.SecondaryIndex global = new io.eddy.model.SecondaryIndex("byTeam", UUID.randomUUID(),
                io.eddy.model.SecondaryIndex.Kind.GLOBAL,
                List.of(new KeySchema.KeyAttribute("org", AttributeType.S), new KeySchema.KeyAttribute("team", AttributeType.N)),
                List.of(new KeySchema.KeyAttribute("rank", AttributeType.B)), io.eddy.model.IndexProjection.ALL,
                io.eddy.model.SecondaryIndex.Status.CREATING, new io.eddy.model.SecondaryIndex.IndexThroughput(5, 7),
                new TableOptions.OnDemandThroughput(null, 9L));
        TableMetadata table = onDemandTable("Indexed", TableOptions.DEFAULTS.withIndexes(List.of(local, global)));
        TableUpdated back = (TableUpdated) catalogRoundTrip(new TableUpdated(table));
        assertEquals(table, back.table());
        assertEquals(List.of(local), back.table().options().localIndexes());
    }

    @Test
    void aStreamJournaledBeforeShardsRolledOverHasNoShardLifetime() throws Exception {
        TableMetadata table = onDemandTable("Older", TableOptions.DEFAULTS);
        byte[] fields = catalogEvents.tableFieldsV1(table);
        byte[] options = "{\"streams\":{\"streams\":[{\"enabledAtMicros\":1700000000123000,\"viewType\":\"KEYS_ONLY\"}]}}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.nio.ByteBuffer v2 = java.nio.ByteBuffer.allocate(fields.length + 4 + options.length);
        v2.put(fields).putInt(options.length).put(options);
        TableCreated read = (TableCreated) catalogEvents.fromBinary(v2.array(), "TableCreated.v2");
        io.eddy.model.TableStream stream = read.table().options().streams().current().orElseThrow();
        assertEquals(null, stream.shardLifetimeMillis(), "one shard a partition, as then");
        assertEquals(1_700_000_000_123_000L, stream.enabledAtMicros());
    }

    @Test
    void optionsWrittenBeforeASettingExistedReadItsDefault() throws Exception {
        TableMetadata table = onDemandTable("Older", TableOptions.DEFAULTS);
        byte[] fields = catalogEvents.tableFieldsV1(table);
        byte[] emptyOptions = "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.nio.ByteBuffer v2 = java.nio.ByteBuffer.allocate(fields.length + 4 + emptyOptions.length);
        v2.put(fields).putInt(emptyOptions.length).put(emptyOptions);
        assertEquals(new TableCreated(table), catalogEvents.fromBinary(v2.array(), "TableCreated.v2"));
    }

    @Test
    void streamsAndTimeToLiveSurviveTheJournal() throws Exception {
        Instant created = Instant.ofEpochMilli(1_700_000_000_123L);
        io.eddy.model.StreamHistory streams = io.eddy.model.StreamHistory.NONE
                .enable(io.eddy.model.StreamViewType.KEYS_ONLY, created, java.time.Duration.ofHours(4))
                .disable(created.plusSeconds(5))
                .enable(io.eddy.model.StreamViewType.NEW_AND_OLD_IMAGES, created.plusSeconds(6), java.time.Duration.ofMinutes(30));
        TableOptions options = TableOptions.DEFAULTS.withStreams(streams)
                .withTimeToLive(new io.eddy.model.TimeToLive("expiresAt", 1_700_000_000_000L));
        TableMetadata table = new TableMetadata("Streamed", UUID.randomUUID(), KeySchema.hash("id", AttributeType.S),
                List.of(new AttributeDefinition("id", AttributeType.S)), BillingMode.PAY_PER_REQUEST, Throughput.ON_DEMAND,
                created, Optional.of(created), TableMetadata.TableStatus.ACTIVE, 4, options);
        TableUpdated back = (TableUpdated) catalogRoundTrip(new TableUpdated(table));
        assertEquals(table, back.table());
        assertEquals(2, back.table().options().streams().streams().size());
        assertEquals("2023-11-14T22:13:20.123", back.table().options().streams().streams().get(0).label());
        assertEquals(1_800_000L, back.table().options().streams().streams().get(1).shardLifetimeMillis(), "each stream's own");
        assertEquals("expiresAt", back.table().options().timeToLive().attributeName());
    }

    @Test
    void versionOneCatalogEventsReadWithDefaultOptions() throws Exception {
        TableMetadata table = onDemandTable("Old", TableOptions.DEFAULTS);
        byte[] v1 = catalogEvents.tableFieldsV1(table);
        assertEquals(new TableCreated(table), catalogEvents.fromBinary(v1, "TableCreated.v1"));
        assertEquals(new TableUpdated(table), catalogEvents.fromBinary(v1, "TableUpdated.v1"));
    }

    @Test
    void unknownManifestsAreRefused() {
        assertThrows(NotSerializableException.class, () -> catalogEvents.fromBinary(new byte[0], "Nope.v9"));
        assertThrows(NotSerializableException.class, () -> partitionEvents.fromBinary(new byte[0], "Nope.v9"));
        assertThrows(NotSerializableException.class, () -> transactionEvents.fromBinary(new byte[0], "Nope.v9"));
    }

    @Test
    void transactionEventsKeepTheirWritesAndOutcome() throws Exception {
        Map<String, AttributeValue> before = Map.of("id", AttributeValue.s("a"), "n", AttributeValue.n("1"));
        Map<String, AttributeValue> after = Map.of("id", AttributeValue.s("a"), "n", AttributeValue.n("2"));
        PreparedTransaction transaction = new PreparedTransaction("token:t/1", List.of(
                new PreparedTransaction.PreparedWrite(3, new byte[] {1, 2}, Optional.of(before), Optional.of(after)),
                new PreparedTransaction.PreparedWrite(0, new byte[] {9}, Optional.empty(), Optional.empty())));
        PartitionEvent.TransactionPrepared prepared = (PartitionEvent.TransactionPrepared)
                partitionRoundTrip(new PartitionEvent.TransactionPrepared(transaction));
        assertEquals("token:t/1", prepared.transaction().transactionId());
        List<PreparedTransaction.PreparedWrite> writes = prepared.transaction().writes();
        assertEquals(2, writes.size());
        assertEquals(3, writes.get(0).action());
        assertArrayEquals(new byte[] {1, 2}, writes.get(0).key());
        assertEquals(Optional.of(before), writes.get(0).oldImage());
        assertEquals(Optional.of(after), writes.get(0).newImage());
        assertEquals(Optional.empty(), writes.get(1).newImage());
        PartitionEvent.TransactionResolved resolved = new PartitionEvent.TransactionResolved("token:t/1", true, 1_700_000_000_123_456L, 2);
        assertEquals(resolved, partitionRoundTrip(resolved));
        // v1 is v2 without the decision time (8 bytes) and the count of changes (4 bytes).
        byte[] resolvedV2 = partitionEvents.toBinary(resolved);
        assertEquals(new PartitionEvent.TransactionResolved("token:t/1", true, 0, 0),
                partitionEvents.fromBinary(java.util.Arrays.copyOf(resolvedV2, resolvedV2.length - 12), "TransactionResolved.v1"));

        TransactionEvent.Committing committing = new TransactionEvent.Committing("request:r/2", 1_700_000_000_123_456L);
        for (TransactionEvent event : List.of(
                new TransactionEvent.Started("request:r/2", "abc", List.of("p-0", "p-3")),
                committing,
                new TransactionEvent.Finished("request:r/2", false, 1_700_000_000_123L))) {
            assertEquals(event, transactionEvents.fromBinary(transactionEvents.toBinary(event), transactionEvents.manifest(event)));
        }
        byte[] committingV2 = transactionEvents.toBinary(committing);
        assertEquals(new TransactionEvent.Committing("request:r/2", 0),
                transactionEvents.fromBinary(java.util.Arrays.copyOf(committingV2, committingV2.length - 8), "Committing.v1"));
    }
}
