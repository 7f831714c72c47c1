package io.eddy.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/**
 * CreateTable's and UpdateTable's TableThroughputMode, the newer name of BillingMode, and the
 * TableThroughputModeSummary every table description carries beside BillingModeSummary, as a 2026
 * test suite run against DynamoDB measured them. The SDK (2.57.8) has neither member, so requests
 * naming it, and answers read for the summary, go as raw JSON; the SDK checks what they made.
 */
class TableThroughputModeTest {

    @RegisterExtension
    static final NodeExtension node = new NodeExtension();
    final DynamoDbClient ddb = node.client();

    static final String KEY = "'KeySchema':[{'AttributeName':'pk','KeyType':'HASH'}],"
            + "'AttributeDefinitions':[{'AttributeName':'pk','AttributeType':'S'}]";
    static final String UNITS = "'ProvisionedThroughput':{'ReadCapacityUnits':1,'WriteCapacityUnits':1}";
    static final String ENUM = "Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]";
    static final String NO_UNITS_ON_DEMAND = "One or more parameter values were invalid: Neither ReadCapacityUnits nor "
            + "WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST";

    static TestTables.Raw call(String operation, String body) throws Exception {
        return TestTables.raw(node.server(), operation, body);
    }

    /** The answer of a call that must succeed. */
    static JsonNode ok(String operation, String body) throws Exception {
        TestTables.Raw answer = call(operation, body);
        assertEquals(200, answer.status(), answer.body().toString());
        return answer.body();
    }

    static void refused(String message, TestTables.Raw answer) {
        assertEquals(400, answer.status(), answer.body().toString());
        assertTrue(answer.type().endsWith("#ValidationException"), answer.type());
        assertEquals(message, answer.message());
    }

    static String createRequest(String name, String members) {
        return "{'TableName':'" + name + "'," + KEY + (members.isEmpty() ? "" : "," + members) + "}";
    }

    /** TableThroughputModeSummary is BillingModeSummary's copy: both or neither, same mode, same time. */
    static void summariesMirrored(JsonNode table) {
        JsonNode billing = table.get("BillingModeSummary");
        JsonNode throughputMode = table.get("TableThroughputModeSummary");
        assertEquals(billing == null, throughputMode == null, table.toString());
        if (billing == null) return;
        assertEquals(billing.path("BillingMode"), throughputMode.path("TableThroughputMode"), table.toString());
        assertEquals(billing.get("LastUpdateToPayPerRequestDateTime"), throughputMode.get("LastUpdateToPayPerRequestDateTime"));
        assertEquals(2, throughputMode.size(), throughputMode.toString());
    }

    static JsonNode described(String name) throws Exception {
        return ok("DescribeTable", "{'TableName':'" + name + "'}").path("Table");
    }

    @Test
    void theMemberAloneNamesTheBillingMode() throws Exception {
        JsonNode created = ok("CreateTable", createRequest("OnDemandByMode", "'TableThroughputMode':'PAY_PER_REQUEST'"))
                .path("TableDescription");
        assertEquals("PAY_PER_REQUEST", created.path("TableThroughputModeSummary").path("TableThroughputMode").asText());
        summariesMirrored(created);
        assertEquals(BillingMode.PAY_PER_REQUEST, ddb.describeTable(b -> b.tableName("OnDemandByMode")).table()
                .billingModeSummary().billingMode());

        ok("CreateTable", createRequest("ProvisionedByMode", "'TableThroughputMode':'PROVISIONED'," + UNITS));
        TableDescription provisioned = ddb.describeTable(b -> b.tableName("ProvisionedByMode")).table();
        assertEquals(1L, provisioned.provisionedThroughput().readCapacityUnits());
        assertNull(provisioned.billingModeSummary());
        assertFalse(described("ProvisionedByMode").has("TableThroughputModeSummary"));

        // What follows from the mode is worded as BillingMode whichever member named it.
        refused(NO_UNITS_ON_DEMAND, call("CreateTable", createRequest("Refused", "'TableThroughputMode':'PAY_PER_REQUEST'," + UNITS)));
        TestTables.Raw noUnitsByMode = call("CreateTable", createRequest("Refused", "'TableThroughputMode':'PROVISIONED'"));
        TestTables.Raw noUnitsByBilling = call("CreateTable", createRequest("Refused", "'BillingMode':'PROVISIONED'"));
        refused(noUnitsByBilling.message(), noUnitsByMode);
        assertFalse(ddb.listTables().tableNames().contains("Refused"));
    }

    @Test
    void billingModeDecidesWhenBothAreSent() throws Exception {
        ok("CreateTable", createRequest("BothProvisioned", "'BillingMode':'PROVISIONED'," + UNITS
                + ",'TableThroughputMode':'PAY_PER_REQUEST'"));
        assertEquals(1L, ddb.describeTable(b -> b.tableName("BothProvisioned")).table().provisionedThroughput().readCapacityUnits());
        JsonNode table = described("BothProvisioned");
        assertFalse(table.has("BillingModeSummary"));
        assertFalse(table.has("TableThroughputModeSummary"));

        refused(NO_UNITS_ON_DEMAND, call("CreateTable", createRequest("BothOnDemand",
                "'BillingMode':'PAY_PER_REQUEST','TableThroughputMode':'PROVISIONED'," + UNITS)));

        ok("CreateTable", createRequest("BothUpdated", "'BillingMode':'PAY_PER_REQUEST'"));
        JsonNode answer = ok("UpdateTable", "{'TableName':'BothUpdated','BillingMode':'PROVISIONED','TableThroughputMode':'PAY_PER_REQUEST',"
                + "'ProvisionedThroughput':{'ReadCapacityUnits':2,'WriteCapacityUnits':2}}").path("TableDescription");
        // The summary reports the mode BillingMode chose, under TableThroughputMode too.
        assertEquals("PROVISIONED", answer.path("TableThroughputModeSummary").path("TableThroughputMode").asText(), answer.toString());
        summariesMirrored(answer);
        TableDescription updated = ddb.describeTable(b -> b.tableName("BothUpdated")).table();
        assertEquals(BillingMode.PROVISIONED, updated.billingModeSummary().billingMode());
        assertEquals(2L, updated.provisionedThroughput().readCapacityUnits());
    }

    @Test
    void badValuesAreRefusedWithTheOtherConstraintsBeforeTheTableIsLookedFor() throws Exception {
        String bad = "1 validation error detected: Value 'BOGUS' at 'tableThroughputMode' failed to satisfy constraint: " + ENUM;
        refused(bad, call("CreateTable", createRequest("BadMode", "'TableThroughputMode':'BOGUS'")));
        // Each member is checked, the one that would not decide too.
        refused(bad, call("CreateTable", createRequest("BadMode", "'BillingMode':'PAY_PER_REQUEST','TableThroughputMode':'BOGUS'")));
        refused("2 validation errors detected: Value 'BOGUS1' at 'billingMode' failed to satisfy constraint: " + ENUM
                + "; Value 'BOGUS2' at 'tableThroughputMode' failed to satisfy constraint: " + ENUM,
                call("CreateTable", createRequest("BadMode", "'BillingMode':'BOGUS1','TableThroughputMode':'BOGUS2'")));
        assertFalse(ddb.listTables().tableNames().contains("BadMode"));

        refused(bad, call("UpdateTable", "{'TableName':'NoSuchTable','TableThroughputMode':'BOGUS'}"));
        refused("2 validation errors detected: Value 'B1' at 'billingMode' failed to satisfy constraint: " + ENUM
                + "; Value 'B2' at 'tableThroughputMode' failed to satisfy constraint: " + ENUM,
                call("UpdateTable", "{'TableName':'NoSuchTable','BillingMode':'B1','TableThroughputMode':'B2'}"));
    }

    @Test
    void updateTableSwitchesBothWaysByTheMember() throws Exception {
        ddb.createTable(ControlPlaneTest.hashTable("Switching", ScalarAttributeType.S).build());
        // PROVISIONED without throughput: refused in the words the BillingMode path has.
        TestTables.Raw noUnitsByMode = call("UpdateTable", "{'TableName':'Switching','TableThroughputMode':'PROVISIONED'}");
        TestTables.Raw noUnitsByBilling = call("UpdateTable", "{'TableName':'Switching','BillingMode':'PROVISIONED'}");
        refused(noUnitsByBilling.message(), noUnitsByMode);
        assertTrue(noUnitsByMode.message().contains("ProvisionedThroughput must be specified"), noUnitsByMode.message());

        JsonNode provisioned = ok("UpdateTable", "{'TableName':'Switching','TableThroughputMode':'PROVISIONED',"
                + "'ProvisionedThroughput':{'ReadCapacityUnits':5,'WriteCapacityUnits':5}}").path("TableDescription");
        // A table that has been on demand keeps both summaries, now PROVISIONED, with the time it went on demand.
        assertEquals("PROVISIONED", provisioned.path("TableThroughputModeSummary").path("TableThroughputMode").asText());
        assertTrue(provisioned.path("TableThroughputModeSummary").has("LastUpdateToPayPerRequestDateTime"));
        summariesMirrored(provisioned);
        TableDescription afterProvisioned = ddb.describeTable(b -> b.tableName("Switching")).table();
        assertEquals(BillingMode.PROVISIONED, afterProvisioned.billingModeSummary().billingMode());
        assertEquals(5L, afterProvisioned.provisionedThroughput().readCapacityUnits());
        summariesMirrored(described("Switching"));

        // The member alone is a change, not "At least one of ... is required".
        JsonNode onDemand = ok("UpdateTable", "{'TableName':'Switching','TableThroughputMode':'PAY_PER_REQUEST'}")
                .path("TableDescription");
        assertEquals("PAY_PER_REQUEST", onDemand.path("TableThroughputModeSummary").path("TableThroughputMode").asText());
        summariesMirrored(onDemand);
        assertEquals(BillingMode.PAY_PER_REQUEST, ddb.describeTable(b -> b.tableName("Switching")).table().billingModeSummary().billingMode());
        summariesMirrored(described("Switching"));
        refused(NO_UNITS_ON_DEMAND, call("UpdateTable", "{'TableName':'Switching','TableThroughputMode':'PAY_PER_REQUEST'," + UNITS + "}"));
    }

    @Test
    void everyDescriptionMirrorsTheSummary() throws Exception {
        JsonNode created = ok("CreateTable", createRequest("Mirrored", "'BillingMode':'PAY_PER_REQUEST'")).path("TableDescription");
        assertEquals("PAY_PER_REQUEST", created.path("BillingModeSummary").path("BillingMode").asText());
        summariesMirrored(created);
        JsonNode table = described("Mirrored");
        assertEquals("PAY_PER_REQUEST", table.path("TableThroughputModeSummary").path("TableThroughputMode").asText());
        summariesMirrored(table);
        JsonNode updated = ok("UpdateTable", "{'TableName':'Mirrored','DeletionProtectionEnabled':false}").path("TableDescription");
        assertTrue(updated.has("TableThroughputModeSummary"));
        summariesMirrored(updated);
        JsonNode deleted = ok("DeleteTable", "{'TableName':'Mirrored'}").path("TableDescription");
        assertTrue(deleted.has("TableThroughputModeSummary"));
        summariesMirrored(deleted);

        ok("CreateTable", createRequest("NeverOnDemand", "'BillingMode':'PROVISIONED'," + UNITS));
        for (JsonNode description : new JsonNode[] {described("NeverOnDemand"),
                ok("DeleteTable", "{'TableName':'NeverOnDemand'}").path("TableDescription")}) {
            assertFalse(description.has("BillingModeSummary"));
            assertFalse(description.has("TableThroughputModeSummary"));
        }
    }
}
