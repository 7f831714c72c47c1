package io.eddy.gateway;

import io.eddy.gateway.DifferentialExpressions.Expression;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Sends the same random sequence of PutItem, UpdateItem, DeleteItem and GetItem requests, with
 * random condition, update and projection expressions (valid and broken), to Eddy and to dynalite,
 * and compares what each returns: items, ReturnValues, and the error type of every refusal.
 *
 * <p>Seeded: {@code -Deddy.differential.seed=N} replays a run, {@code -Deddy.differential.cases=N}
 * sets its length; a failure prints the seed and every divergence with its request.
 */
class DifferentialItemsTest {

    static final String TABLE = "Differential";

    @TempDir
    static Path dataDir;
    static DifferentialRun run;

    @BeforeAll
    static void start() throws Exception {
        run = DifferentialRun.start(dataDir);
        run.createTable(b -> b.tableName(TABLE).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName("sk").attributeType(ScalarAttributeType.N).build())
                .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build()));
    }

    @AfterAll
    static void stop() throws Exception {
        if (run != null) run.close();
    }

    @Test
    void eddyAnswersAsDynaliteDoes() {
        Random seeded = new Random(DifferentialRun.SEED);
        DifferentialValues values = new DifferentialValues(seeded);
        DifferentialExpressions expressions = new DifferentialExpressions(values);
        boolean updates = Boolean.parseBoolean(System.getProperty("eddy.differential.updates", "true"));
        for (int i = 0; run.more(i, DifferentialRun.CASES); i++) {
            Map<String, AttributeValue> key = Map.of(
                    "pk", AttributeValue.fromS(values.pick(List.of("k1", "k2", "k3"))),
                    "sk", AttributeValue.fromN(values.pick(List.of("1", "2"))));
            int op = values.between(0, updates ? 99 : 69);
            String description;
            Function<DynamoDbClient, Object> call;
            boolean writes = true;
            if (op < 25) {
                Map<String, AttributeValue> item = values.item(key);
                Expression condition = values.chance(0.5) ? expressions.condition() : null;
                String returnValues = values.chance(0.5) ? "ALL_OLD" : "NONE";
                description = "PutItem " + item + " returnValues=" + returnValues + DifferentialRun.describe(condition);
                call = c -> DifferentialCanonical.item(c.putItem(b -> {
                    b.tableName(TABLE).item(item).returnValues(returnValues);
                    if (condition != null) b.conditionExpression(condition.text())
                            .expressionAttributeNames(nullIfEmpty(condition.names()))
                            .expressionAttributeValues(nullIfEmpty(condition.values()));
                }).attributes());
            } else if (op < 40) {
                Expression condition = values.chance(0.6) ? expressions.condition() : null;
                String returnValues = values.chance(0.5) ? "ALL_OLD" : "NONE";
                description = "DeleteItem " + key + " returnValues=" + returnValues + DifferentialRun.describe(condition);
                call = c -> DifferentialCanonical.item(c.deleteItem(b -> {
                    b.tableName(TABLE).key(key).returnValues(returnValues);
                    if (condition != null) b.conditionExpression(condition.text())
                            .expressionAttributeNames(nullIfEmpty(condition.names()))
                            .expressionAttributeValues(nullIfEmpty(condition.values()));
                }).attributes());
            } else if (op < 70) {
                writes = false;
                Expression projection = values.chance(0.5) ? expressions.projection() : null;
                description = "GetItem " + key + DifferentialRun.describe(projection);
                call = c -> DifferentialCanonical.item(c.getItem(b -> {
                    b.tableName(TABLE).key(key).consistentRead(true);
                    if (projection != null) b.projectionExpression(projection.text())
                            .expressionAttributeNames(nullIfEmpty(projection.names()));
                }).item());
            } else {
                Expression update = expressions.update();
                Expression condition = values.chance(0.3) ? expressions.condition() : null;
                String returnValues = values.pick(List.of("NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW"));
                Map<String, String> names = merged(update.names(), condition == null ? Map.of() : condition.names());
                Map<String, AttributeValue> placeholders = merged(update.values(), condition == null ? Map.of() : condition.values());
                description = "UpdateItem " + key + " returnValues=" + returnValues + DifferentialRun.describe(update) + DifferentialRun.describe(condition);
                call = c -> DifferentialCanonical.item(c.updateItem(b -> {
                    b.tableName(TABLE).key(key).returnValues(returnValues).updateExpression(update.text())
                            .expressionAttributeNames(nullIfEmpty(names))
                            .expressionAttributeValues(nullIfEmpty(placeholders));
                    if (condition != null) b.conditionExpression(condition.text());
                }).attributes());
            }
            boolean same = run.compare(i, description, call);
            if (writes) {
                // Named with the write, which is reported only when its own answers differ.
                same &= run.compare(i, "  then GetItem " + key + " after " + description, c -> DifferentialCanonical.item(
                        c.getItem(b -> b.tableName(TABLE).key(key).consistentRead(true)).item()));
            }
            if (!same) {
                // Start this key afresh on both, so one divergence is reported once, not at every later use of the key.
                for (DynamoDbClient client : run.clients()) client.deleteItem(b -> b.tableName(TABLE).key(key));
            }
        }
        run.assertNoDivergences("items");
    }

    private static <V> Map<String, V> merged(Map<String, V> a, Map<String, V> b) {
        Map<String, V> out = new java.util.LinkedHashMap<>(a);
        b.forEach((k, v) -> out.merge(k, v, (x, y) -> x));
        return out;
    }

    private static <V> Map<String, V> nullIfEmpty(Map<String, V> map) {
        return map.isEmpty() ? null : map;
    }
}
