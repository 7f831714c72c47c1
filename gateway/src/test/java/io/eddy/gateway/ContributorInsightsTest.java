package io.eddy.gateway;

import static io.eddy.gateway.TestTables.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ContributorInsightsAction;
import software.amazon.awssdk.services.dynamodb.model.ContributorInsightsMode;
import software.amazon.awssdk.services.dynamodb.model.ContributorInsightsStatus;
import software.amazon.awssdk.services.dynamodb.model.ContributorInsightsSummary;
import software.amazon.awssdk.services.dynamodb.model.DescribeContributorInsightsResponse;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ListContributorInsightsResponse;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.UpdateContributorInsightsResponse;

/**
 * UpdateContributorInsights, DescribeContributorInsights and ListContributorInsights through the
 * AWS SDK, kept across a restart, and the keys Eddy counts for the rules (the admin report).
 */
class ContributorInsightsTest {

    @TempDir
    Path dataDir;

    /** Orders: keyed by customer and date, with a global index by status (hash only) and a local one. */
    static void createOrders(DynamoDbClient ddb) {
        ddb.createTable(b -> b.tableName("Orders").billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(a -> a.attributeName("customer").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("date").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("status").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("total").attributeType(ScalarAttributeType.N))
                .keySchema(k -> k.attributeName("customer").keyType(KeyType.HASH), k -> k.attributeName("date").keyType(KeyType.RANGE))
                .globalSecondaryIndexes(i -> i.indexName("byStatus").keySchema(k -> k.attributeName("status").keyType(KeyType.HASH))
                        .projection(p -> p.projectionType(ProjectionType.ALL)))
                .localSecondaryIndexes(i -> i.indexName("byTotal").keySchema(k -> k.attributeName("customer").keyType(KeyType.HASH),
                        k -> k.attributeName("total").keyType(KeyType.RANGE)).projection(p -> p.projectionType(ProjectionType.KEYS_ONLY))));
    }

    static UpdateContributorInsightsResponse update(DynamoDbClient ddb, String index, ContributorInsightsAction action,
                                                    ContributorInsightsMode mode) {
        return ddb.updateContributorInsights(b -> b.tableName("Orders").indexName(index).contributorInsightsAction(action)
                .contributorInsightsMode(mode));
    }

    static DescribeContributorInsightsResponse describe(DynamoDbClient ddb, String index) {
        return ddb.describeContributorInsights(b -> b.tableName("Orders").indexName(index));
    }

    @Test
    void theStatusModeAndRulesOfATableAndItsGlobalIndex() throws Exception {
        try (TestNode node = TestNode.start(dataDir)) {
            DynamoDbClient ddb = node.client;
            createOrders(ddb);
            DescribeContributorInsightsResponse never = describe(ddb, null);
            assertEquals(ContributorInsightsStatus.DISABLED, never.contributorInsightsStatus());
            assertFalse(never.hasContributorInsightsRuleList());
            assertNull(never.contributorInsightsMode());
            assertNull(never.lastUpdateDateTime());
            assertEquals(List.of(), ddb.listContributorInsights(b -> b.tableName("Orders")).contributorInsightsSummaries());

            UpdateContributorInsightsResponse enabled = update(ddb, null, ContributorInsightsAction.ENABLE, null);
            assertEquals("Orders", enabled.tableName());
            assertEquals(ContributorInsightsStatus.ENABLING, enabled.contributorInsightsStatus());
            assertEquals(ContributorInsightsMode.ACCESSED_AND_THROTTLED_KEYS, enabled.contributorInsightsMode());
            DescribeContributorInsightsResponse described = describe(ddb, null);
            assertEquals(ContributorInsightsStatus.ENABLED, described.contributorInsightsStatus());
            List<String> rules = described.contributorInsightsRuleList();
            assertEquals(4, rules.size());
            String suffix = rules.get(0).substring(rules.get(0).lastIndexOf('-') + 1);
            assertEquals(List.of("DynamoDBContributorInsights-PKC-Orders-" + suffix, "DynamoDBContributorInsights-PKT-Orders-" + suffix,
                    "DynamoDBContributorInsights-SKC-Orders-" + suffix, "DynamoDBContributorInsights-SKT-Orders-" + suffix), rules);
            assertTrue(described.lastUpdateDateTime() != null);

            // The same again changes nothing; another mode is an ENABLE that keeps the rules' time.
            assertEquals(ContributorInsightsStatus.ENABLED, update(ddb, null, ContributorInsightsAction.ENABLE, null).contributorInsightsStatus());
            assertEquals(ContributorInsightsStatus.ENABLING,
                    update(ddb, null, ContributorInsightsAction.ENABLE, ContributorInsightsMode.THROTTLED_KEYS).contributorInsightsStatus());
            assertEquals(List.of("DynamoDBContributorInsights-PKT-Orders-" + suffix, "DynamoDBContributorInsights-SKT-Orders-" + suffix),
                    describe(ddb, null).contributorInsightsRuleList());
            // ENABLE without a mode means both kinds of keys again.
            assertEquals(ContributorInsightsMode.ACCESSED_AND_THROTTLED_KEYS,
                    update(ddb, null, ContributorInsightsAction.ENABLE, null).contributorInsightsMode());
            assertEquals(4, describe(ddb, null).contributorInsightsRuleList().size());

            // A global index of its own: hash-only, so two rules, named after the table and the index.
            UpdateContributorInsightsResponse index = update(ddb, "byStatus", ContributorInsightsAction.ENABLE,
                    ContributorInsightsMode.ACCESSED_AND_THROTTLED_KEYS);
            assertEquals("byStatus", index.indexName());
            List<String> indexRules = describe(ddb, "byStatus").contributorInsightsRuleList();
            assertEquals(2, indexRules.size());
            assertTrue(indexRules.get(0).startsWith("DynamoDBContributorInsights-PKC-Orders-byStatus-"), indexRules.get(0));
            ResourceNotFoundException local = assertThrows(ResourceNotFoundException.class, () -> describe(ddb, "byTotal"));
            assertEquals("Requested resource not found: Index: byTotal not found for table: Orders", local.awsErrorDetails().errorMessage());
            ResourceNotFoundException missing = assertThrows(ResourceNotFoundException.class,
                    () -> ddb.describeContributorInsights(b -> b.tableName("Missing")));
            assertEquals("Requested resource not found: Table: Missing not found", missing.awsErrorDetails().errorMessage());

            // Listed: the table, then its index; a page at a time.
            ListContributorInsightsResponse first = ddb.listContributorInsights(b -> b.maxResults(1));
            assertEquals(List.of(ContributorInsightsSummary.builder().tableName("Orders").contributorInsightsStatus(ContributorInsightsStatus.ENABLED)
                    .contributorInsightsMode(ContributorInsightsMode.ACCESSED_AND_THROTTLED_KEYS).build()), first.contributorInsightsSummaries());
            ListContributorInsightsResponse second = ddb.listContributorInsights(b -> b.maxResults(1).nextToken(first.nextToken()));
            assertEquals("byStatus", second.contributorInsightsSummaries().get(0).indexName());
            assertNull(second.nextToken());
            TestTables.invalid("1 validation error detected: Value '101' at 'maxResults' failed to satisfy constraint: "
                    + "Member must have value less than or equal to 100", () -> ddb.listContributorInsights(b -> b.maxResults(101)));

            // DISABLE keeps the mode (ignoring one sent with it) and the time of the change; listed no more.
            UpdateContributorInsightsResponse disabling = update(ddb, null, ContributorInsightsAction.DISABLE, ContributorInsightsMode.THROTTLED_KEYS);
            assertEquals(ContributorInsightsStatus.DISABLING, disabling.contributorInsightsStatus());
            assertEquals(ContributorInsightsMode.ACCESSED_AND_THROTTLED_KEYS, disabling.contributorInsightsMode());
            DescribeContributorInsightsResponse disabled = describe(ddb, null);
            assertEquals(ContributorInsightsStatus.DISABLED, disabled.contributorInsightsStatus());
            assertFalse(disabled.hasContributorInsightsRuleList());
            assertEquals(ContributorInsightsMode.ACCESSED_AND_THROTTLED_KEYS, disabled.contributorInsightsMode());
            assertEquals(ContributorInsightsStatus.DISABLED, update(ddb, null, ContributorInsightsAction.DISABLE, null).contributorInsightsStatus());
            assertEquals(1, ddb.listContributorInsights(b -> b.tableName("Orders")).contributorInsightsSummaries().size());
            // Enabled again: new rules.
            Thread.sleep(5);
            update(ddb, null, ContributorInsightsAction.ENABLE, null);
            assertNotEquals(rules, describe(ddb, null).contributorInsightsRuleList());
            TestTables.invalid("1 validation error detected: Value 'PAUSE' at 'contributorInsightsAction' failed to satisfy constraint: "
                    + "Member must satisfy enum value set: [ENABLE, DISABLE]",
                    () -> ddb.updateContributorInsights(b -> b.tableName("Orders").contributorInsightsAction("PAUSE")));
        }
        // Kept across a restart.
        try (TestNode node = TestNode.start(dataDir)) {
            assertEquals(ContributorInsightsStatus.ENABLED, describe(node.client, null).contributorInsightsStatus());
            assertEquals(2, describe(node.client, "byStatus").contributorInsightsRuleList().size());
        }
    }

    @Test
    void theRulesCountTheKeysAccessedAndThrottled() throws Exception {
        try (TestNode node = TestNode.start(dataDir, Map.of("eddy.throughput.burst-seconds", 1))) {
            DynamoDbClient ddb = TestNode.noRetryClient(node.endpoint());
            createOrders(ddb);
            update(ddb, null, ContributorInsightsAction.ENABLE, null);
            update(ddb, "byStatus", ContributorInsightsAction.ENABLE, null);
            ddb.putItem(b -> b.tableName("Orders").item(Map.of("customer", s("ann"), "date", s("d1"), "status", s("open"))));
            for (int i = 0; i < 5; i++) {
                ddb.getItem(b -> b.tableName("Orders").key(Map.of("customer", s("ann"), "date", s("d1"))));
            }
            ddb.getItem(b -> b.tableName("Orders").key(Map.of("customer", s("bob"), "date", s("d9"))));
            List<String> rules = describe(ddb, null).contributorInsightsRuleList();
            JsonNode accessed = report(node, rules.get(0));
            assertEquals(List.of("PartitionKey"), List.of(accessed.get("KeyLabels").get(0).asText()));
            assertEquals(7, accessed.get("AggregateValue").asLong(), "a put and five gets of ann, a get of bob");
            assertEquals("ann", accessed.get("Contributors").get(0).get("Keys").get(0).asText());
            assertEquals(6, accessed.get("Contributors").get(0).get("ApproximateAggregateValue").asLong());
            assertEquals("bob", accessed.get("Contributors").get(1).get("Keys").get(0).asText());
            JsonNode bothKeys = report(node, rules.get(2));
            assertEquals("d1", bothKeys.get("Contributors").get(0).get("Keys").get(1).asText());
            // Enabled again, the new rules count afresh; the old ones are gone.
            update(ddb, null, ContributorInsightsAction.DISABLE, null);
            Thread.sleep(5);
            update(ddb, null, ContributorInsightsAction.ENABLE, null);
            assertEquals(0, report(node, describe(ddb, null).contributorInsightsRuleList().get(0)).get("AggregateValue").asLong());
            assertEquals(404, RawHttp.oneShotClient().send(HttpRequest.newBuilder(node.endpoint()
                    .resolve("/admin/contributor-insights/" + rules.get(0))).build(), HttpResponse.BodyHandlers.ofString()).statusCode());

            // An index's rule counts what is read through it (once its entry is there).
            String indexRule = describe(ddb, "byStatus").contributorInsightsRuleList().get(0);
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (ddb.query(b -> b.tableName("Orders").indexName("byStatus").keyConditionExpression("#s = :s")
                    .expressionAttributeNames(Map.of("#s", "status")).expressionAttributeValues(Map.of(":s", s("open")))).count() == 0
                    && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals("open", report(node, indexRule).get("Contributors").get(0).get("Keys").get(0).asText());

            // Throttled keys: a provisioned table of one write unit a second, spent by one large write.
            ddb.createTable(b -> b.tableName("Small").billingMode(BillingMode.PROVISIONED)
                    .provisionedThroughput(p -> p.readCapacityUnits(100L).writeCapacityUnits(1L))
                    .attributeDefinitions(a -> a.attributeName("id").attributeType(ScalarAttributeType.S))
                    .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH)));
            ddb.updateContributorInsights(b -> b.tableName("Small").contributorInsightsAction(ContributorInsightsAction.ENABLE)
                    .contributorInsightsMode(ContributorInsightsMode.THROTTLED_KEYS));
            ddb.putItem(b -> b.tableName("Small").item(Map.of("id", s("big"), "body", s("x".repeat(20_000)))));
            assertThrows(ProvisionedThroughputExceededException.class, () -> ddb.putItem(b -> b.tableName("Small").item(Map.of("id", s("late")))));
            String throttledRule = ddb.describeContributorInsights(b -> b.tableName("Small")).contributorInsightsRuleList().get(0);
            assertTrue(throttledRule.startsWith("DynamoDBContributorInsights-PKT-Small-"), throttledRule);
            JsonNode throttled = report(node, throttledRule);
            assertEquals(1, throttled.get("AggregateValue").asLong(), "THROTTLED_KEYS mode counts no accesses");
            assertEquals("late", throttled.get("Contributors").get(0).get("Keys").get(0).asText());
            assertEquals(404, RawHttp.oneShotClient().send(HttpRequest.newBuilder(node.endpoint()
                    .resolve("/admin/contributor-insights/DynamoDBContributorInsights-PKC-Nothing-1")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
            ddb.close();
        }
    }

    static JsonNode report(TestNode node, String rule) throws Exception {
        HttpResponse<String> response = RawHttp.oneShotClient().send(HttpRequest.newBuilder(node.endpoint()
                .resolve("/admin/contributor-insights/" + rule + "?minutes=5")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return Json.MAPPER.readTree(response.body());
    }
}
