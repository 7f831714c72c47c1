package io.eddy.gateway;

import static io.eddy.gateway.TestTables.awaitActive;
import static io.eddy.gateway.TestTables.invalid;
import static io.eddy.gateway.TestTables.n;
import static io.eddy.gateway.TestTables.rejected;
import static io.eddy.gateway.TestTables.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.model.TableMetadata;
import io.eddy.persistence.JournalStore;
import io.eddy.shards.PartitionId;
import io.eddy.streams.ChangeLog;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BackupDescription;
import software.amazon.awssdk.services.dynamodb.model.BackupStatus;
import software.amazon.awssdk.services.dynamodb.model.BackupSummary;
import software.amazon.awssdk.services.dynamodb.model.BackupType;
import software.amazon.awssdk.services.dynamodb.model.BackupTypeFilter;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ContinuousBackupsDescription;
import software.amazon.awssdk.services.dynamodb.model.InvalidRestoreTimeException;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.PointInTimeRecoveryDescription;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Point-in-time recovery end to end with the AWS SDK v2: a table restored as it was at a moment
 * between writes, after journal trimming has run and across a restart.
 */
class PointInTimeRecoveryTest {

    /** Trimming runs often, so a restore finds only what trimming left. */
    private static final Map<String, Object> TRIM_OFTEN = Map.of("eddy.journal-trimming.interval", "50ms");

    @TempDir
    Path dataDir;

    private static void createOrders(DynamoDbClient ddb, String name) {
        ddb.createTable(b -> b.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(d -> d.attributeName("customer").attributeType(ScalarAttributeType.S),
                        d -> d.attributeName("order").attributeType(ScalarAttributeType.N),
                        d -> d.attributeName("status").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("customer").keyType(KeyType.HASH), k -> k.attributeName("order").keyType(KeyType.RANGE))
                .globalSecondaryIndexes(g -> g.indexName("byStatus").keySchema(k -> k.attributeName("status").keyType(KeyType.HASH))
                        .projection(p -> p.projectionType(ProjectionType.ALL))));
    }

    private static Map<String, AttributeValue> order(int i, String status) {
        return Map.of("customer", s("c" + (i % 6)), "order", n(Integer.toString(i)), "status", s(status),
                "lines", AttributeValue.fromL(List.of(AttributeValue.fromM(Map.of("sku", s("sku-" + i), "qty", n("2"))))));
    }

    private static Map<String, AttributeValue> key(int i) {
        return Map.of("customer", s("c" + (i % 6)), "order", n(Integer.toString(i)));
    }

    /** The table's items by "customer/order". */
    private static Map<String, Map<String, AttributeValue>> items(DynamoDbClient ddb, String table) {
        Map<String, Map<String, AttributeValue>> items = new TreeMap<>();
        ddb.scanPaginator(b -> b.tableName(table).consistentRead(true)).items()
                .forEach(item -> items.put(item.get("customer").s() + "/" + item.get("order").n(), item));
        return items;
    }

    /** A moment between two writes: no write is timed at it, whatever the clock's resolution. */
    private static Instant between() throws InterruptedException {
        Thread.sleep(20);
        Instant moment = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Thread.sleep(20);
        return moment;
    }

    private static PointInTimeRecoveryDescription enable(DynamoDbClient ddb, String table) {
        return ddb.updateContinuousBackups(b -> b.tableName(table).pointInTimeRecoverySpecification(p -> p.pointInTimeRecoveryEnabled(true)))
                .continuousBackupsDescription().pointInTimeRecoveryDescription();
    }

    @Test
    void aTableIsRestoredAsItWasAtAMomentAfterTrimmingAndAcrossARestart() throws Exception {
        Instant beforeChanges;
        Instant afterChanges;
        Map<String, Map<String, AttributeValue>> atFirst;
        Map<String, Map<String, AttributeValue>> atSecond;
        try (TestNode node = TestNode.start(dataDir, TRIM_OFTEN)) {
            DynamoDbClient ddb = node.client;
            createOrders(ddb, "Orders");
            createOrders(ddb, "Scratch");
            for (int i = 0; i < 10; i++) {
                int id = i;
                ddb.putItem(b -> b.tableName("Orders").item(order(id, "old")));
            }  // written before recovery was enabled
            Instant enabling = Instant.now();
            PointInTimeRecoveryDescription enabled = enable(ddb, "Orders");
            assertEquals("ENABLED", enabled.pointInTimeRecoveryStatusAsString());
            assertEquals(35, enabled.recoveryPeriodInDays());
            assertFalse(enabled.earliestRestorableDateTime().isBefore(enabling.truncatedTo(ChronoUnit.MILLIS)));
            assertFalse(enabled.latestRestorableDateTime().isBefore(enabled.earliestRestorableDateTime()));

            for (int i = 10; i < 40; i++) {
                int id = i;
                ddb.putItem(b -> b.tableName("Orders").item(order(id, "new")));
            }
            for (int i = 0; i < 40; i++) ddb.putItem(b -> b.tableName("Scratch").item(order(0, "x")));
            beforeChanges = between();
            atFirst = items(ddb, "Orders");
            for (int i = 0; i < 10; i++) {
                int id = i;
                ddb.updateItem(b -> b.tableName("Orders").key(key(id)).updateExpression("SET #s = :s, extra = :e")
                        .expressionAttributeNames(Map.of("#s", "status")).expressionAttributeValues(Map.of(":s", s("shipped"), ":e", n("1"))));
            }
            for (int i = 10; i < 20; i++) {
                int id = i;
                ddb.deleteItem(b -> b.tableName("Orders").key(key(id)));
            }
            ddb.transactWriteItems(b -> b.transactItems(
                    t -> t.put(p -> p.tableName("Orders").item(order(100, "new"))),
                    t -> t.delete(d -> d.tableName("Orders").key(key(21)))));
            // A cancelled transaction journals transaction events but changes nothing.
            assertTrue(assertThrows(TransactionCanceledException.class,
                    () -> ddb.transactWriteItems(b -> b.transactItems(
                            t -> t.put(p -> p.tableName("Orders").item(order(101, "new"))),
                            t -> t.conditionCheck(c -> c.tableName("Orders").key(key(22)).conditionExpression("attribute_not_exists(customer)")))))
                    .cancellationReasons().size() == 2);
            afterChanges = between();
            atSecond = items(ddb, "Orders");
            ddb.putItem(b -> b.tableName("Orders").item(order(200, "later")));
            ddb.deleteItem(b -> b.tableName("Orders").key(key(30)));

            // Trimming has run since: the table without recovery keeps one event a partition, Orders all of them.
            awaitTrimmed(node, "Scratch");
            JournalStore journal = JournalTrimmingTest.journal(node);
            Thread.sleep(200);
            assertFalse(JournalTrimmingTest.trimmedToLastEvent(journal, JournalTrimmingTest.persistenceIds(node, "Orders")));

            Instant first = beforeChanges;
            TableDescription restoring = ddb.restoreTableToPointInTime(b -> b.sourceTableName("Orders").targetTableName("OrdersThen")
                    .restoreDateTime(first)).tableDescription();
            assertEquals("OrdersThen", restoring.tableName());
            assertNull(restoring.restoreSummary().sourceBackupArn());
            assertEquals(ddb.describeTable(b -> b.tableName("Orders")).table().tableArn(), restoring.restoreSummary().sourceTableArn());
            assertEquals(first, restoring.restoreSummary().restoreDateTime());
            TableDescription restored = awaitActive(ddb, "OrdersThen");
            assertFalse(restored.restoreSummary().restoreInProgress());
            assertEquals(atFirst, items(ddb, "OrdersThen"));
            assertEquals(30, statusCount(ddb, "OrdersThen", "new"));
            assertEquals(10, statusCount(ddb, "OrdersThen", "old"));

            // Another source table, by ARN, to the latest restorable time.
            String arn = ddb.describeTable(b -> b.tableName("Orders")).table().tableArn();
            ddb.restoreTableToPointInTime(b -> b.sourceTableArn(arn).targetTableName("OrdersNow").useLatestRestorableTime(true));
            awaitActive(ddb, "OrdersNow");
            assertEquals(items(ddb, "Orders"), items(ddb, "OrdersNow"));
        }

        // The setting and the history survive a restart.
        try (TestNode node = TestNode.start(dataDir, TRIM_OFTEN)) {
            DynamoDbClient ddb = node.client;
            ContinuousBackupsDescription continuous = ddb.describeContinuousBackups(b -> b.tableName("Orders")).continuousBackupsDescription();
            assertEquals("ENABLED", continuous.pointInTimeRecoveryDescription().pointInTimeRecoveryStatusAsString());
            Thread.sleep(300);
            Instant second = afterChanges;
            ddb.restoreTableToPointInTime(b -> b.sourceTableName("Orders").targetTableName("OrdersLater").restoreDateTime(second));
            awaitActive(ddb, "OrdersLater");
            assertEquals(atSecond, items(ddb, "OrdersLater"));
            Instant first = beforeChanges;
            ddb.restoreTableToPointInTime(b -> b.sourceTableName("Orders").targetTableName("OrdersFirst").restoreDateTime(first));
            awaitActive(ddb, "OrdersFirst");
            assertEquals(atFirst, items(ddb, "OrdersFirst"));
            assertEquals(atFirst, items(ddb, "OrdersThen"));
        }
    }

    @Test
    void aTransactionAcrossPartitionsIsRestoredWholeOrNotAtAll() throws Exception {
        try (TestNode node = TestNode.start(dataDir)) {
            DynamoDbClient ddb = node.client;
            TestTables.create(ddb, "Pairs", "id", ScalarAttributeType.S, null, null);
            enable(ddb, "Pairs");
            List<String> ids = IntStream.range(0, 12).mapToObj(i -> "k" + i).toList();
            for (String id : ids) ddb.putItem(b -> b.tableName("Pairs").item(Map.of("id", s(id), "v", n("0"))));
            ddb.transactWriteItems(b -> b.transactItems(ids.stream().map(id -> TransactWriteItem.builder().update(u -> u.tableName("Pairs").key(Map.of("id", s(id))).updateExpression("SET v = :one")
                            .expressionAttributeValues(Map.of(":one", n("1")))).build()).toList()));

            // Each partition journaled its part of the commit at its own time, after the decision.
            TableMetadata table = node.node.shards().tables().find("Pairs").orElseThrow();
            ChangeLog log = ChangeLog.of(node.node.system());
            SortedSet<Long> commitTimes = new TreeSet<>();
            for (int p = 0; p < table.partitionCount(); p++) {
                for (var change : log.read(new PartitionId(table.id(), p), 1, Long.MAX_VALUE, 1000)) {
                    if (change.event().newImage().map(item -> item.get("v").equals(io.eddy.model.AttributeValue.n("1"))).orElse(false)) {
                        commitTimes.add(change.event().timestampMicros());
                    }
                }
            }
            assertTrue(commitTimes.size() > 1 || table.partitionCount() == 1, "one commit time over several partitions: " + commitTimes);

            // At the first partition's commit time the transaction was decided: all of it counts.
            restoreAt(node, "Pairs", "PairsAtFirst", commitTimes.first());
            awaitActive(ddb, "PairsAtFirst");
            assertEquals(Set.of("1"), values(ddb, "PairsAtFirst"));
            // Just before it: all of it or none of it, never a part.
            restoreAt(node, "Pairs", "PairsBefore", commitTimes.first() - 1);
            awaitActive(ddb, "PairsBefore");
            assertEquals(1, values(ddb, "PairsBefore").size());
            assertEquals(12, ddb.scan(b -> b.tableName("PairsBefore")).count());
        }
    }

    @Test
    void aDeletedTableWithRecoveryLeavesASystemBackupOfItsLastItems() throws Exception {
        try (TestNode node = TestNode.start(dataDir, TRIM_OFTEN)) {
            DynamoDbClient ddb = node.client;
            createOrders(ddb, "Orders");
            createOrders(ddb, "Plain");
            for (int i = 0; i < 30; i++) {
                int id = i;
                ddb.putItem(b -> b.tableName("Orders").item(order(id, "new")));
                ddb.putItem(b -> b.tableName("Plain").item(order(id, "new")));
            }
            // Written before recovery was enabled and trimmed since: the backup needs the items themselves.
            awaitTrimmed(node, "Orders");
            enable(ddb, "Orders");
            for (int i = 0; i < 5; i++) {
                int id = i;
                ddb.deleteItem(b -> b.tableName("Orders").key(key(id)));
            }
            Map<String, Map<String, AttributeValue>> last = items(ddb, "Orders");
            ddb.deleteTable(b -> b.tableName("Orders"));
            ddb.deleteTable(b -> b.tableName("Plain"));

            String arn;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (true) {
                List<BackupSummary> system = ddb.listBackups(b -> b.backupType(BackupTypeFilter.SYSTEM)).backupSummaries();
                if (!system.isEmpty() && system.get(0).backupStatus() == BackupStatus.AVAILABLE) {
                    assertEquals(1, system.size());
                    BackupSummary backup = system.get(0);
                    assertEquals("Orders$DeletedTableBackup", backup.backupName());
                    assertEquals(BackupType.SYSTEM, backup.backupType());
                    assertEquals(backup.backupCreationDateTime().plus(Duration.ofDays(35)), backup.backupExpiryDateTime());
                    arn = backup.backupArn();
                    break;
                }
                assertTrue(System.nanoTime() < deadline, "no system backup: " + system);
                Thread.sleep(100);
            }
            assertEquals(List.of(), ddb.listBackups(b -> b.tableName("Orders")).backupSummaries());
            assertEquals(1, ddb.listBackups(b -> b.backupType(BackupTypeFilter.ALL)).backupSummaries().size());
            String backupArn = arn;
            BackupDescription systemBackup = ddb.describeBackup(b -> b.backupArn(backupArn)).backupDescription();
            assertEquals(25L, systemBackup.sourceTableDetails().itemCount());
            // Not the user's to delete: it goes when it expires.
            invalid("Invalid Request: User is not allowed to delete the system backup with arn " + backupArn
                            + ". It will automatically expire on " + systemBackup.backupDetails().backupExpiryDateTime(),
                    () -> ddb.deleteBackup(b -> b.backupArn(backupArn)));

            ddb.restoreTableFromBackup(b -> b.backupArn(backupArn).targetTableName("Orders"));
            awaitActive(ddb, "Orders");
            assertEquals(last, items(ddb, "Orders"));
            assertEquals(25, statusCount(ddb, "Orders", "new"));
        }
    }

    /**
     * A node stopped before a deleted table's SYSTEM backup is written (it reads the items once the
     * deletion has settled, 2 s later) writes it at its next start, from the history a marker
     * keeps held (trimming and the sweep of deleted tables run every 50 ms here).
     */
    @Test
    void aSystemBackupAStopInterruptsIsWrittenAtTheNextStart() throws Exception {
        Map<String, Map<String, AttributeValue>> last;
        Path markers = dataDir.resolve("backups").resolve("deleted");
        try (TestNode node = TestNode.start(dataDir, TRIM_OFTEN)) {
            DynamoDbClient ddb = node.client;
            createOrdersWithRecovery(ddb, 20);
            ddb.updateTable(b -> b.tableName("Orders").deletionProtectionEnabled(true));
            invalid("Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.",
                    () -> ddb.deleteTable(b -> b.tableName("Orders")));
            assertEquals(List.of(), list(markers), "a refused deletion owes no backup");
            ddb.updateTable(b -> b.tableName("Orders").deletionProtectionEnabled(false));
            last = items(ddb, "Orders");
            // Two DeleteTables at once (a client's retry): one deletes, the other is refused, and neither loses the backup owed.
            java.util.concurrent.CompletableFuture<Boolean> first = java.util.concurrent.CompletableFuture.supplyAsync(() -> deleted(ddb));
            boolean second = deleted(ddb);
            assertEquals(1, (first.join() ? 1 : 0) + (second ? 1 : 0), "exactly one deletion happens");
        }
        assertEquals(1, list(markers).size(), "the stop came before the backup was written");
        try (TestNode node = TestNode.start(dataDir, TRIM_OFTEN)) {
            DynamoDbClient ddb = node.client;
            List<BackupSummary> system = awaitSystemBackup(ddb);
            assertEquals("Orders$DeletedTableBackup", system.get(0).backupName());
            String arn = system.get(0).backupArn();
            assertEquals(20L, ddb.describeBackup(b -> b.backupArn(arn)).backupDescription().sourceTableDetails().itemCount());
            assertEquals(List.of(), list(markers));
            ddb.restoreTableFromBackup(b -> b.backupArn(arn).targetTableName("Orders"));
            awaitActive(ddb, "Orders");
            assertEquals(last, items(ddb, "Orders"));
        }
    }

    /**
     * A deleted table's SYSTEM backup that fails (here its file cannot be created: the backups
     * directory is made immutable, which binds root too) is tried again while the node runs,
     * its history held meanwhile (trimming runs every 50 ms), rather than only at the next start.
     */
    @Test
    void aSystemBackupThatFailsIsTriedAgainWhileTheNodeRuns() throws Exception {
        Path backups = dataDir.resolve("backups");
        try (TestNode node = TestNode.start(dataDir, TRIM_OFTEN)) {
            DynamoDbClient ddb = node.client;
            createOrdersWithRecovery(ddb, 20);
            Map<String, Map<String, AttributeValue>> last = items(ddb, "Orders");
            org.junit.jupiter.api.Assumptions.assumeTrue(chattr("+i", backups), "chattr cannot make a directory immutable here");
            try {
                ddb.deleteTable(b -> b.tableName("Orders"));
                Thread.sleep(2500); // the first try and the second (1 s later) fail
                assertEquals(List.of(), ddb.listBackups(b -> b.backupType(BackupTypeFilter.SYSTEM)).backupSummaries());
                assertEquals(1, list(backups.resolve("deleted")).size(), "the backup is still owed");
            } finally {
                assertTrue(chattr("-i", backups));
            }
            List<BackupSummary> system = awaitSystemBackup(ddb);
            assertEquals(1, system.size());
            String arn = system.get(0).backupArn();
            assertEquals(20L, ddb.describeBackup(b -> b.backupArn(arn)).backupDescription().sourceTableDetails().itemCount());
            assertEquals(List.of(), list(backups.resolve("deleted")));
            ddb.restoreTableFromBackup(b -> b.backupArn(arn).targetTableName("Orders"));
            awaitActive(ddb, "Orders");
            assertEquals(last, items(ddb, "Orders"));
        }
    }

    /** Sets or clears a file's attribute with chattr; whether it did (not where chattr is missing or not permitted). */
    private static boolean chattr(String attribute, Path file) throws InterruptedException {
        try {
            Process chattr = new ProcessBuilder("chattr", attribute, file.toString()).redirectErrorStream(true).start();
            chattr.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            return chattr.waitFor() == 0;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** Orders, with {@code count} items, then point-in-time recovery. */
    private static void createOrdersWithRecovery(DynamoDbClient ddb, int count) {
        createOrders(ddb, "Orders");
        for (int i = 0; i < count; i++) {
            int id = i;
            ddb.putItem(b -> b.tableName("Orders").item(order(id, "new")));
        }
        enable(ddb, "Orders");
    }

    /** The SYSTEM backups, once the first is AVAILABLE (within 30 s). */
    private static List<BackupSummary> awaitSystemBackup(DynamoDbClient ddb) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<BackupSummary> system = List.of();
        while (system.isEmpty() || system.get(0).backupStatus() != BackupStatus.AVAILABLE) {
            assertTrue(System.nanoTime() < deadline, "no system backup: " + system);
            Thread.sleep(100);
            system = ddb.listBackups(b -> b.backupType(BackupTypeFilter.SYSTEM)).backupSummaries();
        }
        return system;
    }

    /** Whether DeleteTable deleted the table (false: it was refused, the table being gone or going). */
    private static boolean deleted(DynamoDbClient ddb) {
        try {
            ddb.deleteTable(b -> b.tableName("Orders"));
            return true;
        } catch (software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException
                 | software.amazon.awssdk.services.dynamodb.model.ResourceInUseException refused) {
            return false;
        }
    }

    private static List<Path> list(Path directory) throws java.io.IOException {
        try (var files = java.nio.file.Files.list(directory)) {
            return files.toList();
        }
    }

    /** Waits until trimming has left each partition of the table its last event only. */
    private static void awaitTrimmed(TestNode node, String table) throws InterruptedException {
        JournalStore journal = JournalTrimmingTest.journal(node);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!JournalTrimmingTest.trimmedToLastEvent(journal, JournalTrimmingTest.persistenceIds(node, table))) {
            assertTrue(System.nanoTime() < deadline, table + "'s journal was not trimmed");
            Thread.sleep(50);
        }
    }

    /** A restore to a moment given to the microsecond, which the SDK's Instant (milliseconds on the wire) cannot send. */
    private static void restoreAt(TestNode node, String source, String target, long micros) throws Exception {
        TestTables.Raw answer = TestTables.raw(node, "RestoreTableToPointInTime", "{'SourceTableName': '" + source
                + "', 'TargetTableName': '" + target + "', 'RestoreDateTime': " + BigDecimal.valueOf(micros, 6).toPlainString() + "}");
        assertEquals(200, answer.status(), answer.body().toString());
    }

    /** The distinct values of attribute v in the table. */
    private static Set<String> values(DynamoDbClient ddb, String table) {
        Set<String> values = new TreeSet<>();
        ddb.scanPaginator(b -> b.tableName(table)).items().forEach(item -> values.add(item.get("v").n()));
        return values;
    }

    @Test
    void badRequestsAreRefusedAndCreateNothing() throws Exception {
        try (TestNode node = TestNode.start(dataDir)) {
            DynamoDbClient ddb = node.client;
            createOrders(ddb, "Orders");
            ddb.putItem(b -> b.tableName("Orders").item(order(1, "new")));
            rejected("PointInTimeRecoveryUnavailableException", "Point in time recovery is not enabled for table 'Orders'",
                    () -> ddb.restoreTableToPointInTime(b -> b.sourceTableName("Orders").targetTableName("Copy").useLatestRestorableTime(true)));

            Instant beforeEnabling = Instant.now().minusSeconds(60);
            PointInTimeRecoveryDescription enabled = enable(ddb, "Orders");
            Instant earliest = enabled.earliestRestorableDateTime();
            assertTimeRefused(ddb, beforeEnabling);
            assertTimeRefused(ddb, earliest.minusMillis(1));
            assertTimeRefused(ddb, Instant.now().plusSeconds(60));
            rejected("TableNotFoundException", "Table not found: Missing",
                    () -> ddb.restoreTableToPointInTime(b -> b.sourceTableName("Missing").targetTableName("Copy").useLatestRestorableTime(true)));
            rejected("TableAlreadyExistsException", "Table already exists: Orders",
                    () -> ddb.restoreTableToPointInTime(b -> b.sourceTableName("Orders").targetTableName("Orders").useLatestRestorableTime(true)));
            invalid("Invalid Request: Either one of RestoreDateTime or UseLatestRestorableTime must be specified, but not both",
                    () -> ddb.restoreTableToPointInTime(b -> b.sourceTableName("Orders").targetTableName("Copy")));
            invalid("Invalid Request: Both RestoreDateTime and UseLatestRestorableTime cannot be set for point-in-time restore "
                            + "request. Please specify either RestoreDateTime time or UseLatestRestorableTime",
                    () -> ddb.restoreTableToPointInTime(b -> b.sourceTableName("Orders").targetTableName("Copy")
                            .useLatestRestorableTime(true).restoreDateTime(earliest)));
            String arn = ddb.describeTable(b -> b.tableName("Orders")).table().tableArn();
            invalid("Must provide exactly one of: sourceTableArn, sourceTableName",
                    () -> ddb.restoreTableToPointInTime(b -> b.sourceTableArn(arn).sourceTableName("Orders").targetTableName("Copy")
                            .useLatestRestorableTime(true)));
            TestTables.Raw huge = TestTables.raw(node, "RestoreTableToPointInTime",
                    "{'SourceTableName': 'Orders', 'TargetTableName': 'Copy', 'RestoreDateTime': 1e30}");
            assertEquals(400, huge.status());
            assertTrue(huge.body().path("__type").asText().endsWith("#InvalidRestoreTimeException"), huge.body().toString());
            TestTables.Raw infinite = TestTables.raw(node, "RestoreTableToPointInTime",
                    "{'SourceTableName': 'Orders', 'TargetTableName': 'Copy', 'RestoreDateTime': 1e400}");
            assertEquals(400, infinite.status());
            assertTrue(infinite.body().path("__type").asText().endsWith("#SerializationException"), infinite.body().toString());
            TestTables.Raw text = TestTables.raw(node, "RestoreTableToPointInTime",
                    "{'SourceTableName': 'Orders', 'TargetTableName': 'Copy', 'RestoreDateTime': 'yesterday'}");
            assertEquals(400, text.status());
            assertTrue(text.body().path("__type").asText().endsWith("#SerializationException"), text.body().toString());
            assertEquals("STRING_VALUE cannot be converted to Timestamp", text.body().path("Message").asText());
            invalid("The parameter 'TableName' is required but was not present in the request",
                    () -> ddb.restoreTableToPointInTime(b -> b.targetTableName("Copy").useLatestRestorableTime(true)));
            invalid("1 validation error detected: Value 'x' at 'targetTableName' failed to satisfy constraint: "
                            + "Member must have length greater than or equal to 3",
                    () -> ddb.restoreTableToPointInTime(b -> b.sourceTableName("Orders").targetTableName("x").useLatestRestorableTime(true)));
            invalid("1 validation error detected: Value '36' at 'pointInTimeRecoverySpecification.recoveryPeriodInDays' failed to "
                            + "satisfy constraint: Member must have value less than or equal to 35",
                    () -> ddb.updateContinuousBackups(b -> b.tableName("Orders")
                            .pointInTimeRecoverySpecification(p -> p.pointInTimeRecoveryEnabled(true).recoveryPeriodInDays(36))));
            invalid("Invalid Request: Cannot specify RecoveryPeriodInDays when disabling point-in-time recovery.",
                    () -> ddb.updateContinuousBackups(b -> b.tableName("Orders")
                            .pointInTimeRecoverySpecification(p -> p.pointInTimeRecoveryEnabled(false).recoveryPeriodInDays(7))));
            assertEquals("ENABLED", ddb.describeContinuousBackups(b -> b.tableName("Orders")).continuousBackupsDescription()
                    .pointInTimeRecoveryDescription().pointInTimeRecoveryStatusAsString());
            assertEquals(List.of("Orders"), ddb.listTables().tableNames());

            // A new period keeps the enabling time; disabling and enabling again starts a new window.
            PointInTimeRecoveryDescription shorter = ddb.updateContinuousBackups(b -> b.tableName("Orders")
                    .pointInTimeRecoverySpecification(p -> p.pointInTimeRecoveryEnabled(true).recoveryPeriodInDays(7)))
                    .continuousBackupsDescription().pointInTimeRecoveryDescription();
            assertEquals(7, shorter.recoveryPeriodInDays());
            assertEquals(earliest, shorter.earliestRestorableDateTime());
            assertEquals("DISABLED", ddb.updateContinuousBackups(b -> b.tableName("Orders")
                    .pointInTimeRecoverySpecification(p -> p.pointInTimeRecoveryEnabled(false))).continuousBackupsDescription()
                    .pointInTimeRecoveryDescription().pointInTimeRecoveryStatusAsString());
            rejected("PointInTimeRecoveryUnavailableException", "Point in time recovery is not enabled for table 'Orders'",
                    () -> ddb.restoreTableToPointInTime(b -> b.sourceTableName("Orders").targetTableName("Copy").restoreDateTime(earliest)));
            Thread.sleep(5);
            assertTrue(enable(ddb, "Orders").earliestRestorableDateTime().isAfter(earliest));
            assertEquals(List.of("Orders"), ddb.listTables().tableNames());

            // A restore to now reads its source a moment later: meanwhile its target is in use, and
            // a source deleted in that moment makes the restore fail, and its table go.
            ddb.restoreTableToPointInTime(b -> b.sourceTableName("Orders").targetTableName("Copy").useLatestRestorableTime(true));
            rejected("TableInUseException", "Table is being created: Copy",
                    () -> ddb.restoreTableToPointInTime(b -> b.sourceTableName("Orders").targetTableName("Copy").useLatestRestorableTime(true)));
            ddb.deleteTable(b -> b.tableName("Orders"));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!ddb.listTables().tableNames().isEmpty()) {
                assertTrue(System.nanoTime() < deadline, "the failed restore's table stayed: " + ddb.listTables().tableNames());
                Thread.sleep(50);
            }
        }
    }

    private static long statusCount(DynamoDbClient ddb, String table, String status) {
        return ddb.queryPaginator(b -> b.tableName(table).indexName("byStatus").keyConditionExpression("#s = :s")
                .expressionAttributeNames(Map.of("#s", "status")).expressionAttributeValues(Map.of(":s", s(status)))).items().stream().count();
    }

    private static void assertTimeRefused(DynamoDbClient ddb, Instant time) {
        var e = assertThrows(InvalidRestoreTimeException.class,
                () -> ddb.restoreTableToPointInTime(b -> b.sourceTableName("Orders").targetTableName("Copy").restoreDateTime(time)));
        assertTrue(e.awsErrorDetails().errorMessage().startsWith("Invalid restore time: "), e.awsErrorDetails().errorMessage());
    }
}
