package io.eddy.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Many clients writing the same items at once: partitions batch concurrent writes, and every
 * condition must still see all writes ordered before it, in and across batches.
 */
class ConcurrentWritesTest {

    @RegisterExtension
    static final NodeExtension node = new NodeExtension();

    @BeforeAll
    static void start() throws Exception {
        node.client().createTable(b -> b.tableName("Contended").billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder().attributeName("id").attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build()));
    }

    /** Runs {@code body(thread)} on {@code threads} threads released together; rethrows failures. */
    static void concurrently(int threads, java.util.function.IntConsumer body) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> started = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread thread = new Thread(() -> {
                try {
                    go.await();
                    body.accept(id);
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            thread.start();
            started.add(thread);
        }
        go.countDown();
        for (Thread t : started) t.join();
        assertEquals(List.of(), failures);
    }

    @Test
    void exactlyOneCreateWinsPerKey() throws Exception {
        int keys = 20;
        AtomicInteger wins = new AtomicInteger();
        AtomicInteger losses = new AtomicInteger();
        try (DynamoDbClient ddb = TestNode.client(node.server().endpoint())) {
            concurrently(16, thread -> {
                for (int k = 0; k < keys; k++) {
                    String key = "once-" + k;
                    try {
                        ddb.putItem(b -> b.tableName("Contended")
                                .item(Map.of("id", AttributeValue.fromS(key), "winner", AttributeValue.fromN(Integer.toString(thread))))
                                .conditionExpression("attribute_not_exists(id)"));
                        wins.incrementAndGet();
                    } catch (ConditionalCheckFailedException e) {
                        losses.incrementAndGet();
                    }
                }
            });
        }
        assertEquals(keys, wins.get(), "one winner per key");
        assertEquals(16 * keys - keys, losses.get());
    }

    @Test
    void optimisticIncrementsNeverLoseAnUpdate() throws Exception {
        DynamoDbClient setup = node.client();
        setup.putItem(b -> b.tableName("Contended").item(Map.of("id", AttributeValue.fromS("counter"), "v", AttributeValue.fromN("0"))));
        AtomicInteger successes = new AtomicInteger();
        try (DynamoDbClient ddb = TestNode.client(node.server().endpoint())) {
            concurrently(12, thread -> {
                for (int attempt = 0; attempt < 60; attempt++) {
                    String seen = ddb.getItem(b -> b.tableName("Contended").key(Map.of("id", AttributeValue.fromS("counter")))
                            .consistentRead(true)).item().get("v").n();
                    String next = Integer.toString(Integer.parseInt(seen) + 1);
                    try {
                        ddb.putItem(b -> b.tableName("Contended")
                                .item(Map.of("id", AttributeValue.fromS("counter"), "v", AttributeValue.fromN(next)))
                                .conditionExpression("v = :seen")
                                .expressionAttributeValues(Map.of(":seen", AttributeValue.fromN(seen))));
                        successes.incrementAndGet();
                    } catch (ConditionalCheckFailedException e) {
                        // another client incremented first; try again
                    }
                }
            });
        }
        String finalValue = setup.getItem(b -> b.tableName("Contended").key(Map.of("id", AttributeValue.fromS("counter")))).item().get("v").n();
        assertTrue(successes.get() > 0);
        assertEquals(Integer.toString(successes.get()), finalValue);
    }
}
