package io.eddy.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The JSON 1.0 protocol as raw HTTP: framing headers, error shapes and the front-end checks. */
class WireProtocolTest {

    static final String AUTH = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/dynamodb/aws4_request, "
            + "SignedHeaders=host;x-amz-date;x-amz-target, Signature=abcdef0123456789";

    @RegisterExtension
    static final NodeExtension node = new NodeExtension();

    static HttpResponse<byte[]> post(String target, String body, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(node.server().endpoint())
                .header("Content-Type", "application/x-amz-json-1.0")
                .header("X-Amz-Date", "20260101T000000Z")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (target != null) b.header("X-Amz-Target", target);
        if (authorization != null) b.header("Authorization", authorization);
        return RawHttp.oneShotClient().send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static JsonNode json(HttpResponse<byte[]> response) throws Exception {
        return Json.MAPPER.readTree(response.body());
    }

    static void assertFramed(HttpResponse<byte[]> response) {
        String requestId = response.headers().firstValue("x-amzn-RequestId").orElseThrow();
        assertEquals(52, requestId.length());
        CRC32 crc = new CRC32();
        crc.update(response.body());
        assertEquals(Long.toString(crc.getValue()), response.headers().firstValue("x-amz-crc32").orElseThrow());
    }

    @Test
    void successfulResponsesAreFramed() throws Exception {
        HttpResponse<byte[]> response = post("DynamoDB_20120810.ListTables", "{}", AUTH);
        assertEquals(200, response.statusCode());
        assertFramed(response);
        assertEquals("application/x-amz-json-1.0", response.headers().firstValue("Content-Type").orElseThrow());
        assertTrue(json(response).get("TableNames").isArray());
    }

    @Test
    void applicationJsonIsAcceptedAndEchoed() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(node.server().endpoint())
                .header("Content-Type", "application/json")
                .header("X-Amz-Date", "20260101T000000Z")
                .header("X-Amz-Target", "DynamoDB_20120810.ListTables")
                .header("Authorization", AUTH)
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build();
        HttpResponse<byte[]> response = RawHttp.oneShotClient().send(request, HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElseThrow().startsWith("application/json"));
        assertEquals("Server", response.headers().firstValue("Server").orElseThrow());
    }

    @Test
    void malformedJsonIsSerializationException() throws Exception {
        HttpResponse<byte[]> response = post("DynamoDB_20120810.ListTables", "{not json", AUTH);
        assertEquals(400, response.statusCode());
        assertFramed(response);
        assertEquals("com.amazon.coral.service#SerializationException", json(response).get("__type").asText());
    }

    @Test
    void wrongFieldTypeIsSerializationException() throws Exception {
        HttpResponse<byte[]> response = post("DynamoDB_20120810.DescribeTable", "{\"TableName\": 5}", AUTH);
        assertEquals(400, response.statusCode());
        assertEquals("com.amazon.coral.service#SerializationException", json(response).get("__type").asText());
        // DynamoDB's words for each JSON type where a String, Boolean or Long member is declared (dynalite's tests, recorded against it).
        assertMessages("DescribeTable", "", "TableName", Map.of("5", "NUMBER_VALUE cannot be converted to String",
                "34.56", "DECIMAL_VALUE cannot be converted to String",
                "true", "TRUE_VALUE cannot be converted to String",
                "[]", "Unrecognized collection type class java.lang.String",
                "{}", "Start of structure or map found where not expected"));
        assertMessages("GetItem", "\"TableName\": \"T\", \"Key\": {}, ", "ConsistentRead", Map.of(
                "\"23\"", "Unexpected token received from parser",
                "23", "NUMBER_VALUE cannot be converted to Boolean",
                "[]", "Unrecognized collection type class java.lang.Boolean",
                "{}", "Start of structure or map found where not expected"));
        assertMessages("ListTables", "", "Limit", Map.of("\"23\"", "STRING_VALUE cannot be converted to Integer",
                "true", "TRUE_VALUE cannot be converted to Integer",
                "[]", "Unrecognized collection type class java.lang.Integer",
                "{}", "Start of structure or map found where not expected"));
    }

    @Test
    void wrongStructureListAndMapTypesAreSerializationExceptionsInDynamoDbsWords() throws Exception {
        // dynalite's tests, recorded against DynamoDB.
        String table = "\"TableName\": \"Tab\", \"KeySchema\": [{\"AttributeName\": \"a\", \"KeyType\": \"HASH\"}], ";
        assertMessages("CreateTable", table + "\"AttributeDefinitions\": [{\"AttributeName\": \"a\", \"AttributeType\": \"S\"}], ",
                "ProvisionedThroughput", Map.of("\"23\"", "Unexpected field type", "true", "Unexpected field type",
                        "23", "Unexpected field type",
                        "[]", "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.ProvisionedThroughput"));
        assertMessages("CreateTable", table, "AttributeDefinitions", Map.of("\"23\"", "Unexpected field type",
                "34.56", "Unexpected field type", "{}", "Start of structure or map found where not expected",
                "[\"23\"]", "Unexpected value type in payload"));
        assertMessages("GetItem", "\"TableName\": \"Tab\", ", "Key", Map.of("\"23\"", "Unexpected field type",
                "[]", "Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.AttributeValue>"));
        assertMessages("PutItem", "\"TableName\": \"Tab\", \"Item\": {\"a\": {\"S\": \"x\"}}, ", "Expected", Map.of(
                "true", "Unexpected field type",
                "[]", "Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.ExpectedAttributeValue>",
                "{\"a\": \"23\"}", "Unexpected value type in payload",
                "{\"a\": []}", "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.ExpectedAttributeValue"));
        assertMessages("BatchGetItem", "", "RequestItems", Map.of("{\"Tab\": 23}", "Unexpected value type in payload",
                "[]", "Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.KeysAndAttributes>"));
        // The whole request is read before it is checked: a placeholder value of the wrong type is told so
        // even where no expression allows placeholders.
        assertMessages("DeleteItem", "\"TableName\": \"Tab\", \"Key\": {\"a\": {\"S\": \"x\"}}, ", "ExpressionAttributeValues",
                Map.of("{\":a\": {\"S\": 23}}", "NUMBER_VALUE cannot be converted to String", "\"23\"", "Unexpected field type",
                        "{\":a\": \"23\"}", "Unexpected value type in payload"));
        // ... and before any constraint: a missing TableName comes after them.
        assertMessages("GetItem", "", "Key", Map.of("\"23\"", "Unexpected field type"));
        assertMessages("CreateTable", "", "AttributeDefinitions", Map.of("[{\"AttributeName\": 23}]", "NUMBER_VALUE cannot be converted to String"));
        assertMessages("CreateTable", "", "ProvisionedThroughput", Map.of("{\"ReadCapacityUnits\": \"1\"}", "STRING_VALUE cannot be converted to Long"));
        assertMessages("PutItem", "", "Item", Map.of("{\"a\": {\"S\": 23}}", "NUMBER_VALUE cannot be converted to String"));
        assertMessages("Query", "", "ExclusiveStartKey", Map.of(
                "[]", "Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.AttributeValue>"));
        assertMessages("Scan", "", "ExpressionAttributeNames", Map.of("{\"#a\": true}", "TRUE_VALUE cannot be converted to String"));
        assertMessages("UpdateItem", "", "ExpressionAttributeValues", Map.of("{\":a\": true}", "Unexpected value type in payload"));
        assertMessages("DeleteItem", "\"TableName\": \"Tab\", \"Key\": {\"a\": {\"S\": \"x\"}}, ", "ExpressionAttributeNames",
                Map.of("{\"#a\": 23}", "NUMBER_VALUE cannot be converted to String", "true", "Unexpected field type"));
    }

    @Test
    void listElementsAndGenericCollectionsOfTheWrongTypeAreNamedInDynamoDbsWords() throws Exception {
        // dynalite's tests, recorded against DynamoDB: a list's element is named by its structure.
        String model = "com.amazonaws.dynamodb.v20120810.";
        assertMessages("CreateTable", "", "AttributeDefinitions", Map.of("[[]]", "Unrecognized collection type class " + model + "AttributeDefinition"));
        assertMessages("CreateTable", "", "KeySchema", Map.of("[[]]", "Unrecognized collection type class " + model + "KeySchemaElement"));
        assertMessages("CreateTable", "", "GlobalSecondaryIndexes", Map.of("[[]]", "Unrecognized collection type class " + model + "GlobalSecondaryIndex"));
        assertMessages("TagResource", "", "Tags", Map.of("[[]]", "Unrecognized collection type class " + model + "Tag"));
        assertMessages("UpdateTable", "", "GlobalSecondaryIndexUpdates", Map.of(
                "[[]]", "Unrecognized collection type class " + model + "GlobalSecondaryIndexUpdate",
                "[{\"Create\": []}]", "Unrecognized collection type class " + model + "CreateGlobalSecondaryIndexAction",
                "[{\"Delete\": []}]", "Unrecognized collection type class " + model + "DeleteGlobalSecondaryIndexAction",
                "[{\"Update\": true}]", "Unexpected field type"));
        // An attribute value that is a structure's member, not a map's value.
        assertMessages("PutItem", "", "Expected", Map.of("{\"a\": {\"Value\": \"23\"}}", "Unexpected field type",
                "{\"a\": {\"Value\": []}}", "Unrecognized collection type class " + model + "AttributeValue"));
        assertMessages("UpdateItem", "", "AttributeUpdates", Map.of("{\"a\": {\"Value\": true}}", "Unexpected field type"));
        // A scalar where an element or a value is itself a generic collection is Java's cast error, as DynamoDB returns it.
        String cast = "class sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl cannot be cast to class java.lang.Class "
                + "(sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl and java.lang.Class are in module java.base of loader 'bootstrap')";
        assertMessages("BatchGetItem", "", "RequestItems", Map.of("{\"Tab\": {\"Keys\": [\"23\"]}}", cast,
                "{\"Tab\": {\"Keys\": [[]]}}", "Unrecognized collection type java.util.Map<java.lang.String, " + model + "AttributeValue>"));
        assertMessages("BatchWriteItem", "", "RequestItems", Map.of("{\"Tab\": 23}", cast,
                "{\"Tab\": {}}", "Start of structure or map found where not expected",
                "{\"Tab\": [[]]}", "Unrecognized collection type class " + model + "WriteRequest",
                "{\"Tab\": [true]}", "Unexpected value type in payload",
                "[]", "Unrecognized collection type java.util.Map<java.lang.String, java.util.List<" + model + "WriteRequest>>"));
        // Placeholder names are read with the rest, ahead of the table name's constraints.
        assertMessages("BatchGetItem", "", "RequestItems", Map.of("{\"a\": {\"ExpressionAttributeNames\": {\"#a\": true}}}",
                "TRUE_VALUE cannot be converted to String", "{\"a\": {\"ExpressionAttributeNames\": []}}",
                "Unrecognized collection type java.util.Map<java.lang.String, java.lang.String>"));
        assertMessages("TransactWriteItems", "", "TransactItems", Map.of("[{\"Put\": {\"ExpressionAttributeValues\": {\":v\": 3}}}]",
                "Unexpected value type in payload"));
    }

    /**
     * Each value of {@code member} (JSON text), sent to the operation after the other members
     * {@code others}, gets its SerializationException message.
     */
    private static void assertMessages(String operation, String others, String member, Map<String, String> messages) throws Exception {
        for (var answer : messages.entrySet()) {
            String body = "{" + others + "\"" + member + "\": " + answer.getKey() + "}";
            HttpResponse<byte[]> wrong = post("DynamoDB_20120810." + operation, body, AUTH);
            assertEquals("com.amazon.coral.service#SerializationException", json(wrong).get("__type").asText(), body);
            // Written under "Message", as DynamoDB writes this error's text (ValidationException's: "message").
            assertEquals(answer.getValue(), json(wrong).get("Message").asText(), body);
            assertFalse(json(wrong).has("message"), body);
        }
    }

    @Test
    void unknownTargetIsUnknownOperationException() throws Exception {
        for (String target : new String[] {"DynamoDB_20120810.Frobnicate", "Nope.ListTables", null}) {
            HttpResponse<byte[]> response = post(target, "{}", AUTH);
            assertEquals(400, response.statusCode());
            assertFramed(response);
            assertEquals("com.amazon.coral.service#UnknownOperationException", json(response).get("__type").asText());
        }
    }

    @Test
    void missingAuthorizationIsMissingAuthenticationToken() throws Exception {
        HttpResponse<byte[]> response = post("DynamoDB_20120810.ListTables", "{}", null);
        assertEquals(400, response.statusCode());
        JsonNode body = json(response);
        assertEquals("com.amazon.coral.service#MissingAuthenticationTokenException", body.get("__type").asText());
        assertEquals("Request is missing Authentication Token", body.get("message").asText());
    }

    @Test
    void garbledAuthorizationIsIncompleteSignature() throws Exception {
        HttpResponse<byte[]> response = post("DynamoDB_20120810.ListTables", "{}", "AWS4-HMAC-SHA256 Signature=abc");
        assertEquals(400, response.statusCode());
        JsonNode body = json(response);
        assertEquals("com.amazon.coral.service#IncompleteSignatureException", body.get("__type").asText());
        assertEquals("Authorization header requires 'Credential' parameter. Authorization header requires "
                + "'SignedHeaders' parameter. Authorization=AWS4-HMAC-SHA256 Signature=abc", body.get("message").asText());

        HttpResponse<byte[]> badScope = post("DynamoDB_20120810.ListTables", "{}",
                "AWS4-HMAC-SHA256 Credential=a/b/c/d, SignedHeaders=host, Signature=abc");
        assertEquals("com.amazon.coral.service#IncompleteSignatureException", json(badScope).get("__type").asText());
    }

    @Test
    void validationErrorsUseTheCoralValidatePrefix() throws Exception {
        HttpResponse<byte[]> response = post("DynamoDB_20120810.DescribeTable", "{}", AUTH);
        assertEquals(400, response.statusCode());
        JsonNode body = json(response);
        assertEquals("com.amazon.coral.validate#ValidationException", body.get("__type").asText());
        assertEquals("1 validation error detected: Value null at 'tableName' failed to satisfy constraint: "
                + "Member must not be null", body.get("message").asText());
    }

    @Test
    void attributeValueWithTwoTypesIsRejected() throws Exception {
        post("DynamoDB_20120810.CreateTable", "{\"TableName\":\"Wire\",\"BillingMode\":\"PAY_PER_REQUEST\","
                + "\"AttributeDefinitions\":[{\"AttributeName\":\"id\",\"AttributeType\":\"S\"}],"
                + "\"KeySchema\":[{\"AttributeName\":\"id\",\"KeyType\":\"HASH\"}]}", AUTH);
        HttpResponse<byte[]> response = post("DynamoDB_20120810.PutItem",
                "{\"TableName\":\"Wire\",\"Item\":{\"id\":{\"S\":\"a\"},\"x\":{\"S\":\"a\",\"N\":\"1\"}}}", AUTH);
        JsonNode body = json(response);
        assertEquals("com.amazon.coral.validate#ValidationException", body.get("__type").asText());
        assertEquals("Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes",
                body.get("message").asText());
        HttpResponse<byte[]> notFound = post("DynamoDB_20120810.GetItem",
                "{\"TableName\":\"Elsewhere\",\"Key\":{\"id\":{\"S\":\"a\"}}}", AUTH);
        assertEquals("com.amazonaws.dynamodb.v20120810#ResourceNotFoundException", json(notFound).get("__type").asText());
    }

    /**
     * A failed condition that returns the item writes its text as {@code Message}, without it as
     * {@code message} (LocalStack's and moto's tests, recorded against DynamoDB).
     */
    @Test
    void aConditionalCheckFailureWithTheItemWritesMessageCapitalised() throws Exception {
        post("DynamoDB_20120810.CreateTable", "{\"TableName\":\"Checked\",\"BillingMode\":\"PAY_PER_REQUEST\","
                + "\"AttributeDefinitions\":[{\"AttributeName\":\"id\",\"AttributeType\":\"S\"}],"
                + "\"KeySchema\":[{\"AttributeName\":\"id\",\"KeyType\":\"HASH\"}]}", AUTH);
        post("DynamoDB_20120810.PutItem", "{\"TableName\":\"Checked\",\"Item\":{\"id\":{\"S\":\"a\"},\"v\":{\"N\":\"1\"}}}", AUTH);
        String failing = "{\"TableName\":\"Checked\",\"Key\":{\"id\":{\"S\":\"a\"}},\"ConditionExpression\":\"v = :two\","
                + "\"ExpressionAttributeValues\":{\":two\":{\"N\":\"2\"}}";
        JsonNode withItem = json(post("DynamoDB_20120810.DeleteItem", failing + ",\"ReturnValuesOnConditionCheckFailure\":\"ALL_OLD\"}", AUTH));
        assertEquals("com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException", withItem.get("__type").asText());
        assertEquals("The conditional request failed", withItem.path("Message").asText());
        assertFalse(withItem.has("message"));
        assertEquals("{\"id\":{\"S\":\"a\"},\"v\":{\"N\":\"1\"}}", withItem.get("Item").toString());
        JsonNode without = json(post("DynamoDB_20120810.DeleteItem", failing + "}", AUTH));
        assertEquals("The conditional request failed", without.path("message").asText());
        assertFalse(without.has("Message") || without.has("Item"));
    }

    /** Refused, in an item and nested (DynamoDB in every region by 2026-07, after some took it as NULL in June). */
    @Test
    void nullFalseIsRefusedAndNothingIsWritten() throws Exception {
        post("DynamoDB_20120810.CreateTable", "{\"TableName\":\"Nulls\",\"BillingMode\":\"PAY_PER_REQUEST\","
                + "\"AttributeDefinitions\":[{\"AttributeName\":\"id\",\"AttributeType\":\"S\"}],"
                + "\"KeySchema\":[{\"AttributeName\":\"id\",\"KeyType\":\"HASH\"}]}", AUTH);
        HttpResponse<byte[]> put = post("DynamoDB_20120810.PutItem",
                "{\"TableName\":\"Nulls\",\"Item\":{\"id\":{\"S\":\"a\"},\"m\":{\"M\":{\"y\":{\"NULL\":false}}}}}", AUTH);
        assertEquals(400, put.statusCode());
        // Inside PutItem's envelope, as dynoxide's changelog records DynamoDB (eu-west-2, 2026-07).
        assertEquals("1 validation error detected: One or more parameter values were invalid: Null attribute value types must "
                + "have the value of true", json(put).get("message").asText());
        assertNull(json(post("DynamoDB_20120810.GetItem", "{\"TableName\":\"Nulls\",\"Key\":{\"id\":{\"S\":\"a\"}}}", AUTH)).get("Item"));
    }

    @Test
    void metricsCountRequestsAndJournalSyncs() throws Exception {
        post("DynamoDB_20120810.ListTables", "{}", AUTH);
        post("DynamoDB_20120810.DescribeTable", "{}", AUTH);
        HttpResponse<String> response = RawHttp.oneShotClient().send(HttpRequest.newBuilder(node.server().endpoint().resolve("/metrics")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        String text = response.body();
        assertTrue(text.matches("(?s).*eddy_requests_total\\{operation=\"ListTables\",outcome=\"ok\"} [1-9].*"), text);
        assertTrue(text.matches("(?s).*eddy_requests_total\\{operation=\"DescribeTable\",outcome=\"client_error\"} [1-9].*"), text);
        assertTrue(text.contains("eddy_journal_events_total "), text);
        assertTrue(text.contains("eddy_journal_syncs_total "), text);
    }

    @Test
    void healthCheck() throws Exception {
        HttpResponse<String> response = RawHttp.oneShotClient().send(HttpRequest.newBuilder(node.server().endpoint()).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        // "healthy: " and the host it was addressed as, as DynamoDB answers (ScyllaDB's tests, run against it).
        assertEquals("healthy: " + node.server().endpoint().getAuthority(), response.body().strip());
    }
}
