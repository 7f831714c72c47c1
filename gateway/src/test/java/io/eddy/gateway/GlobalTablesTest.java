package io.eddy.gateway;

import static io.eddy.gateway.TestTables.invalid;
import static io.eddy.gateway.TestTables.n;
import static io.eddy.gateway.TestTables.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.persistence.ItemVersion;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ReplicaDescription;
import software.amazon.awssdk.services.dynamodb.model.ReplicaStatus;
import software.amazon.awssdk.services.dynamodb.model.ReplicationGroupUpdate;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.model.TableClass;
import software.amazon.awssdk.services.dynamodb.model.UpdateReplicationGroupMemberAction;

/**
 * Global tables (UpdateTable's ReplicaUpdates) between two real nodes, regions us-east-1 and
 * us-west-2, each replicating to the other over HTTP: a replica added to a table with items gets
 * them all, then writes in either region reach the other, concurrent writes converge on the last
 * writer, a node that was down catches up, and a deleted replica's table is gone.
 */
class GlobalTablesTest {

    private static final String EAST = "us-east-1";
    private static final String WEST = "us-west-2";

    @TempDir
    Path eastDir;
    @TempDir
    Path westDir;


    private static TestNode start(Path dir, String region, int port, String peerRegion, int peerPort) throws Exception {
        return start(dir, region, port, peerRegion, peerPort, Map.of());
    }

    /** A node of {@code region} replicating with {@code peerRegion}, with {@code extra} replication settings over the test's. */
    private static TestNode start(Path dir, String region, int port, String peerRegion, int peerPort, Map<String, Object> extra)
            throws Exception {
        Map<String, Object> settings = new HashMap<>(Map.of("eddy.region", region, "eddy.http.port", port,
                "eddy.replication.regions." + peerRegion + ".endpoint", "http://127.0.0.1:" + peerPort,
                "eddy.replication.retry-backoff", "200ms"));
        extra.forEach((name, value) -> settings.put("eddy.replication." + name, value));
        return TestNode.start(dir, settings);
    }

    private static void createMusic(DynamoDbClient ddb, BillingMode billing) {
        ddb.createTable(b -> {
            b.tableName("Music").billingMode(billing)
                    .attributeDefinitions(a -> a.attributeName("Artist").attributeType(ScalarAttributeType.S),
                            a -> a.attributeName("Title").attributeType(ScalarAttributeType.S))
                    .keySchema(k -> k.attributeName("Artist").keyType(KeyType.HASH), k -> k.attributeName("Title").keyType(KeyType.RANGE));
            if (billing == BillingMode.PROVISIONED) b.provisionedThroughput(p -> p.readCapacityUnits(5L).writeCapacityUnits(5L));
        });
    }

    private static Map<String, AttributeValue> key(String title) {
        return Map.of("Artist", s("Nina Simone"), "Title", s(title));
    }

    private static Map<String, AttributeValue> song(String title, String year) {
        Map<String, AttributeValue> item = new HashMap<>(key(title));
        item.put("Year", n(year));
        return item;
    }

    private static software.amazon.awssdk.services.dynamodb.model.PutItemRequest putSong(String title, String year) {
        return software.amazon.awssdk.services.dynamodb.model.PutItemRequest.builder().tableName("Music").item(song(title, year)).build();
    }

    private static Optional<Map<String, AttributeValue>> get(DynamoDbClient ddb, String title) {
        var item = ddb.getItem(b -> b.tableName("Music").key(key(title)).consistentRead(true)).item();
        return item.isEmpty() ? Optional.empty() : Optional.of(item);
    }

    private static <T> T await(String what, Supplier<T> value, java.util.function.Predicate<T> done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (true) {
            T current = value.get();
            if (done.test(current)) return current;
            assertTrue(System.nanoTime() < deadline, what + ", still: " + current);
            Thread.sleep(50);
        }
    }

    /** Every item of the table, in key order, by a consistent scan. */
    private static List<Map<String, AttributeValue>> allItems(DynamoDbClient ddb) {
        List<Map<String, AttributeValue>> items = new java.util.ArrayList<>();
        ddb.scanPaginator(b -> b.tableName("Music").consistentRead(true)).items().forEach(items::add);
        items.sort(java.util.Comparator.comparing(item -> item.get("Title").s()));
        return items;
    }

    /**
     * East with 600 items starts seeding a replica in west, and west stops once it holds some of
     * them: the seeding is cut short, west's table left CREATING.
     */
    private static void seedPartly(TestNode east, TestNode west) throws Exception {
        createMusic(east.client, BillingMode.PAY_PER_REQUEST);
        for (int i = 0; i < 600; i += 25) {
            List<software.amazon.awssdk.services.dynamodb.model.WriteRequest> puts = new java.util.ArrayList<>();
            for (int j = i; j < i + 25; j++) {
                Map<String, AttributeValue> item = song("Seeded " + j, "1960");
                puts.add(software.amazon.awssdk.services.dynamodb.model.WriteRequest.builder().putRequest(p -> p.item(item)).build());
            }
            east.client.batchWriteItem(b -> b.requestItems(Map.of("Music", puts)));
        }
        addReplica(east.client, WEST);
        await("the seeding has begun", () -> west.node.shards().tables().find("Music")
                .map(table -> west.node.shards().tableStats(table).itemCount()).orElse(0L), count -> count >= 30);
        west.close();
    }

    private static List<ReplicaDescription> replicas(DynamoDbClient ddb) {
        return ddb.describeTable(b -> b.tableName("Music")).table().replicas();
    }

    private static TableDescription addReplica(DynamoDbClient ddb, String region) {
        return ddb.updateTable(b -> b.tableName("Music")
                .replicaUpdates(ReplicationGroupUpdate.builder().create(c -> c.regionName(region)).build())).tableDescription();
    }

    @Test
    void aReplicaGetsEveryItemThenBothRegionsWriteAndConverge() throws Exception {
        int eastPort = TestPorts.free();
        int westPort = TestPorts.free();
        try (TestNode east = start(eastDir, EAST, eastPort, WEST, westPort);
             TestNode west = start(westDir, WEST, westPort, EAST, eastPort)) {
            createMusic(east.client, BillingMode.PAY_PER_REQUEST);
            for (int i = 0; i < 60; i++) east.client.putItem(putSong("Song " + i, "1960"));
            for (int i = 0; i < 400; i++) east.client.putItem(putSong("Churn " + i, "1"));

            // Writes go on while the replica is seeded: it must end with their last state, not the snapshot's.
            java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean(true);
            Thread churn = new Thread(() -> {
                java.util.Random random = new java.util.Random(7);
                for (int round = 2; writing.get(); round++) {
                    int i = random.nextInt(400);
                    if (round % 5 == 0) east.client.deleteItem(b -> b.tableName("Music").key(key("Churn " + i)));
                    else east.client.putItem(putSong("Churn " + i, String.valueOf(round)));
                }
            });
            churn.start();
            TableDescription updated = addReplica(east.client, WEST);
            assertEquals(List.of(ReplicaDescription.builder().regionName(WEST).replicaStatus(ReplicaStatus.CREATING)
                    .globalTableSettingsReplicationMode("ENABLED_WITH_OVERRIDES").build()), updated.replicas());
            assertEquals("2019.11.21", updated.globalTableVersion());
            assertEquals("ENABLED_WITH_OVERRIDES", updated.globalTableSettingsReplicationModeAsString());
            assertEquals(StreamViewType.NEW_AND_OLD_IMAGES, updated.streamSpecification().streamViewType());

            await("the replica turns ACTIVE", () -> replicas(east.client),
                    list -> list.size() == 1 && list.get(0).replicaStatus() == ReplicaStatus.ACTIVE);
            TableDescription westTable = TestTables.awaitActive(west.client, "Music");
            assertEquals(List.of(ReplicaDescription.builder().regionName(EAST).replicaStatus(ReplicaStatus.ACTIVE)
                    .globalTableSettingsReplicationMode("ENABLED_WITH_OVERRIDES").build()), westTable.replicas());
            Thread.sleep(300);
            writing.set(false);
            churn.join();
            await("both regions hold the same items after the churn", () -> allItems(east.client).equals(allItems(west.client)),
                    same -> same);
            for (int i = 0; i < 400; i++) {
                String title = "Churn " + i;
                east.client.deleteItem(b -> b.tableName("Music").key(key(title)));
            }
            await("the churned items are deleted in both regions", () -> west.client.scan(b -> b.tableName("Music")).count(),
                    count -> count == 60);

            // Writes in either region reach the other.
            east.client.putItem(b -> b.tableName("Music").item(song("Feeling Good", "1965")));
            await("east's put reaches west", () -> get(west.client, "Feeling Good"), item -> item.isPresent());
            west.client.updateItem(b -> b.tableName("Music").key(key("Feeling Good"))
                    .updateExpression("SET #y = :y").expressionAttributeNames(Map.of("#y", "Year"))
                    .expressionAttributeValues(Map.of(":y", n("1966"))));
            await("west's update reaches east", () -> get(east.client, "Feeling Good"),
                    item -> item.isPresent() && item.get().get("Year").n().equals("1966"));
            east.client.deleteItem(b -> b.tableName("Music").key(key("Song 7")));
            await("east's delete reaches west", () -> get(west.client, "Song 7"), Optional::isEmpty);

            // Concurrent writes to one item: both regions end with the same one.
            for (int round = 0; round < 20; round++) {
                String year = String.valueOf(2000 + round);
                east.client.putItem(b -> b.tableName("Music").item(song("Contested", year)));
                west.client.putItem(b -> b.tableName("Music").item(song("Contested", String.valueOf(3000 + Integer.parseInt(year)))));
            }
            await("both regions hold the same last write", () -> List.of(get(east.client, "Contested"), get(west.client, "Contested")),
                    both -> both.get(0).isPresent() && both.get(0).equals(both.get(1)));
            await("both regions hold the same items", () -> List.of(
                            east.client.scan(b -> b.tableName("Music")).count(), west.client.scan(b -> b.tableName("Music")).count()),
                    counts -> counts.get(0).equals(counts.get(1)) && counts.get(0) == 61);

            // A global index created in one region is created, and backfilled, in the other; deleted there, it goes here too.
            createYearIndex(east.client, "ByYear", "ALL");
            await("west builds east's new index", () -> indexStatuses(west.client), List.of("ByYear:ACTIVE")::equals);
            String someYear = allItems(east.client).get(0).get("Year").n();
            long inThatYear = allItems(east.client).stream().filter(item -> someYear.equals(item.get("Year").n())).count();
            assertTrue(inThatYear > 0);
            assertEquals((int) inThatYear, west.client.query(b -> b.tableName("Music").indexName("ByYear").keyConditionExpression("#y = :y")
                    .expressionAttributeNames(Map.of("#y", "Year")).expressionAttributeValues(Map.of(":y", n(someYear)))).count());
            await("east's index turns ACTIVE", () -> indexStatuses(east.client), List.of("ByYear:ACTIVE")::equals);

            // A replica's own settings, asked in the other region, are made in the replica's (its UpdateTable there).
            updateReplica(east.client, u -> u.regionName(WEST).tableClassOverride(TableClass.STANDARD_INFREQUENT_ACCESS)
                    .onDemandThroughputOverride(o -> o.maxReadRequestUnits(100L))
                    .globalSecondaryIndexes(i -> i.indexName("ByYear").onDemandThroughputOverride(o -> o.maxReadRequestUnits(50L))));
            TableDescription westSettings = west.client.describeTable(b -> b.tableName("Music")).table();
            assertEquals(TableClass.STANDARD_INFREQUENT_ACCESS, westSettings.tableClassSummary().tableClass());
            assertEquals(100L, westSettings.onDemandThroughput().maxReadRequestUnits());
            assertEquals(50L, westSettings.globalSecondaryIndexes().get(0).onDemandThroughput().maxReadRequestUnits());
            TableDescription eastSettings = east.client.describeTable(b -> b.tableName("Music")).table();
            assertEquals(null, eastSettings.tableClassSummary(), "east keeps its own settings");
            assertEquals(null, eastSettings.onDemandThroughput());
            // A region's own settings are its UpdateTable's: ReplicaUpdates naming it are refused, as DynamoDB refuses them.
            invalid(LOCAL_REGION, () -> updateReplica(west.client, u -> u.regionName(WEST).onDemandThroughputOverride(o -> o.maxReadRequestUnits(200L))));
            west.client.updateTable(b -> b.tableName("Music").onDemandThroughput(o -> o.maxReadRequestUnits(200L)));
            assertEquals(200L, west.client.describeTable(b -> b.tableName("Music")).table().onDemandThroughput().maxReadRequestUnits());
            // Each region lists the others' own settings, as their regions report them.
            await("east lists west's own settings", () -> replicas(east.client).get(0), replica -> replica.replicaTableClassSummary() != null
                    && replica.replicaTableClassSummary().tableClass() == TableClass.STANDARD_INFREQUENT_ACCESS
                    && replica.onDemandThroughputOverride() != null && replica.onDemandThroughputOverride().maxReadRequestUnits() == 200L
                    && replica.globalSecondaryIndexes().size() == 1
                    && replica.globalSecondaryIndexes().get(0).onDemandThroughputOverride().maxReadRequestUnits() == 50L);
            ReplicaDescription eastSeenFromWest = replicas(west.client).get(0);
            assertEquals(null, eastSeenFromWest.replicaTableClassSummary(), "east chose no table class");
            assertEquals(null, eastSeenFromWest.onDemandThroughputOverride());
            TestTables.rejected("ResourceNotFoundException", "Requested resource not found: Index Ghost for table Music",
                    () -> updateReplica(east.client, u -> u.regionName(WEST).tableClassOverride(TableClass.STANDARD)
                            .globalSecondaryIndexes(i -> i.indexName("Ghost").onDemandThroughputOverride(o -> o.maxReadRequestUnits(5L)))));
            assertEquals(TableClass.STANDARD_INFREQUENT_ACCESS,
                    west.client.describeTable(b -> b.tableName("Music")).table().tableClassSummary().tableClass(), "no half change");
            west.client.updateTable(b -> b.tableName("Music").globalSecondaryIndexUpdates(u -> u.delete(d -> d.indexName("ByYear"))));
            await("east deletes the index west deleted", () -> indexStatuses(east.client), List::isEmpty);
            await("west's index is gone", () -> indexStatuses(west.client), List::isEmpty);

            // A global table keeps its stream; a replica with deletion protection is not deleted, nor asked elsewhere to be.
            east.client.updateTable(b -> b.tableName("Music").deletionProtectionEnabled(true));
            invalid("Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.",
                    () -> east.client.deleteTable(b -> b.tableName("Music")));
            assertEquals(List.of(ReplicaStatus.ACTIVE), replicas(west.client).stream().map(ReplicaDescription::replicaStatus).toList());
            east.client.updateTable(b -> b.tableName("Music").deletionProtectionEnabled(false));
            invalid("Disabling the stream is not allowed on a Global Table: table Music has replicas in other regions; delete them first "
                    + "with UpdateTable ReplicaUpdates", () -> west.client.updateTable(b -> b.tableName("Music")
                    .streamSpecification(spec -> spec.streamEnabled(false))));
            // DynamoDB applies warm throughput to every replica; Eddy does not carry it, so it refuses rather than warm one region.
            invalid("Changing WarmThroughput is not allowed on a Global Table: table Music has replicas in other regions; delete them first "
                    + "with UpdateTable ReplicaUpdates", () -> west.client.updateTable(b -> b.tableName("Music")
                    .warmThroughput(w -> w.readUnitsPerSecond(50_000L))));
            assertEquals(12_000L, west.client.describeTable(b -> b.tableName("Music")).table().warmThroughput().readUnitsPerSecond());
            invalid("Failed to create a the new replica of table with name: 'Music' because one or more replicas already existed as tables.",
                    () -> addReplica(east.client, WEST));

            // Deleting the replica (asked in east) deletes west's table.
            east.client.updateTable(b -> b.tableName("Music")
                    .replicaUpdates(ReplicationGroupUpdate.builder().delete(d -> d.regionName(WEST)).build()));
            await("the replica is gone from east's description", () -> replicas(east.client), List::isEmpty);
            await("west's table is deleted", () -> {
                try {
                    return west.client.describeTable(b -> b.tableName("Music")).table().tableStatus();
                } catch (ResourceNotFoundException gone) {
                    return null;
                }
            }, status -> status == null);
            east.client.putItem(b -> b.tableName("Music").item(song("After", "1970")));
            assertEquals(62, east.client.scan(b -> b.tableName("Music")).count(), "east keeps its items and takes writes");

            // An index made while the table has no replicas: a replica added later has it, and its deletion is shared.
            createYearIndex(east.client, "Earlier", "KEYS_ONLY");
            await("east builds its index", () -> indexStatuses(east.client), List.of("Earlier:ACTIVE")::equals);

            // Added again (after an index was deleted), the replica is seeded anew: every item, not just what changed since.
            long beforeAddedAgain = System.currentTimeMillis() * 1000;
            addReplica(east.client, WEST);
            await("the replica turns ACTIVE again", () -> replicas(east.client),
                    list -> list.size() == 1 && list.get(0).replicaStatus() == ReplicaStatus.ACTIVE);
            TestTables.awaitActive(west.client, "Music");
            assertEquals(allItems(east.client), allItems(west.client));
            // A change the earlier west replica made, reaching east only now (through a third region, in life): east
            // passes it on to the new replica, which never held it, although the change is west's.
            var late = replicationCall(east, "{\"TableName\":\"Music\",\"SourceRegion\":\"us-west-2\",\"Changes\":[{\"Key\":"
                    + "{\"Artist\":{\"S\":\"Nina Simone\"},\"Title\":{\"S\":\"Late\"}},\"Item\":{\"Artist\":{\"S\":\"Nina Simone\"},"
                    + "\"Title\":{\"S\":\"Late\"}},\"VersionTime\":" + beforeAddedAgain + ",\"VersionRegion\":\"us-west-2\"}]}");
            assertEquals(200, late.statusCode(), new String(late.body()));
            await("the earlier west replica's change reaches the new one", () -> get(west.client, "Late"), Optional::isPresent);
            await("west has east's index", () -> indexStatuses(west.client), List.of("Earlier:ACTIVE")::equals);
            west.client.updateTable(b -> b.tableName("Music").globalSecondaryIndexUpdates(u -> u.delete(d -> d.indexName("Earlier"))));
            await("east deletes the index west deleted", () -> indexStatuses(east.client), List::isEmpty);
            invalid("Table write capacity should either be Pay-Per-Request or AutoScaled.", () -> west.client.updateTable(b -> b
                    .tableName("Music").billingMode(BillingMode.PROVISIONED).provisionedThroughput(p -> p.readCapacityUnits(5L).writeCapacityUnits(5L))));
            west.client.updateTable(b -> b.tableName("Music")
                    .replicaUpdates(ReplicationGroupUpdate.builder().delete(d -> d.regionName(EAST)).build()));
            await("east's table is deleted when west deletes that replica", () -> {
                try {
                    return east.client.describeTable(b -> b.tableName("Music")).table().tableStatus();
                } catch (ResourceNotFoundException gone) {
                    return null;
                }
            }, status -> status == null);
            await("west forgets the replica", () -> replicas(west.client), List::isEmpty);
            west.client.deleteTable(b -> b.tableName("Music"));
        }
    }

    @Test
    void threeRegionsEachHearOfTheOthersAndConverge(@TempDir Path europeDir) throws Exception {
        String europe = "eu-west-1";
        Map<String, Integer> ports = Map.of(EAST, TestPorts.free(), WEST, TestPorts.free(), europe, TestPorts.free());
        try (TestNode east = TestNode.start(eastDir, regionSettings(EAST, ports, Map.of()));
             TestNode west = TestNode.start(westDir, regionSettings(WEST, ports, Map.of()));
             TestNode eu = TestNode.start(europeDir, regionSettings(europe, ports, Map.of()))) {
            createMusic(east.client, BillingMode.PAY_PER_REQUEST);
            for (int i = 0; i < 20; i++) east.client.putItem(putSong("Song " + i, "1960"));
            addReplica(east.client, WEST);
            await("west turns ACTIVE", () -> replicas(east.client), list -> list.size() == 1 && list.get(0).replicaStatus() == ReplicaStatus.ACTIVE);
            east.client.putItem(putSong("Written in east before Europe", "1961"));
            // An index created and deleted: its attribute definition, now unused, must not keep a replica from being made.
            createYearIndex(east.client, "Passing", "ALL");
            await("west builds the index", () -> indexStatuses(west.client), List.of("Passing:ACTIVE")::equals);
            await("east builds the index", () -> indexStatuses(east.client), List.of("Passing:ACTIVE")::equals);
            east.client.updateTable(b -> b.tableName("Music").globalSecondaryIndexUpdates(u -> u.delete(d -> d.indexName("Passing"))));
            await("the index is gone in west", () -> indexStatuses(west.client), List::isEmpty);
            await("east's write reaches west", () -> get(west.client, "Written in east before Europe"), Optional::isPresent);
            long replicatedToWest = steadyReplicateItemsServed(west);
            // Europe is added from west, which did not create the table: it learns of east from west's view. Its
            // table class is its own.
            west.client.updateTable(b -> b.tableName("Music").replicaUpdates(ReplicationGroupUpdate.builder()
                    .create(c -> c.regionName(europe).tableClassOverride(TableClass.STANDARD_INFREQUENT_ACCESS)).build()));
            await("Europe turns ACTIVE", () -> replicas(west.client),
                    list -> list.size() == 2 && list.stream().allMatch(replica -> replica.replicaStatus() == ReplicaStatus.ACTIVE));
            TestTables.awaitActive(eu.client, "Music");
            assertEquals(TableClass.STANDARD_INFREQUENT_ACCESS,
                    eu.client.describeTable(b -> b.tableName("Music")).table().tableClassSummary().tableClass());
            await("east hears of Europe", () -> replicas(east.client).stream().map(ReplicaDescription::regionName).sorted().toList(),
                    regions -> regions.equals(List.of(europe, WEST)));
            assertEquals(List.of(EAST, WEST), replicas(eu.client).stream().map(ReplicaDescription::regionName).sorted().toList());
            await("east's earlier write reaches Europe", () -> get(eu.client, "Written in east before Europe"), Optional::isPresent);
            await("east hears Europe is ACTIVE", () -> replicas(east.client),
                    list -> list.stream().allMatch(replica -> replica.replicaStatus() == ReplicaStatus.ACTIVE));
            assertEquals(replicatedToWest, replicateItemsServed(west), "Europe, being seeded, passed on nothing of what it was sent");
            replicaAutoScalingIsOff(east.client, List.of(europe, EAST, WEST));

            eu.client.putItem(putSong("From Europe", "1962"));
            west.client.putItem(putSong("From west", "1963"));
            for (int round = 0; round < 10; round++) {
                String year = String.valueOf(2000 + round);
                east.client.putItem(putSong("Contested", year));
                west.client.putItem(putSong("Contested", "3" + year));
                eu.client.putItem(putSong("Contested", "4" + year));
            }
            await("all three regions hold the same items", () -> {
                List<Map<String, AttributeValue>> expected = allItems(east.client);
                return expected.size() == 24 && expected.equals(allItems(west.client)) && expected.equals(allItems(eu.client));
            }, same -> same);

            // DeleteTable in Europe deletes Europe's replica only (another replica's node is asked to): the others stay.
            // Europe's table takes no more requests meanwhile, and a second DeleteTable is told it is being deleted.
            assertEquals(TableStatus.DELETING, eu.client.deleteTable(b -> b.tableName("Music")).tableDescription().tableStatus());
            TestTables.rejected("ResourceNotFoundException", "Requested resource not found",
                    () -> eu.client.putItem(putSong("Too late", "1965")));
            DynamoDbException again = org.junit.jupiter.api.Assertions.assertThrows(DynamoDbException.class,
                    () -> eu.client.deleteTable(b -> b.tableName("Music")));
            assertTrue(again.awsErrorDetails().errorMessage().equals("Attempt to change a resource which is still in use: Table is being "
                    + "deleted: Music") || again instanceof ResourceNotFoundException, again.toString());
            await("Europe's table is deleted", () -> {
                try {
                    return eu.client.describeTable(b -> b.tableName("Music")).table().tableStatus();
                } catch (ResourceNotFoundException gone) {
                    return null;
                }
            }, status -> status == null);
            await("east forgets Europe", () -> replicas(east.client).stream().map(ReplicaDescription::regionName).toList(),
                    List.of(WEST)::equals);
            await("west forgets Europe", () -> replicas(west.client).stream().map(ReplicaDescription::regionName).toList(),
                    List.of(EAST)::equals);
            west.client.putItem(putSong("After Europe left", "1964"));
            await("east and west still replicate", () -> get(east.client, "After Europe left"), Optional::isPresent);
        }
    }

    /**
     * Describe- and UpdateTableReplicaAutoScaling of an on-demand global table, as DynamoDB answers:
     * every replica (the one asked too, by region name) with auto scaling disabled; only disabling
     * taken; DynamoDB's checks and messages.
     */
    private static void replicaAutoScalingIsOff(DynamoDbClient ddb, List<String> regions) {
        var off = software.amazon.awssdk.services.dynamodb.model.AutoScalingSettingsDescription.builder().autoScalingDisabled(true)
                .scalingPolicies(List.of()).build();
        var described = ddb.describeTableReplicaAutoScaling(b -> b.tableName("Music")).tableAutoScalingDescription();
        assertEquals("Music", described.tableName());
        assertEquals(TableStatus.ACTIVE, described.tableStatus());
        assertEquals(regions, described.replicas().stream().map(r -> r.regionName()).toList());
        for (var replica : described.replicas()) {
            assertEquals(ReplicaStatus.ACTIVE, replica.replicaStatus());
            assertEquals(off, replica.replicaProvisionedReadCapacityAutoScalingSettings());
            assertEquals(off, replica.replicaProvisionedWriteCapacityAutoScalingSettings());
            assertTrue(replica.hasGlobalSecondaryIndexes() && replica.globalSecondaryIndexes().isEmpty());
        }
        var disable = software.amazon.awssdk.services.dynamodb.model.AutoScalingSettingsUpdate.builder().autoScalingDisabled(true).build();
        assertEquals(described, ddb.updateTableReplicaAutoScaling(b -> b.tableName("Music").provisionedWriteCapacityAutoScalingUpdate(disable))
                .tableAutoScalingDescription());
        String upper = String.join(", ", regions.stream().map(r -> "'" + r.toUpperCase(java.util.Locale.ROOT) + "'").toList());
        invalid("Failed to update global table with name \u2018Music\u2018. Replicas " + upper + " BillingMode is PayPerRequest. You must "
                + "convert table's BillingMode to PROVISIONED to set parameters: 'GlobalTableProvisionedWriteCapacityAutoScalingSettingsUpdate'.",
                () -> ddb.updateTableReplicaAutoScaling(b -> b.tableName("Music").provisionedWriteCapacityAutoScalingUpdate(u -> u
                        .minimumUnits(1L).maximumUnits(10L).scalingPolicyUpdate(p -> p.targetTrackingScalingPolicyConfiguration(t -> t.targetValue(70.0))))));
        invalid("Failed to update global table with name \u2018Music\u2018. Replicas " + upper + " BillingMode is PayPerRequest. You must "
                + "convert table's BillingMode to PROVISIONED to set parameters: 'ReplicaProvisionedReadCapacityAutoScalingSettingsUpdate'.",
                () -> ddb.updateTableReplicaAutoScaling(b -> b.tableName("Music").replicaUpdates(r -> r.regionName(WEST)
                        .replicaProvisionedReadCapacityAutoScalingUpdate(u -> u.autoScalingDisabled(false)))));
        invalid("Failed to update settings for global table with name: \u2018Music\u2019 because at least one update parameter must be specified.",
                () -> ddb.updateTableReplicaAutoScaling(b -> b.tableName("Music")));
        invalid("Failed to update settings for global table with name: \u2018Music\u2019 because at least one update parameter must be "
                + "specified for region: \u2018us-west-2\u2019.", () -> ddb.updateTableReplicaAutoScaling(b -> b.tableName("Music")
                .replicaUpdates(r -> r.regionName(WEST))));
        invalid("Failed to update settings for global table with name: \u2018Music\u2019 because the regions: \u2018[us-west-2]\u2019 were "
                + "specified more than once.", () -> ddb.updateTableReplicaAutoScaling(b -> b.tableName("Music").replicaUpdates(
                r -> r.regionName(WEST).replicaProvisionedReadCapacityAutoScalingUpdate(disable),
                r -> r.regionName(WEST).replicaProvisionedReadCapacityAutoScalingUpdate(disable))));
        TestTables.rejected("ResourceNotFoundException", "Failed to update settings for global table with name: \u2018Music\u2019 because a "
                + "replica does not exist in regions: \u2018[ap-south-1]\u2019.", () -> ddb.updateTableReplicaAutoScaling(b -> b
                .tableName("Music").replicaUpdates(r -> r.regionName("ap-south-1").replicaProvisionedReadCapacityAutoScalingUpdate(disable))));
        TestTables.rejected("ResourceNotFoundException", "Failed to update settings for global table with name: \u2018Music\u2019 because the "
                + "global secondary indexes with names: \u2018[nope]\u2019 do not exist.", () -> ddb.updateTableReplicaAutoScaling(b -> b
                .tableName("Music").globalSecondaryIndexUpdates(g -> g.indexName("nope").provisionedWriteCapacityAutoScalingUpdate(disable))));
        invalid("Failed to update settings for global table with name \u2018Music\u2019: Parameters 'MaximumUnits', 'MinimumUnits' must be "
                + "left blank when disabling auto scaling.", () -> ddb.updateTableReplicaAutoScaling(b -> b.tableName("Music")
                .provisionedWriteCapacityAutoScalingUpdate(u -> u.autoScalingDisabled(true).minimumUnits(1L).maximumUnits(2L))));
        // Vector indexes are each region's own: not changed on a global table.
        invalid("Changing vector indexes is not allowed on a Global Table: table Music has replicas in other regions; delete them first with "
                + "UpdateTable ReplicaUpdates", () -> ddb.updateTable(b -> b.tableName("Music").vectorIndexUpdates(u -> u.create(c -> c
                .indexName("byEmbedding").vectorAttribute(v -> v.attributeName("embedding")).dimensions(3L).distanceFunction("COSINE")
                .projection(p -> p.projectionType("ALL"))))));
        // A regional table (and a missing one) is not a global table.
        ddb.createTable(b -> b.tableName("Regional").billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(a -> a.attributeName("id").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH)));
        for (String name : List.of("Regional", "Missing")) {
            TestTables.rejected("ResourceNotFoundException", "Global table with name: '" + name + "' does not exist.",
                    () -> ddb.describeTableReplicaAutoScaling(b -> b.tableName(name)));
            TestTables.rejected("ResourceNotFoundException", "Global table with name: '" + name + "' does not exist.",
                    () -> ddb.updateTableReplicaAutoScaling(b -> b.tableName(name).provisionedWriteCapacityAutoScalingUpdate(disable)));
        }
    }

    private static void updateReplica(DynamoDbClient ddb, java.util.function.Consumer<UpdateReplicationGroupMemberAction.Builder> update) {
        ddb.updateTable(b -> b.tableName("Music").replicaUpdates(ReplicationGroupUpdate.builder().update(update).build()));
    }

    /** A node of {@code region} replicating with every other region of {@code ports}, with {@code extra} settings. */
    /** The same, once it has not moved for half a second (a request is counted just after its items are written). */
    private static long steadyReplicateItemsServed(TestNode node) throws Exception {
        long seen = replicateItemsServed(node);
        while (true) {
            Thread.sleep(500);
            long now = replicateItemsServed(node);
            if (now == seen) return now;
            seen = now;
        }
    }

    /** How many ReplicateItems requests (another region's changes) the node has taken. */
    private static long replicateItemsServed(TestNode node) throws Exception {
        String text = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(node.endpoint() + "/metrics")).GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        MetricsTest.Scrape scrape = MetricsTest.Scrape.parse(text);
        return scrape.has("eddy_requests_total", "operation", "ReplicateItems", "outcome", "ok")
                ? (long) scrape.value("eddy_requests_total", "operation", "ReplicateItems", "outcome", "ok") : 0;
    }

    private static Map<String, Object> regionSettings(String region, Map<String, Integer> ports, Map<String, Object> extra) {
        Map<String, Object> all = new HashMap<>(Map.of("eddy.region", region, "eddy.http.port", ports.get(region),
                "eddy.replication.retry-backoff", "200ms"));
        ports.forEach((peer, peerPort) -> {
            if (!peer.equals(region)) all.put("eddy.replication.regions." + peer + ".endpoint", "http://127.0.0.1:" + peerPort);
        });
        all.putAll(extra);
        return all;
    }

    @Test
    void aRegionThatMissedAChangeLearnsItLaterAndAllShareTheTtlSetting(@TempDir Path europeDir) throws Exception {
        String europe = "eu-west-1";
        Map<String, Integer> ports = Map.of(EAST, TestPorts.free(), WEST, TestPorts.free(), europe, TestPorts.free());
        Map<String, Object> extra = Map.of("eddy.replication.announce-interval", "1s", "eddy.ttl.update-interval", "0s");
        TestNode west = TestNode.start(westDir, regionSettings(WEST, ports, extra));
        TestNode east = TestNode.start(eastDir, regionSettings(EAST, ports, extra));
        try (TestNode eu = TestNode.start(europeDir, regionSettings(europe, ports, extra))) {
            TestNode eastNode = east;
            createMusic(east.client, BillingMode.PAY_PER_REQUEST);
            // TTL set before the table has replicas, as is usual: the replicas start with it.
            east.client.updateTimeToLive(b -> b.tableName("Music").timeToLiveSpecification(t -> t.enabled(true).attributeName("expires")));
            addReplica(east.client, WEST);
            await("west turns ACTIVE", () -> replicas(eastNode.client), list -> list.size() == 1 && list.get(0).replicaStatus() == ReplicaStatus.ACTIVE);
            assertEquals("expires", ttlAttribute(west.client));

            // West is down while Europe is added: it misses that change, and learns it once it is back.
            west.close();
            addReplica(east.client, europe);
            await("Europe turns ACTIVE", () -> replicas(eastNode.client).stream().filter(replica -> replica.regionName().equals(europe))
                    .map(ReplicaDescription::replicaStatus).toList(), List.of(ReplicaStatus.ACTIVE)::equals);
            TestTables.awaitActive(eu.client, "Music");
            assertEquals("expires", ttlAttribute(eu.client), "a new replica starts with the table's TTL setting");
            west = TestNode.start(westDir, regionSettings(WEST, ports, extra));
            TestNode restarted = west;
            await("west hears of Europe", () -> replicas(restarted.client).stream().map(ReplicaDescription::regionName).sorted().toList(),
                    List.of(europe, EAST)::equals);
            // What a view says with an older version than west knows is ignored; a view without versions is refused.
            String older = "{\"TableName\":\"Music\",\"SourceRegion\":\"us-east-1\",\"Replicas\":[{\"RegionName\":\"eu-west-1\","
                    + "\"ReplicaStatus\":\"DELETING\",\"Version\":{\"Counter\":1,\"Region\":\"us-east-1\"}}],\"RemovedReplicas\":[],"
                    + "\"TimeToLive\":{\"Version\":{\"Counter\":1,\"Region\":\"us-east-1\"}},\"IndexVersions\":[]}";
            var ignored = replicationCall(restarted, "UpdateReplicas", older);
            assertEquals(200, ignored.statusCode(), new String(ignored.body()));
            var unversioned = replicationCall(restarted, "UpdateReplicas", older.replace(",\"Version\":{\"Counter\":1,\"Region\":\"us-east-1\"}}]", "}]"));
            assertEquals(400, unversioned.statusCode());
            assertTrue(new String(unversioned.body()).contains("Each Version needs a Counter of at least 0 and a Region"),
                    new String(unversioned.body()));
            assertEquals(List.of(ReplicaStatus.ACTIVE, ReplicaStatus.ACTIVE),
                    replicas(restarted.client).stream().map(ReplicaDescription::replicaStatus).toList());
            assertEquals("expires", ttlAttribute(restarted.client));

            // With east down, west's write and its TTL change reach Europe from west itself.
            east.close();
            restarted.client.putItem(putSong("From west", "1964"));
            await("west's write reaches Europe", () -> get(eu.client, "From west"), Optional::isPresent);
            restarted.client.updateTimeToLive(b -> b.tableName("Music").timeToLiveSpecification(t -> t.enabled(false).attributeName("expires")));
            await("Europe takes west's TTL change", () -> ttlAttribute(eu.client), java.util.Objects::isNull);
            // East, back with its older setting, takes west's; its own older one changes nothing elsewhere.
            east = TestNode.start(eastDir, regionSettings(EAST, ports, extra));
            TestNode eastAgain = east;
            await("east takes west's TTL change", () -> ttlAttribute(eastAgain.client), java.util.Objects::isNull);
            Thread.sleep(1500); // past an announcement interval: east's own announcement has gone out
            assertEquals(null, ttlAttribute(eu.client));
            assertEquals(null, ttlAttribute(restarted.client));
            assertEquals(List.of(EAST, WEST), replicas(eu.client).stream().map(ReplicaDescription::regionName).sorted().toList());
        } finally {
            west.close();
            east.close();
        }
    }

    /** UpdateTable creating a global index of Music on Year. */
    private static void createYearIndex(DynamoDbClient ddb, String name, String projection) {
        ddb.updateTable(b -> b.tableName("Music")
                .attributeDefinitions(a -> a.attributeName("Year").attributeType(ScalarAttributeType.N))
                .globalSecondaryIndexUpdates(u -> u.create(c -> c.indexName(name)
                        .keySchema(k -> k.attributeName("Year").keyType(KeyType.HASH))
                        .projection(pr -> pr.projectionType(projection)))));
    }

    /** The table's global indexes as DescribeTable reports them, as "name:status". */
    private static List<String> indexStatuses(DynamoDbClient ddb) {
        return ddb.describeTable(b -> b.tableName("Music")).table().globalSecondaryIndexes().stream()
                .map(index -> index.indexName() + ":" + index.indexStatusAsString()).toList();
    }

    /** The table's TTL attribute as DescribeTimeToLive reports it; null when TTL is not enabled. */
    private static String ttlAttribute(DynamoDbClient ddb) {
        var ttl = ddb.describeTimeToLive(b -> b.tableName("Music")).timeToLiveDescription();
        return ttl.timeToLiveStatusAsString().equals("ENABLED") ? ttl.attributeName() : null;
    }

    @Test
    void aRegionThatWasDownCatchesUpFromItsCheckpoint() throws Exception {
        int eastPort = TestPorts.free();
        int westPort = TestPorts.free();
        TestNode west = start(westDir, WEST, westPort, EAST, eastPort);
        try (TestNode east = start(eastDir, EAST, eastPort, WEST, westPort)) {
            createMusic(east.client, BillingMode.PAY_PER_REQUEST);
            addReplica(east.client, WEST);
            await("the replica turns ACTIVE", () -> replicas(east.client),
                    list -> list.size() == 1 && list.get(0).replicaStatus() == ReplicaStatus.ACTIVE);
            west.close();
            for (int i = 0; i < 30; i++) east.client.putItem(putSong("While down " + i, "1970"));
            east.client.deleteItem(b -> b.tableName("Music").key(key("While down 0")));
            west = start(westDir, WEST, westPort, EAST, eastPort);
            TestNode restarted = west;
            await("west catches up", () -> restarted.client.scan(b -> b.tableName("Music")).count(), count -> count == 29);
            assertFalse(get(restarted.client, "While down 0").isPresent());
            // And west's own writes still reach east.
            restarted.client.putItem(b -> b.tableName("Music").item(song("From west", "1971")));
            await("west's put reaches east", () -> get(east.client, "From west"), Optional::isPresent);
        } finally {
            west.close();
        }
    }

    @Test
    void nodesThatCheckSignaturesReplicateWithTheirConfiguredKeys() throws Exception {
        int eastPort = TestPorts.free();
        int westPort = TestPorts.free();
        Map<String, Object> credentials = Map.of("AKIDEXAMPLE", "secret", "REPLICATOR", "replicator-secret", "OPS", "OPS-secret");
        Map<String, Object> eastSettings = new HashMap<>(Map.of("eddy.region", EAST, "eddy.http.port", eastPort,
                "eddy.auth.permissions.OPS", List.of(Map.of("actions", List.of("dynamodb:*"), "resources", List.of("*")),
                        Map.of("effect", "Deny", "actions", List.of("dynamodb:DeleteTable"),
                                "resources", List.of("arn:aws:dynamodb:*:000000000000:table/Music"))),
                "eddy.auth.credentials", credentials,
                "eddy.replication.regions." + WEST + ".endpoint", "http://127.0.0.1:" + westPort,
                "eddy.replication.regions." + WEST + ".access-key-id", "REPLICATOR",
                "eddy.replication.regions." + WEST + ".secret-access-key", "replicator-secret",
                "eddy.replication.regions." + WEST + ".accept-key", "REPLICATOR"));
        Map<String, Object> westSettings = new HashMap<>(Map.of("eddy.region", WEST, "eddy.http.port", westPort,
                "eddy.auth.credentials", credentials,
                "eddy.replication.regions." + EAST + ".endpoint", "http://127.0.0.1:" + eastPort,
                "eddy.replication.regions." + EAST + ".access-key-id", "REPLICATOR",
                "eddy.replication.regions." + EAST + ".secret-access-key", "replicator-secret",
                "eddy.replication.regions." + EAST + ".accept-key", "REPLICATOR",
                // West's feeds start well after it turns ACTIVE: its first writes must still be sent.
                "eddy.replication.poll-interval", "3s"));
        try (TestNode east = TestNode.start(eastDir, eastSettings); TestNode west = TestNode.start(westDir, westSettings)) {
            createMusic(east.client, BillingMode.PAY_PER_REQUEST);
            east.client.putItem(putSong("Signed", "1963"));
            addReplica(east.client, WEST);
            await("the replica turns ACTIVE", () -> replicas(east.client),
                    list -> list.size() == 1 && list.get(0).replicaStatus() == ReplicaStatus.ACTIVE);
            assertTrue(get(west.client, "Signed").isPresent());
            west.client.putItem(putSong("Signed back", "1964"));
            await("west's put reaches east", () -> get(east.client, "Signed back"), Optional::isPresent);
            // Deleting a replica needs DeleteTable and DeleteTableReplica on the replica's table, as in DynamoDB: a key
            // denied DeleteTable on Music in every region cannot delete west's copy through UpdateTable either.
            var refused = TestTables.signed(east, software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("OPS", "OPS-secret"),
                    "UpdateTable", "{'TableName':'Music','ReplicaUpdates':[{'Delete':{'RegionName':'us-west-2'}}]}");
            assertEquals("com.amazon.coral.service#AccessDeniedException", refused.body().path("__type").asText(), refused.body().toString());
            assertTrue(refused.message().contains("perform: dynamodb:DeleteTable on resource: arn:aws:dynamodb:us-west-2:000000000000:table/Music"),
                    refused.message());
            assertEquals(ReplicaStatus.ACTIVE, replicas(east.client).get(0).replicaStatus());
            // Replication requests are checked like any other: an unsigned one writes nothing.
            var forged = replicationCall(west, "{\"TableName\":\"Music\",\"SourceRegion\":\"us-east-1\",\"Changes\":[{\"Key\":"
                    + "{\"Artist\":{\"S\":\"Nina Simone\"},\"Title\":{\"S\":\"Forged\"}},\"Item\":{\"Artist\":{\"S\":\"Nina Simone\"},"
                    + "\"Title\":{\"S\":\"Forged\"}},\"VersionTime\":1,\"VersionRegion\":\"us-east-1\"}]}");
            assertEquals(400, forged.statusCode());
            assertTrue(new String(forged.body()).contains("InvalidSignatureException"), new String(forged.body()));
            // A client's key, however well signed, may not call replication.
            var client = TestTables.signed(west, software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("AKIDEXAMPLE", "secret"),
                    HttpReplicaLink.TARGET_PREFIX + "DeleteTableReplica", "{'TableName':'Music','SourceRegion':'us-east-1'}");
            assertEquals(400, client.status());
            assertEquals("The access key AKIDEXAMPLE is not the accept-key of region us-east-1 in eddy.replication.regions: it may "
                    + "not call EddyReplication_20261202.DeleteTableReplica", client.message());
            assertTrue(get(west.client, "Forged").isEmpty());
            assertEquals(TableStatus.ACTIVE, west.client.describeTable(b -> b.tableName("Music")).table().tableStatus());
        }
    }

    /** A replication request as another node sends it, with a well-formed but unchecked Authorization. */
    private static java.net.http.HttpResponse<byte[]> replicationCall(TestNode node, String body) throws Exception {
        return replicationCall(node, "ReplicateItems", body);
    }

    private static java.net.http.HttpResponse<byte[]> replicationCall(TestNode node, String operation, String body) throws Exception {
        var request = java.net.http.HttpRequest.newBuilder(node.endpoint().resolve("/"))
                .header("Content-Type", "application/x-amz-json-1.0")
                .header("X-Amz-Date", "20260101T000000Z")
                .header("X-Amz-Target", HttpReplicaLink.TARGET_PREFIX + operation)
                .header("Authorization", WireProtocolTest.AUTH)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build();
        return java.net.http.HttpClient.newHttpClient().send(request, java.net.http.HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void aSeedingCutShortAndRetriedStillCarriesTheDeletesMadeMeanwhile() throws Exception {
        int eastPort = TestPorts.free();
        int westPort = TestPorts.free();
        Map<String, Object> eastExtra = Map.of("retry-backoff", "200ms", "batch-size", 5);
        TestNode west = start(westDir, WEST, westPort, EAST, eastPort);
        try (TestNode east = start(eastDir, EAST, eastPort, WEST, westPort, eastExtra)) {
            seedPartly(east, west); // the seeding fails here, part done
            for (int i = 0; i < 600; i += 25) {
                List<software.amazon.awssdk.services.dynamodb.model.WriteRequest> deletes = new java.util.ArrayList<>();
                for (int j = i; j < i + 25; j++) {
                    String title = "Seeded " + j;
                    deletes.add(software.amazon.awssdk.services.dynamodb.model.WriteRequest.builder()
                            .deleteRequest(d -> d.key(key(title))).build());
                }
                east.client.batchWriteItem(b -> b.requestItems(Map.of("Music", deletes)));
            }
            west = start(westDir, WEST, westPort, EAST, eastPort);
            TestNode restarted = west;
            await("the replica turns ACTIVE", () -> replicas(east.client),
                    list -> list.size() == 1 && list.get(0).replicaStatus() == ReplicaStatus.ACTIVE);
            TestTables.awaitActive(restarted.client, "Music");
            await("what the first seeding sent is deleted there too", () -> restarted.client.scan(b -> b.tableName("Music")).count(),
                    count -> count == 0);
        } finally {
            west.close();
        }
    }

    @Test
    void aReplicaWhoseRegionIsGoneIsGivenUpWhenDeleted() throws Exception {
        int eastPort = TestPorts.free();
        int westPort = TestPorts.free();
        Map<String, Object> eastExtra = Map.of("retry-backoff", "200ms", "give-up-after", "2s");
        try (TestNode east = start(eastDir, EAST, eastPort, WEST, westPort, eastExtra)) {
            try (TestNode west = start(westDir, WEST, westPort, EAST, eastPort)) {
                createMusic(east.client, BillingMode.PAY_PER_REQUEST);
                addReplica(east.client, WEST);
                await("the replica turns ACTIVE", () -> replicas(east.client),
                        list -> list.size() == 1 && list.get(0).replicaStatus() == ReplicaStatus.ACTIVE);
            }
            east.client.putItem(putSong("While west is gone", "1970"));
            // DeleteTable of a global table needs another replica's node: here none answers, and the table is as it was.
            invalid("The replica region us-west-2 could not be reached at http://127.0.0.1:" + westPort,
                    () -> east.client.deleteTable(b -> b.tableName("Music")));
            assertEquals(ReplicaStatus.ACTIVE, replicas(east.client).get(0).replicaStatus());
            assertEquals(TableStatus.ACTIVE, east.client.describeTable(b -> b.tableName("Music")).table().tableStatus());
            east.client.putItem(putSong("After a DeleteTable that failed", "1970"));
            east.client.updateTable(b -> b.tableName("Music")
                    .replicaUpdates(ReplicationGroupUpdate.builder().delete(d -> d.regionName(WEST)).build()));
            assertEquals(ReplicaStatus.DELETING, replicas(east.client).get(0).replicaStatus());
            TestTables.rejected("ResourceInUseException", "Attempt to change a resource which is still in use: the replica of table "
                    + "Music in region us-west-2 is DELETING", () -> east.client.updateTable(b -> b.tableName("Music")
                    .replicaUpdates(ReplicationGroupUpdate.builder().delete(d -> d.regionName(WEST)).build())));
            await("the unreachable replica is given up", () -> replicas(east.client), List::isEmpty);
            assertTrue(get(east.client, "While west is gone").isPresent());
            // West, back, still counts east as a replica: its DeleteTable learns that east gave it up, and deletes it there.
            try (TestNode west = start(westDir, WEST, westPort, EAST, eastPort)) {
                assertEquals(List.of(EAST), replicas(west.client).stream().map(ReplicaDescription::regionName).toList());
                west.client.deleteTable(b -> b.tableName("Music"));
                TestTables.rejected("ResourceNotFoundException", "Requested resource not found: Table: Music not found",
                        () -> west.client.describeTable(b -> b.tableName("Music")));
            }
            east.client.deleteTable(b -> b.tableName("Music"));
        }
    }

    /** A table whose stream shows keys only is replicated, and its stream stays so (ScyllaDB's tests, run against DynamoDB). */
    @Test
    void aTableWithAKeysOnlyStreamIsReplicatedAndItsStreamStaysKeysOnly() throws Exception {
        int eastPort = TestPorts.free();
        int westPort = TestPorts.free();
        try (TestNode east = start(eastDir, EAST, eastPort, WEST, westPort);
             TestNode west = start(westDir, WEST, westPort, EAST, eastPort)) {
            createMusic(east.client, BillingMode.PAY_PER_REQUEST);
            east.client.updateTable(b -> b.tableName("Music").streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.KEYS_ONLY)));
            addReplica(east.client, WEST);
            await("the replica turns ACTIVE", () -> replicas(east.client),
                    list -> list.size() == 1 && list.get(0).replicaStatus() == ReplicaStatus.ACTIVE);
            assertEquals(StreamViewType.KEYS_ONLY, east.client.describeTable(b -> b.tableName("Music")).table().streamSpecification().streamViewType());
            east.client.putItem(putSong("Keys only", "1965"));
            assertEquals(song("Keys only", "1965"), await("the item reaches west", () -> get(west.client, "Keys only"), Optional::isPresent).get());
        }
    }

    @Test
    void aReplicaLeftCreatingCanBeDeletedThereAndIsForgottenHere() throws Exception {
        int eastPort = TestPorts.free();
        int westPort = TestPorts.free();
        Map<String, Object> eastExtra = Map.of("retry-backoff", "2s", "give-up-after", "1s", "batch-size", 5);
        TestNode west = start(westDir, WEST, westPort, EAST, eastPort);
        try (TestNode east = start(eastDir, EAST, eastPort, WEST, westPort, eastExtra)) {
            seedPartly(east, west);
            west = start(westDir, WEST, westPort, EAST, eastPort);
            // West's table is a replica still being created: it takes no requests, but it can be deleted there.
            assertEquals(TableStatus.CREATING, west.client.describeTable(b -> b.tableName("Music")).table().tableStatus());
            west.client.deleteTable(b -> b.tableName("Music"));
            await("east forgets the replica whose table is gone", () -> replicas(east.client), List::isEmpty);
            assertEquals(600, east.client.scan(b -> b.tableName("Music")).count());
            // Added again, it is created and seeded anew.
            addReplica(east.client, WEST);
            await("the replica turns ACTIVE", () -> replicas(east.client),
                    list -> list.size() == 1 && list.get(0).replicaStatus() == ReplicaStatus.ACTIVE);
            TestTables.awaitActive(west.client, "Music");
            assertEquals(allItems(east.client), allItems(west.client));
        } finally {
            west.close();
        }
    }

    @Test
    void replicatedChangesApplyOnlyOverOlderVersions() throws Exception {
        int eastPort = TestPorts.free();
        int westPort = TestPorts.free();
        try (TestNode west = start(westDir, WEST, westPort, EAST, eastPort)) {
            // A table made global the way east would make it: a replica of east's table.
            createMusic(west.client, BillingMode.PAY_PER_REQUEST);
            west.node.shards().updateTable("Music", table -> table.withOptions(table.options().withReplicas(
                    List.of(new io.eddy.model.TableOptions.Replica(EAST, io.eddy.model.TableOptions.ReplicaStatus.ACTIVE, false)))))
                    .toCompletableFuture().get();
            var table = west.node.shards().tables().find("Music").orElseThrow();
            var shards = west.node.shards();
            Map<String, io.eddy.model.AttributeValue> key = Map.of("Artist", new io.eddy.model.AttributeValue.StringValue("Nina Simone"),
                    "Title", new io.eddy.model.AttributeValue.StringValue("Versions"));
            java.util.function.Function<String, Optional<Map<String, io.eddy.model.AttributeValue>>> image = year -> {
                Map<String, io.eddy.model.AttributeValue> item = new HashMap<>(key);
                item.put("Year", new io.eddy.model.AttributeValue.NumberValue(new java.math.BigDecimal(year)));
                return Optional.of(item);
            };
            shards.replicateItem(table, key, image.apply("100"), new ItemVersion(100, EAST)).toCompletableFuture().get();
            assertEquals("100", get(west.client, "Versions").orElseThrow().get("Year").n());
            shards.replicateItem(table, key, image.apply("50"), new ItemVersion(50, EAST)).toCompletableFuture().get();
            assertEquals("100", get(west.client, "Versions").orElseThrow().get("Year").n(), "an older change is ignored");
            shards.replicateItem(table, key, image.apply("101"), new ItemVersion(100, "us-east-2")).toCompletableFuture().get();
            assertEquals("101", get(west.client, "Versions").orElseThrow().get("Year").n(), "equal times: the greater region wins");
            shards.replicateItem(table, key, Optional.empty(), new ItemVersion(200, EAST)).toCompletableFuture().get();
            assertTrue(get(west.client, "Versions").isEmpty());
            shards.replicateItem(table, key, image.apply("150"), new ItemVersion(150, EAST)).toCompletableFuture().get();
            assertTrue(get(west.client, "Versions").isEmpty(), "a write older than the delete does not bring the item back");
            // A local write supersedes what it saw, even when the other region's clock is ahead.
            long future = (System.currentTimeMillis() + 3_600_000L) * 1000;
            shards.replicateItem(table, key, image.apply("1"), new ItemVersion(future, EAST)).toCompletableFuture().get();
            west.client.putItem(b -> b.tableName("Music").item(song("Versions", "2")));
            shards.replicateItem(table, key, image.apply("3"), new ItemVersion(future, EAST)).toCompletableFuture().get();
            assertEquals("2", get(west.client, "Versions").orElseThrow().get("Year").n());

            // Changes that only move an item's version make no stream record, and a reader passes them even a record at a time.
            west.client.updateTable(b -> b.tableName("Music").streamSpecification(spec -> spec.streamEnabled(true)
                    .streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)));
            var current = shards.tables().find("Music").orElseThrow();
            Map<String, io.eddy.model.AttributeValue> same = image.apply(get(west.client, "Versions").orElseThrow().get("Year").n())
                    .orElseThrow();
            for (int i = 1; i <= 5; i++) {
                shards.replicateItem(current, key, Optional.of(same), new ItemVersion(future + 1_000_000L * i, EAST)).toCompletableFuture().get();
            }
            west.client.putItem(putSong("Versions", "4"));
            try (var streams = west.streamsClient()) {
                String arn = west.client.describeTable(b -> b.tableName("Music")).table().latestStreamArn();
                String iterator = null;
                List<software.amazon.awssdk.services.dynamodb.model.Record> records = new java.util.ArrayList<>();
                for (var shard : streams.describeStream(b -> b.streamArn(arn)).streamDescription().shards()) {
                    iterator = streams.getShardIterator(b -> b.streamArn(arn).shardId(shard.shardId())
                            .shardIteratorType(software.amazon.awssdk.services.dynamodb.model.ShardIteratorType.TRIM_HORIZON)).shardIterator();
                    for (int call = 0; call < 12 && iterator != null; call++) {
                        String at = iterator;
                        var page = streams.getRecords(b -> b.shardIterator(at).limit(1));
                        records.addAll(page.records());
                        iterator = page.nextShardIterator();
                    }
                }
                assertEquals(1, records.size(), "only the put is a record: " + records);
                assertEquals("4", records.get(0).dynamodb().newImage().get("Year").n());
            }
        }
    }

    private static final String LOCAL_REGION = "Cannot add, delete, or update the local region through ReplicaUpdates. "
            + "Use CreateTable, DeleteTable, or UpdateTable as required.";
    private static final String NOT_FOUND = "Replica specified in the Replica Update or Replica Delete action of the request was not found.";

    /**
     * The other node made the replica's table but its answer was lost: the request asked again is
     * answered there as done (the same creation), rather than refused for the table in the way.
     */
    @Test
    void aReplicaCreationWhoseAnswerWasLostIsMadeWhenAskedAgain() throws Exception {
        Map<String, Integer> ports = Map.of(EAST, TestPorts.free(), WEST, TestPorts.free());
        try (AnswerDroppingProxy toWest = new AnswerDroppingProxy(java.net.URI.create("http://127.0.0.1:" + ports.get(WEST)),
                     HttpReplicaLink.TARGET_PREFIX + "CreateTableReplica");
             TestNode west = TestNode.start(westDir, regionSettings(WEST, ports, Map.of()));
             TestNode east = TestNode.start(eastDir, regionSettings(EAST, ports,
                     Map.of("eddy.replication.regions." + WEST + ".endpoint", toWest.url())))) {
            createMusic(east.client, BillingMode.PAY_PER_REQUEST);
            east.client.putItem(putSong("Before", "1960"));
            invalid("The replica region us-west-2 could not be reached at " + toWest.url(), () -> addReplica(east.client, WEST));
            assertEquals(1, toWest.dropped());
            assertEquals(TableStatus.CREATING, west.client.describeTable(b -> b.tableName("Music")).table().tableStatus());
            addReplica(east.client, WEST);
            await("the replica turns ACTIVE", () -> replicas(east.client),
                    list -> list.size() == 1 && list.get(0).replicaStatus() == ReplicaStatus.ACTIVE);
            TestTables.awaitActive(west.client, "Music");
            assertTrue(get(west.client, "Before").isPresent());
        }
    }

    @Test
    void badReplicaUpdatesAreRefusedAndChangeNothing() throws Exception {
        int eastPort = TestPorts.free();
        int westPort = TestPorts.free();
        try (TestNode east = start(eastDir, EAST, eastPort, WEST, westPort)) {
            createMusic(east.client, BillingMode.PROVISIONED);
            invalid("Table write capacity should either be Pay-Per-Request or AutoScaled.", () -> addReplica(east.client, WEST));
            invalid(LOCAL_REGION, () -> addReplica(east.client, EAST));
            invalid(LOCAL_REGION, () -> east.client.updateTable(b -> b
                    .tableName("Music").replicaUpdates(ReplicationGroupUpdate.builder().delete(d -> d.regionName(EAST)).build())));
            invalid(LOCAL_REGION, () -> updateReplica(east.client, u -> u.regionName(EAST).tableClassOverride(TableClass.STANDARD)));
            invalid("The region eu-west-1 is not available for replicas: it is not in this node's eddy.replication.regions",
                    () -> addReplica(east.client, "eu-west-1"));
            invalid(NOT_FOUND, () -> east.client.updateTable(b -> b
                    .tableName("Music").replicaUpdates(ReplicationGroupUpdate.builder().delete(d -> d.regionName(WEST)).build())));
            invalid(NOT_FOUND, () -> updateReplica(east.client,
                    u -> u.regionName(WEST).tableClassOverride(TableClass.STANDARD_INFREQUENT_ACCESS)));
            invalid("Eddy does not encrypt tables with KMS keys: a replica's KMSMasterKeyId cannot be given",
                    () -> updateReplica(east.client, u -> u.regionName(WEST).kmsMasterKeyId("alias/mine")));
            invalid("One or more parameter values were invalid: ProvisionedThroughputOverride cannot be specified for a replica of a "
                    + "table whose BillingMode is PAY_PER_REQUEST", () -> updateReplica(east.client,
                    u -> u.regionName(WEST).provisionedThroughputOverride(o -> o.readCapacityUnits(5L))));
            invalid("Eddy does not encrypt tables with KMS keys: a replica's KMSMasterKeyId cannot be given", () -> east.client.updateTable(b -> b
                    .tableName("Music").replicaUpdates(ReplicationGroupUpdate.builder().create(c -> c.regionName(WEST).kmsMasterKeyId("alias/mine")).build())));
            invalid("A replica Update must name a TableClassOverride or an OnDemandThroughputOverride to change",
                    () -> updateReplica(east.client, u -> u.regionName(WEST)));
            invalid("1 validation error detected: Value 'COLD' at 'replicaUpdates.1.member.update.tableClassOverride' failed to "
                    + "satisfy constraint: Member must satisfy enum value set: [STANDARD, STANDARD_INFREQUENT_ACCESS]",
                    () -> updateReplica(east.client, u -> u.regionName(WEST).tableClassOverride("COLD")));
            invalid("One or more parameter values were invalid: ReplicaUpdates cannot be combined with other changes in an UpdateTable request", () -> east.client.updateTable(b -> b
                    .tableName("Music").deletionProtectionEnabled(true)
                    .replicaUpdates(ReplicationGroupUpdate.builder().create(c -> c.regionName(WEST)).build())));
            TableDescription table = east.client.describeTable(b -> b.tableName("Music")).table();
            assertTrue(table.replicas().isEmpty());
            assertEquals(TableStatus.ACTIVE, table.tableStatus());
            assertEquals(null, table.globalTableVersion());
            // An on-demand table whose replica's region is down: the request fails, and nothing is recorded.
            east.client.updateTable(b -> b.tableName("Music").billingMode(BillingMode.PAY_PER_REQUEST));
            TestTables.awaitActive(east.client, "Music");
            invalid("The replica region us-west-2 could not be reached at http://127.0.0.1:" + westPort, () -> addReplica(east.client, WEST));
            // Strong consistency (and witnesses) are refused, not made eventual; DynamoDB's own checks first.
            invalid("Unsupported replica count for global tables with MultiRegionConsistency set to STRONG.", () -> east.client
                    .updateTable(b -> b.tableName("Music").multiRegionConsistency("STRONG")
                            .replicaUpdates(ReplicationGroupUpdate.builder().create(c -> c.regionName(WEST)).build())));
            invalid("Eddy's global tables are eventually consistent: MultiRegionConsistency STRONG (and global table witnesses) are not "
                    + "supported", () -> east.client.updateTable(b -> b.tableName("Music").multiRegionConsistency("STRONG")
                    .replicaUpdates(ReplicationGroupUpdate.builder().create(c -> c.regionName(WEST)).build())
                    .globalTableWitnessUpdates(w -> w.create(c -> c.regionName("eu-west-1")))));
            invalid("MultiRegionConsistency must be set as STRONG when GlobalTableWitnessUpdates parameter is present.", () -> east.client
                    .updateTable(b -> b.tableName("Music").replicaUpdates(ReplicationGroupUpdate.builder().create(c -> c.regionName(WEST)).build())
                            .globalTableWitnessUpdates(w -> w.create(c -> c.regionName("eu-west-1")))));
            invalid("One or more parameter values were invalid: Requests that modify replicas or witnesses must not also modify other "
                    + "fields", () -> east.client.updateTable(b -> b.tableName("Music").multiRegionConsistency("STRONG")
                    .deletionProtectionEnabled(true)));
            invalid("Only Replica Create actions are supported when MultiRegionConsistency parameter is provided.", () -> east.client
                    .updateTable(b -> b.tableName("Music").multiRegionConsistency("STRONG")
                            .replicaUpdates(ReplicationGroupUpdate.builder().delete(c -> c.regionName(WEST)).build())));
            invalid("Update table operation with more than one create or delete replica actions not allowed", () -> east.client
                    .updateTable(b -> b.tableName("Music").replicaUpdates(ReplicationGroupUpdate.builder().create(c -> c.regionName(WEST)).build(),
                            ReplicationGroupUpdate.builder().create(c -> c.regionName("eu-west-1")).build())));
            invalid("At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates, SSESpecification, "
                    + "ReplicaUpdates, MultiAccountReplicaReady, ReplicaTransitRoleArn, DeletionProtectionEnabled, OnDemandThroughput, "
                    + "WarmThroughput or TableClass is required", () -> east.client.updateTable(b -> b.tableName("Music")
                    .multiRegionConsistency("EVENTUAL")));
            invalid("Value 'ENABLED_WITH_OVERRIDES' at 'GlobalTableSettingsReplicationMode' failed to satisfy constraint: Only ENABLED and "
                    + "DISABLED settings replication are supported for a Regional Table.", () -> east.client.updateTable(b -> b
                    .tableName("Music").globalTableSettingsReplicationMode("ENABLED_WITH_OVERRIDES")));
            invalid("Eddy's global tables replicate their settings as ENABLED_WITH_OVERRIDES: GlobalTableSettingsReplicationMode cannot be "
                    + "set", () -> east.client.updateTable(b -> b.tableName("Music").globalTableSettingsReplicationMode("DISABLED")));
            invalid("Eddy does not make replicas of tables in other accounts: GlobalTableSourceArn is not supported", () -> east.client
                    .createTable(b -> b.tableName("Vectors").billingMode(BillingMode.PAY_PER_REQUEST)
                            .attributeDefinitions(a -> a.attributeName("id").attributeType(ScalarAttributeType.S))
                            .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH))
                            .globalTableSourceArn("arn:aws:dynamodb:us-west-2:111122223333:table/Vectors")));
            TestTables.rejected("ResourceNotFoundException", "Requested resource not found: Table: Vectors not found",
                    () -> east.client.describeTable(b -> b.tableName("Vectors")));
            assertTrue(east.client.describeTable(b -> b.tableName("Music")).table().replicas().isEmpty());
            // Replication from a region this node does not replicate with, or to a table that is not global, writes nothing.
            var unknownRegion = replicationCall(east, "{\"TableName\":\"Music\",\"SourceRegion\":\"eu-west-1\",\"Changes\":[]}");
            assertEquals(400, unknownRegion.statusCode());
            assertTrue(new String(unknownRegion.body()).contains("not in this node's eddy.replication.regions"), new String(unknownRegion.body()));
            var notGlobal = replicationCall(east, "{\"TableName\":\"Music\",\"SourceRegion\":\"us-west-2\",\"Changes\":[{\"Key\":"
                    + "{\"Artist\":{\"S\":\"Nina Simone\"},\"Title\":{\"S\":\"Stray\"}},\"VersionTime\":1,\"VersionRegion\":\"us-west-2\"}]}");
            assertEquals(400, notGlobal.statusCode());
            assertTrue(new String(notGlobal.body()).contains("Table Music has no replica in region us-west-2"), new String(notGlobal.body()));
        }
    }
}
