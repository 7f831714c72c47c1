package io.eddy.loadtests;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Session;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The benchmark's table and requests: {@code items} items of about 1 KB (default 20,000),
 * {@code itemsPerKey} per partition key (default 10, so a Query with Limit 10 reads one key's
 * items), keys drawn uniformly at random.
 */
final class Workload {

    static final String TABLE = System.getProperty("table", "eddy_load");
    static final int ITEMS = Integer.getInteger("items", 20_000);
    static final int ITEMS_PER_KEY = Integer.getInteger("itemsPerKey", 10);
    static final int KEYS = ITEMS / ITEMS_PER_KEY;
    static final int USERS = Integer.getInteger("users", 64);
    static final int SECONDS = Integer.getInteger("seconds", 30);
    private static final String PAYLOAD = "x".repeat(960);

    private Workload() {}

    /** Creates the table (if it does not exist) and loads every item, in parallel, before the load. */
    static void prepare() {
        String created = DynamoEndpoint.call("CreateTable", "{\"TableName\":\"" + TABLE + "\",\"BillingMode\":\"PAY_PER_REQUEST\","
                + "\"AttributeDefinitions\":[{\"AttributeName\":\"pk\",\"AttributeType\":\"S\"},{\"AttributeName\":\"sk\",\"AttributeType\":\"N\"}],"
                + "\"KeySchema\":[{\"AttributeName\":\"pk\",\"KeyType\":\"HASH\"},{\"AttributeName\":\"sk\",\"KeyType\":\"RANGE\"}]}");
        if (!created.startsWith("200") && !created.contains("ResourceInUseException")) {
            throw new IllegalStateException("cannot create " + TABLE + ": " + created);
        }
        if (Boolean.getBoolean("skipLoad")) return;
        ExecutorService loaders = Executors.newFixedThreadPool(16);
        for (int key = 0; key < KEYS; key++) {
            int k = key;
            loaders.execute(() -> {
                for (int sk = 0; sk < ITEMS_PER_KEY; sk++) {
                    String result = DynamoEndpoint.call("PutItem", putBody("user-" + k, sk));
                    if (!result.startsWith("200")) throw new IllegalStateException("load failed: " + result);
                }
            });
        }
        loaders.shutdown();
        try {
            if (!loaders.awaitTermination(10, TimeUnit.MINUTES)) throw new IllegalStateException("load timed out");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A 1 KB item. Its {@code version} differs on every call: a put that changes nothing is not
     * journaled (no change, no stream record), so identical rewrites would measure no durable work.
     */
    static String putBody(String pk, int sk) {
        return "{\"TableName\":\"" + TABLE + "\",\"Item\":{\"pk\":{\"S\":\"" + pk + "\"},\"sk\":{\"N\":\"" + sk
                + "\"},\"version\":{\"N\":\"" + ThreadLocalRandom.current().nextLong(Long.MAX_VALUE)
                + "\"},\"payload\":{\"S\":\"" + PAYLOAD + "\"}}}";
    }

    private static String randomKey() {
        return "user-" + ThreadLocalRandom.current().nextInt(KEYS);
    }

    private static int randomSortKey() {
        return ThreadLocalRandom.current().nextInt(ITEMS_PER_KEY);
    }

    /** One signed DynamoDB call whose body {@code body} builds from the session. */
    static ChainBuilder call(String operation, Function<Session, String> body) {
        return exec(session -> DynamoEndpoint.sign(session.set("op", operation).set("body", body.apply(session))))
                .exec(http(operation).post("/")
                        .header("X-Amz-Target", "DynamoDB_20120810." + operation)
                        .header("X-Amz-Date", "#{amzDate}")
                        .header("x-amz-content-sha256", "#{contentSha256}")
                        .header("Authorization", "#{authorization}")
                        .body(StringBody("#{body}"))
                        .check(status().is(200)));
    }

    static final ChainBuilder PUT = call("PutItem", s -> putBody(randomKey(), randomSortKey()));

    static final ChainBuilder GET = call("GetItem", s -> "{\"TableName\":\"" + TABLE + "\",\"Key\":{\"pk\":{\"S\":\""
            + randomKey() + "\"},\"sk\":{\"N\":\"" + randomSortKey() + "\"}}}");

    static final ChainBuilder QUERY = call("Query", s -> "{\"TableName\":\"" + TABLE + "\",\"Limit\":10,"
            + "\"KeyConditionExpression\":\"pk = :pk\",\"ExpressionAttributeValues\":{\":pk\":{\"S\":\"" + randomKey() + "\"}}}");

    /** Every write to one partition key: the hot-partition case. */
    static final ChainBuilder HOT_PUT = call("PutItem", s -> putBody("user-hot", ThreadLocalRandom.current().nextInt(1_000_000)));

    static final ChainBuilder BATCH_WRITE = call("BatchWriteItem", s -> {
        StringBuilder body = new StringBuilder("{\"RequestItems\":{\"" + TABLE + "\":[");
        for (int i = 0; i < 25; i++) {
            if (i > 0) body.append(',');
            // Distinct sort keys within the batch: DynamoDB rejects duplicate keys in one batch.
            String put = putBody(randomKey(), ITEMS_PER_KEY + i);
            body.append("{\"PutRequest\":{\"Item\":").append(put, put.indexOf("\"Item\":") + 7, put.length() - 1).append("}}");
        }
        return body.append("]}}").toString();
    });
}
