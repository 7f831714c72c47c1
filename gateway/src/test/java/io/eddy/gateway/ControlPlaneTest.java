package io.eddy.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ListTablesResponse;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughput;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/** CreateTable, DescribeTable, ListTables, UpdateTable and DeleteTable through the AWS SDK v2. */
class ControlPlaneTest {

    @RegisterExtension
    static final NodeExtension node = new NodeExtension();
    final DynamoDbClient ddb = node.client();

    static CreateTableRequest.Builder hashTable(String name, ScalarAttributeType type) {
        return CreateTableRequest.builder().tableName(name)
                .attributeDefinitions(AttributeDefinition.builder().attributeName("pk").attributeType(type).build())
                .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build())
                .billingMode(BillingMode.PAY_PER_REQUEST);
    }

    @Test
    void createDescribeAndWaitForHashAndRangeTable() {
        TableDescription created = ddb.createTable(b -> b.tableName("Orders")
                .attributeDefinitions(
                        AttributeDefinition.builder().attributeName("customer").attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName("order").attributeType(ScalarAttributeType.N).build())
                .keySchema(
                        KeySchemaElement.builder().attributeName("customer").keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName("order").keyType(KeyType.RANGE).build())
                .provisionedThroughput(ProvisionedThroughput.builder().readCapacityUnits(5L).writeCapacityUnits(7L).build()))
                .tableDescription();
        assertEquals("Orders", created.tableName());
        assertNotNull(created.creationDateTime());

        ddb.waiter().waitUntilTableExists(b -> b.tableName("Orders"));
        TableDescription table = ddb.describeTable(b -> b.tableName("Orders")).table();
        assertEquals(TableStatus.ACTIVE, table.tableStatus());
        assertEquals(2, table.keySchema().size());
        assertEquals(KeyType.HASH, table.keySchema().get(0).keyType());
        assertEquals("order", table.keySchema().get(1).attributeName());
        assertEquals(ScalarAttributeType.N, table.attributeDefinitions().get(1).attributeType());
        assertEquals(5L, table.provisionedThroughput().readCapacityUnits());
        assertEquals(7L, table.provisionedThroughput().writeCapacityUnits());
        // DynamoDB reports no BillingModeSummary for a table that has never been on demand.
        assertNull(table.billingModeSummary());
        assertEquals("arn:aws:dynamodb:us-east-1:000000000000:table/Orders", table.tableArn());
        assertNotNull(table.tableId());
        assertEquals(0L, table.itemCount());
        assertEquals(0L, table.tableSizeBytes());
        assertEquals(created.creationDateTime(), table.creationDateTime());
    }

    @Test
    void binaryKeyAndOnDemandBilling() {
        ddb.createTable(hashTable("BinaryKeyed", ScalarAttributeType.B).build());
        TableDescription table = ddb.describeTable(b -> b.tableName("BinaryKeyed")).table();
        assertEquals(BillingMode.PAY_PER_REQUEST, table.billingModeSummary().billingMode());
        assertNotNull(table.billingModeSummary().lastUpdateToPayPerRequestDateTime());
        assertEquals(0L, table.provisionedThroughput().readCapacityUnits());
        assertEquals(ScalarAttributeType.B, table.attributeDefinitions().get(0).attributeType());
    }

    @Test
    void duplicateTableIsResourceInUse() {
        ddb.createTable(hashTable("Twice", ScalarAttributeType.S).build());
        ResourceInUseException e = assertThrows(ResourceInUseException.class,
                () -> ddb.createTable(hashTable("Twice", ScalarAttributeType.S).build()));
        assertEquals("Table already exists: Twice", e.awsErrorDetails().errorMessage());
    }

    @Test
    void missingTableIsResourceNotFound() {
        ResourceNotFoundException e = assertThrows(ResourceNotFoundException.class,
                () -> ddb.describeTable(b -> b.tableName("NoSuchTable")));
        assertEquals("Requested resource not found: Table: NoSuchTable not found", e.awsErrorDetails().errorMessage());
        assertThrows(ResourceNotFoundException.class, () -> ddb.deleteTable(b -> b.tableName("NoSuchTable")));
        assertThrows(ResourceNotFoundException.class,
                () -> ddb.updateTable(b -> b.tableName("NoSuchTable").billingMode(BillingMode.PAY_PER_REQUEST)));
    }

    @Test
    void listTablesIsSortedAndPaged() {
        List<String> mine = List.of("list-c", "list-a", "list-e", "list-b", "list-d");
        for (String name : mine) ddb.createTable(hashTable(name, ScalarAttributeType.S).build());

        List<String> all = ddb.listTables().tableNames();
        List<String> sorted = new ArrayList<>(all);
        sorted.sort(null);
        assertEquals(sorted, all);
        assertTrue(all.containsAll(mine));

        List<String> paged = new ArrayList<>();
        String start = null;
        int pages = 0;
        do {
            String from = start;
            ListTablesResponse page = ddb.listTables(b -> b.limit(2).exclusiveStartTableName(from));
            assertTrue(page.tableNames().size() <= 2);
            paged.addAll(page.tableNames());
            start = page.lastEvaluatedTableName();
            pages++;
        } while (start != null);
        assertEquals(all, paged);
        assertTrue(pages >= 3);

        List<String> viaPaginator = new ArrayList<>();
        ddb.listTablesPaginator(b -> b.limit(3)).tableNames().forEach(viaPaginator::add);
        assertEquals(all, viaPaginator);

        DynamoDbException e = assertThrows(DynamoDbException.class, () -> ddb.listTables(b -> b.limit(101)));
        assertEquals("ValidationException", e.awsErrorDetails().errorCode());
        assertEquals("1 validation error detected: Value '101' at 'limit' failed to satisfy constraint: "
                + "Member must have value less than or equal to 100", e.awsErrorDetails().errorMessage());
    }

    @Test
    void updateTableChangesBillingAndThroughput() {
        ddb.createTable(hashTable("Billing", ScalarAttributeType.S).build());
        TableDescription provisioned = ddb.updateTable(b -> b.tableName("Billing").billingMode(BillingMode.PROVISIONED)
                .provisionedThroughput(p -> p.readCapacityUnits(3L).writeCapacityUnits(4L))).tableDescription();
        assertEquals(BillingMode.PROVISIONED, provisioned.billingModeSummary().billingMode());
        assertEquals(3L, provisioned.provisionedThroughput().readCapacityUnits());

        TableDescription raised = ddb.updateTable(b -> b.tableName("Billing")
                .provisionedThroughput(p -> p.readCapacityUnits(10L).writeCapacityUnits(4L))).tableDescription();
        assertEquals(10L, raised.provisionedThroughput().readCapacityUnits());
        assertNotNull(raised.provisionedThroughput().lastIncreaseDateTime());
        assertEquals(10L, ddb.describeTable(b -> b.tableName("Billing")).table().provisionedThroughput().readCapacityUnits());

        DynamoDbException same = assertThrows(DynamoDbException.class, () -> ddb.updateTable(b -> b.tableName("Billing")
                .provisionedThroughput(p -> p.readCapacityUnits(10L).writeCapacityUnits(4L))));
        assertEquals("ValidationException", same.awsErrorDetails().errorCode());
        assertTrue(same.awsErrorDetails().errorMessage().startsWith("The provisioned throughput for the table will not change"));

        DynamoDbException nothing = assertThrows(DynamoDbException.class, () -> ddb.updateTable(b -> b.tableName("Billing")));
        assertEquals("ValidationException", nothing.awsErrorDetails().errorCode());

        TableDescription onDemand = ddb.updateTable(b -> b.tableName("Billing").billingMode(BillingMode.PAY_PER_REQUEST))
                .tableDescription();
        assertEquals(BillingMode.PAY_PER_REQUEST, onDemand.billingModeSummary().billingMode());
        assertEquals(0L, onDemand.provisionedThroughput().readCapacityUnits());

        DynamoDbException withUnits = assertThrows(DynamoDbException.class, () -> ddb.updateTable(b -> b.tableName("Billing")
                .provisionedThroughput(p -> p.readCapacityUnits(1L).writeCapacityUnits(1L))));
        assertEquals("One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits "
                + "can be specified when BillingMode is PAY_PER_REQUEST", withUnits.awsErrorDetails().errorMessage());
    }

    @Test
    void deleteTableRemovesItAndItsItems() {
        ddb.createTable(hashTable("Doomed", ScalarAttributeType.S).build());
        ddb.putItem(b -> b.tableName("Doomed").item(java.util.Map.of("pk",
                software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("x"))));
        TableDescription deleting = ddb.deleteTable(b -> b.tableName("Doomed")).tableDescription();
        assertEquals(TableStatus.DELETING, deleting.tableStatus());
        // Without what defines the table, as DynamoDB answers (ScyllaDB's tests, run against it).
        assertEquals("Doomed", deleting.tableName());
        assertTrue(deleting.tableArn().endsWith(":table/Doomed") && deleting.tableId() != null, deleting.toString());
        assertTrue(deleting.provisionedThroughput() != null && deleting.itemCount() != null, deleting.toString());
        assertFalse(deleting.hasKeySchema() || deleting.hasAttributeDefinitions() || deleting.creationDateTime() != null
                || deleting.hasGlobalSecondaryIndexes() || deleting.hasLocalSecondaryIndexes(), deleting.toString());
        ddb.waiter().waitUntilTableNotExists(b -> b.tableName("Doomed"));
        assertFalse(ddb.listTables().tableNames().contains("Doomed"));

        // A new table of the same name starts empty.
        ddb.createTable(hashTable("Doomed", ScalarAttributeType.S).build());
        assertFalse(ddb.getItem(b -> b.tableName("Doomed").key(java.util.Map.of("pk",
                software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("x")))).hasItem());
        assertEquals(0L, ddb.describeTable(b -> b.tableName("Doomed")).table().itemCount());
    }

    private static String validationMessage(CreateTableRequest request) {
        DynamoDbException e = assertThrows(DynamoDbException.class, () -> node.client().createTable(request));
        assertEquals("ValidationException", e.awsErrorDetails().errorCode());
        assertFalse(node.client().listTables().tableNames().contains(request.tableName()), "nothing created on a bad request");
        return e.awsErrorDetails().errorMessage();
    }

    @Test
    void invalidTableNamesAreRejected() {
        assertEquals("1 validation error detected: Value 'ab' at 'tableName' failed to satisfy constraint: "
                + "Member must have length greater than or equal to 3",
                validationMessage(hashTable("ab", ScalarAttributeType.S).build()));
        assertEquals("1 validation error detected: Value 'bad name!' at 'tableName' failed to satisfy constraint: "
                + "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+",
                validationMessage(hashTable("bad name!", ScalarAttributeType.S).build()));
        assertTrue(validationMessage(hashTable("x".repeat(256), ScalarAttributeType.S).build())
                .contains("Member must have length less than or equal to 255"));
    }

    @Test
    void invalidKeySchemasAreRejected() {
        assertEquals("One or more parameter values were invalid: Some index key attributes are not defined in "
                + "AttributeDefinitions. Keys: [id], AttributeDefinitions: [pk]",
                validationMessage(hashTable("KeyMismatch", ScalarAttributeType.S)
                        .keySchema(KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build()).build()));
        assertEquals("Invalid KeySchema: The first KeySchemaElement is not a HASH key type",
                validationMessage(hashTable("RangeFirst", ScalarAttributeType.S)
                        .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.RANGE).build()).build()));
        assertEquals("One or more parameter values were invalid: Number of attributes in KeySchema does not exactly "
                + "match number of attributes defined in AttributeDefinitions",
                validationMessage(hashTable("ExtraDefinition", ScalarAttributeType.S).attributeDefinitions(
                        AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName("other").attributeType(ScalarAttributeType.S).build()).build()));
        assertEquals("Both the Hash Key and the Range Key element in the KeySchema have the same name",
                validationMessage(hashTable("SameNames", ScalarAttributeType.S).attributeDefinitions(
                        AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName("sk").attributeType(ScalarAttributeType.S).build())
                        .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build(),
                                KeySchemaElement.builder().attributeName("pk").keyType(KeyType.RANGE).build()).build()));
        // A definition given twice, even of one type and beside an index that uses it (as some tools send it).
        assertEquals("Attribute Name is duplicated: pk",
                validationMessage(hashTable("TwiceDefined", ScalarAttributeType.S).attributeDefinitions(
                        AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName("g").attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.N).build())
                        .globalSecondaryIndexes(i -> i.indexName("byG").keySchema(KeySchemaElement.builder().attributeName("g")
                                .keyType(KeyType.HASH).build()).projection(p -> p.projectionType(ProjectionType.ALL))).build()));
    }

    @Test
    void billingModeAndThroughputMustAgree() {
        assertEquals("One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both "
                + "be specified when BillingMode is PROVISIONED",
                validationMessage(hashTable("NoThroughput", ScalarAttributeType.S).billingMode(BillingMode.PROVISIONED).build()));
        assertEquals("One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can "
                + "be specified when BillingMode is PAY_PER_REQUEST",
                validationMessage(hashTable("BothModes", ScalarAttributeType.S)
                        .provisionedThroughput(p -> p.readCapacityUnits(1L).writeCapacityUnits(1L)).build()));
        assertEquals("1 validation error detected: Value '0' at 'provisionedThroughput.readCapacityUnits' failed to "
                + "satisfy constraint: Member must have value greater than or equal to 1",
                validationMessage(hashTable("ZeroUnits", ScalarAttributeType.S).billingMode(BillingMode.PROVISIONED)
                        .provisionedThroughput(p -> p.readCapacityUnits(0L).writeCapacityUnits(1L)).build()));
    }
}
