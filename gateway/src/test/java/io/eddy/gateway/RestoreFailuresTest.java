package io.eddy.gateway;

import static io.eddy.gateway.GlobalSecondaryIndexTest.awaitUntil;
import static io.eddy.gateway.TestTables.awaitActive;
import static io.eddy.gateway.TestTables.n;
import static io.eddy.gateway.TestTables.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/** Restores whose backup goes away or cannot be read: none leaves a table CREATING for good. */
class RestoreFailuresTest {

    @TempDir
    Path dataDir;

    private static void createWithGlobalIndex(DynamoDbClient ddb, String name) {
        ddb.createTable(b -> b.tableName(name).billingMode("PAY_PER_REQUEST")
                .attributeDefinitions(d -> d.attributeName("id").attributeType(ScalarAttributeType.S),
                        d -> d.attributeName("tag").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH))
                .globalSecondaryIndexes(g -> g.indexName("byTag").keySchema(k -> k.attributeName("tag").keyType(KeyType.HASH))
                        .projection(p -> p.projectionType(ProjectionType.ALL))));
        for (int i = 0; i < 20; i++) {
            Map<String, AttributeValue> item = Map.of("id", s("id-" + i), "tag", s("t" + (i % 3)), "n", n(Integer.toString(i)));
            ddb.putItem(b -> b.tableName(name).item(item));
        }
    }

    private static String backupId(String arn) {
        return arn.substring(arn.lastIndexOf('/') + 1);
    }

    private static boolean exists(DynamoDbClient ddb, String table) {
        return ddb.listTables().tableNames().contains(table);
    }

    /**
     * Restores interrupted by a stop (held CREATING: the global index feeds do not run) whose
     * backup is then deleted, or whose items file is damaged, are dropped at the next start, their
     * tables deleted, instead of staying CREATING (where DeleteTable refuses them) for good.
     */
    @Test
    void aRestoreWhoseBackupIsGoneOrUnreadableIsDroppedWithItsTable() throws Exception {
        String gone;
        String damaged;
        try (TestNode node = GlobalSecondaryIndexTest.startWithIndexesHeld(dataDir)) {
            DynamoDbClient ddb = node.client;
            createWithGlobalIndex(ddb, "Source");
            gone = ddb.createBackup(b -> b.tableName("Source").backupName("gone")).backupDetails().backupArn();
            damaged = ddb.createBackup(b -> b.tableName("Source").backupName("damaged")).backupDetails().backupArn();
            BackupsTest.awaitAvailable(ddb, gone);
            BackupsTest.awaitAvailable(ddb, damaged);
            assertEquals(TableStatus.CREATING, ddb.restoreTableFromBackup(b -> b.targetTableName("FromGone").backupArn(gone))
                    .tableDescription().tableStatus());
            assertEquals(TableStatus.CREATING, ddb.restoreTableFromBackup(b -> b.targetTableName("FromDamaged").backupArn(damaged))
                    .tableDescription().tableStatus());
        }
        Path backups = dataDir.resolve("backups");
        Files.delete(backups.resolve(backupId(gone) + ".json"));
        Files.delete(backups.resolve(backupId(gone) + ".items"));
        Files.writeString(backups.resolve(backupId(damaged) + ".items"), "{\"id\":{\"S\":\"id-0\"}}\nnot an item\n");

        try (TestNode node = TestNode.start(dataDir)) {
            DynamoDbClient ddb = node.client;
            awaitUntil("the failed restores' tables are deleted", () -> !exists(ddb, "FromGone") && !exists(ddb, "FromDamaged"));
            assertEquals(20, ddb.scan(b -> b.tableName("Source")).count());
            try (var markers = Files.list(backups.resolve("restoring"))) {
                assertEquals(List.of(), markers.toList());
            }
            // The name is free again, and a restore from a sound backup fills it.
            String sound = ddb.createBackup(b -> b.tableName("Source").backupName("sound")).backupDetails().backupArn();
            BackupsTest.awaitAvailable(ddb, sound);
            ddb.restoreTableFromBackup(b -> b.targetTableName("FromGone").backupArn(sound));
            awaitActive(ddb, "FromGone");
            assertEquals(20, ddb.scan(b -> b.tableName("FromGone")).count());
        }
    }

    /**
     * DeleteBackup and RestoreTableFromBackup of one backup at the same moment: either the restore
     * is refused (the backup is not found) or the restore's table ends ACTIVE with every item
     * (DeleteBackup is refused while the restore runs, or comes after it).
     */
    @Test
    void deleteBackupRacingARestoreNeverLeavesAHalfRestoredTable() throws Exception {
        try (TestNode node = TestNode.start(dataDir)) {
            DynamoDbClient ddb = node.client;
            createWithGlobalIndex(ddb, "Source");
            for (int round = 0; round < 10; round++) {
                String arn = ddb.createBackup(b -> b.tableName("Source").backupName("racing")).backupDetails().backupArn();
                BackupsTest.awaitAvailable(ddb, arn);
                String target = "Copy" + round;
                CyclicBarrier together = new CyclicBarrier(2);
                CompletableFuture<String> restore = CompletableFuture.supplyAsync(outcome(together,
                        () -> ddb.restoreTableFromBackup(b -> b.targetTableName(target).backupArn(arn))));
                CompletableFuture<String> delete = CompletableFuture.supplyAsync(outcome(together,
                        () -> ddb.deleteBackup(b -> b.backupArn(arn))));
                String restored = restore.join();
                String deleted = delete.join();
                assertTrue(List.of("ok", "BackupNotFoundException").contains(restored), restored);
                assertTrue(List.of("ok", "BackupInUseException").contains(deleted), deleted);
                if (restored.equals("ok")) {
                    awaitActive(ddb, target);
                    assertEquals(20, ddb.scan(b -> b.tableName(target)).count());
                } else {
                    assertEquals("ok", deleted);
                    assertTrue(!exists(ddb, target));
                }
            }
        }
    }

    /** Runs the call once both sides are ready; answers "ok" or the error code it got. */
    private static Supplier<String> outcome(CyclicBarrier together, Runnable call) {
        return () -> {
            try {
                together.await();
                call.run();
                return "ok";
            } catch (DynamoDbException e) {
                return e.awsErrorDetails().errorCode();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
    }
}
