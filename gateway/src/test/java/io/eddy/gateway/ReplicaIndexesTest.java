package io.eddy.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.model.AttributeType;
import io.eddy.model.KeySchema;
import io.eddy.model.SecondaryIndex;
import io.eddy.model.SharedSettingsVersion;
import io.eddy.model.TableMetadata;
import io.eddy.model.TableMetadata.AttributeDefinition;
import io.eddy.model.TableMetadata.BillingMode;
import io.eddy.model.TableOptions;
import io.eddy.model.TableOptions.IndexVersion;
import io.eddy.model.TableMetadata.Throughput;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * How a replica makes the global index changes another region's view carries: newer creations
 * and deletions are made as UpdateTable makes them, older ones ignored, one that cannot be made
 * yet left for a later view, and an index of the name with another definition deleted first.
 */
class ReplicaIndexesTest {

    private static final SharedSettingsVersion OLD = new SharedSettingsVersion(5, "us-west-2");
    private static final SharedSettingsVersion NEW = new SharedSettingsVersion(9, "us-west-2");

    private static TableMetadata table(List<SecondaryIndex> indexes, List<IndexVersion> versions) {
        return new TableMetadata("T", UUID.randomUUID(), KeySchema.hash("id", AttributeType.S),
                List.of(new AttributeDefinition("id", AttributeType.S), new AttributeDefinition("year", AttributeType.N)),
                BillingMode.PAY_PER_REQUEST, Throughput.ON_DEMAND, Instant.ofEpochMilli(1_700_000_000_000L), Optional.empty(),
                TableMetadata.TableStatus.ACTIVE, 4, TableOptions.DEFAULTS.withIndexes(indexes).withIndexVersions(versions));
    }

    private static SecondaryIndex index(String name, String key, AttributeType type, SecondaryIndex.Status status) {
        return new SecondaryIndex(name, UUID.randomUUID(), SecondaryIndex.Kind.GLOBAL, List.of(new KeySchema.KeyAttribute(key, type)),
                List.of(), null, status, null, null);
    }

    /** A table with ByYear on year (N), ACTIVE, made by the change of version OLD. */
    private static TableMetadata byYearMadeAtOld() {
        return table(List.of(index("ByYear", "year", AttributeType.N, SecondaryIndex.Status.ACTIVE)),
                List.of(new IndexVersion("ByYear", false, OLD)));
    }

    /** A view defining ByYear on year (N) or, with {@code onTitle}, on title (S), with the given index changes. */
    private static RequestBody view(boolean onTitle, String changes) throws Exception {
        return view(onTitle ? "title" : "year", onTitle ? "S" : "N", changes);
    }

    /** A view defining ByYear on {@code key} of type {@code type}, with the given index changes. */
    private static RequestBody view(String key, String type, String changes) throws Exception {
        return new RequestBody(Json.MAPPER.readTree("{\"AttributeDefinitions\":[{\"AttributeName\":\"id\",\"AttributeType\":\"S\"},"
                + "{\"AttributeName\":\"" + key + "\",\"AttributeType\":\"" + type + "\"}],"
                + "\"GlobalSecondaryIndexes\":[{\"IndexName\":\"ByYear\",\"KeySchema\":[{\"AttributeName\":\"" + key
                + "\",\"KeyType\":\"HASH\"}],\"Projection\":{\"ProjectionType\":\"ALL\"}}],\"IndexVersions\":[" + changes + "]}"));
    }

    private static String change(String name, boolean removed, SharedSettingsVersion version) {
        return "{\"IndexName\":\"" + name + "\",\"Removed\":" + removed + ",\"Version\":{\"Counter\":" + version.counter()
                + ",\"Region\":\"" + version.region() + "\"}}";
    }

    private static List<String> indexes(TableMetadata table) {
        return table.options().globalIndexes().stream().map(index -> index.name() + ":" + index.status()).toList();
    }

    @Test
    void aNewerCreationIsBuiltHereAndAnOlderOneIgnored() throws Exception {
        TableMetadata made = ReplicaIndexes.merged(view(false, change("ByYear", false, NEW)), table(List.of(), List.of()));
        assertEquals(List.of("ByYear:CREATING"), indexes(made));
        assertEquals(NEW, made.options().indexVersion("ByYear"));
        TableMetadata removedLater = table(List.of(), List.of(new IndexVersion("ByYear", true, NEW)));
        assertEquals(removedLater, ReplicaIndexes.merged(view(false, change("ByYear", false, OLD)), removedLater));
    }

    @Test
    void aNewerDeletionDeletesAndWhatCannotBeMadeYetIsLeftForALaterView() throws Exception {
        TableMetadata active = byYearMadeAtOld();
        TableMetadata deleted = ReplicaIndexes.merged(view(false, change("ByYear", true, NEW)), active);
        assertEquals(List.of("ByYear:DELETING"), indexes(deleted));
        assertEquals(new IndexVersion("ByYear", true, NEW), deleted.options().indexVersions().get(0));

        // Another index is being built here: the creation waits, unrecorded, for a later view.
        TableMetadata building = table(List.of(index("Other", "year", AttributeType.N, SecondaryIndex.Status.CREATING)), List.of());
        TableMetadata waiting = ReplicaIndexes.merged(view(false, change("ByYear", false, NEW)), building);
        assertEquals(List.of("Other:CREATING"), indexes(waiting));
        assertTrue(waiting.options().indexVersions().isEmpty());
    }

    @Test
    void anIndexOfTheNameWithAnotherDefinitionIsDeletedBeforeTheNewOneIsMade() throws Exception {
        TableMetadata onYear = byYearMadeAtOld();
        TableMetadata first = ReplicaIndexes.merged(view(true, change("ByYear", false, NEW)), onYear);
        assertEquals(List.of("ByYear:DELETING"), indexes(first));
        assertEquals(new IndexVersion("ByYear", true, OLD), first.options().indexVersions().get(0),
                "the deletion is known, at the old version; the creation is not recorded yet");
        // The same definition here: only the version is taken.
        TableMetadata same = ReplicaIndexes.merged(view(false, change("ByYear", false, NEW)), onYear);
        assertEquals(List.of("ByYear:ACTIVE"), indexes(same));
        assertEquals(NEW, same.options().indexVersion("ByYear"));
    }

    @Test
    void aRecordedReplicaStampsTheIndexesTheTableHasNowJustPastWhatItKnows() throws Exception {
        TableMetadata table = table(List.of(index("Kept", "year", AttributeType.N, SecondaryIndex.Status.ACTIVE),
                        index("Going", "year", AttributeType.N, SecondaryIndex.Status.DELETING)),
                List.of(new IndexVersion("Gone", false, OLD), new IndexVersion("Going", false, OLD)));
        // The new replica was built with Dropped, deleted and dropped here since, before the table had replicas.
        TableMetadata snapshot = table(List.of(index("Dropped", "year", AttributeType.N, SecondaryIndex.Status.ACTIVE)), List.of());
        TableMetadata stamped = ReplicaIndexes.stamped(table, snapshot, "us-east-1");
        assertEquals(java.util.Set.of(new IndexVersion("Gone", true, new SharedSettingsVersion(6, "us-east-1")),
                new IndexVersion("Kept", false, new SharedSettingsVersion(1, "us-east-1")),
                new IndexVersion("Going", true, new SharedSettingsVersion(6, "us-east-1")),
                new IndexVersion("Dropped", true, new SharedSettingsVersion(1, "us-east-1"))),
                java.util.Set.copyOf(stamped.options().indexVersions()));
    }

    @Test
    void aChangeAnotherRegionMadeMeanwhileWinsOverAStamp() throws Exception {
        // ByYear was made before the table had replicas; a region sorting before this one deletes it, its clock far behind.
        TableMetadata stamped = ReplicaIndexes.stamped(table(List.of(index("ByYear", "year", AttributeType.N,
                SecondaryIndex.Status.ACTIVE)), List.of()), table(List.of(), List.of()), "us-east-1");
        assertEquals(new SharedSettingsVersion(1, "us-east-1"), stamped.options().indexVersion("ByYear"));
        // The least version SharedSettingsVersion.next gives a change over NONE (a clock at 0): two past it.
        SharedSettingsVersion deletedThere = new SharedSettingsVersion(2, "ap-south-1");
        TableMetadata merged = ReplicaIndexes.merged(view(false, change("ByYear", true, deletedThere)), stamped);
        assertEquals(List.of("ByYear:DELETING"), indexes(merged));
    }

    @Test
    void anAttributeADroppedIndexUsedMayComeBackWithAnotherType() throws Exception {
        // Still with the dropped index's definition of year as a number, as a table stored before they went with it.
        TableMetadata dropped = table(List.of(), List.of(new IndexVersion("ByYear", true, OLD)));
        // ByYear made again elsewhere, year now a string.
        TableMetadata made = ReplicaIndexes.merged(view("year", "S", change("ByYear", false, NEW)), dropped);
        assertEquals(List.of("ByYear:CREATING"), indexes(made));
        assertEquals(List.of(new AttributeDefinition("id", AttributeType.S), new AttributeDefinition("year", AttributeType.S)),
                made.attributeDefinitions());
    }
}
