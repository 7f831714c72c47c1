package io.eddy.gateway;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * A clean shutdown while clients keep writing: writes to recovered partitions go straight to their
 * entities, and the shutdown stops those entities; every write that was acknowledged is read back
 * after a restart (the others were refused, or cut off with the connection).
 */
class ShutdownUnderLoadTest {

    @TempDir
    Path dataDir;

    @Test
    void everyAcknowledgedWriteSurvivesAShutdownUnderLoad() throws Exception {
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        TestNode node = TestNode.start(dataDir);
        node.client.createTable(b -> b.tableName("Busy").billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder().attributeName("id").attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build()));
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < 8; w++) {
            int writer = w;
            DynamoDbClient client = TestNode.client(node.endpoint());
            Thread t = new Thread(() -> {
                for (int i = 0; !stop.get(); i++) {
                    String id = writer + "-" + i;
                    try {
                        client.putItem(b -> b.tableName("Busy").item(Map.of("id", AttributeValue.fromS(id))));
                        acknowledged.add(id);
                    } catch (SdkException refused) {
                        // The node is going away: unacknowledged, so it may or may not have been written.
                    }
                }
                client.close();
            });
            t.start();
            writers.add(t);
        }
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(120);
        while (acknowledged.size() < 500) {
            if (System.nanoTime() > deadline) {
                stop.set(true);
                throw new AssertionError("only " + acknowledged.size() + " writes acknowledged in 120 s");
            }
            Thread.sleep(10);
        }
        node.close();
        stop.set(true);
        for (Thread t : writers) t.join();

        try (TestNode restarted = TestNode.start(dataDir)) {
            TestTables.assertAllPresent(restarted.client, "Busy", acknowledged, "acknowledged writes lost in a clean shutdown");
        }
    }
}
