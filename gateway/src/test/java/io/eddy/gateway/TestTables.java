package io.eddy.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/** Helpers for the end-to-end tests: tables, values, expected errors, raw JSON calls and durability checks. */
final class TestTables {
    private TestTables() {}


    /**
     * Nothing acknowledged was lost: every item of {@code ids} (partition key {@code id}, a string)
     * is in the table, and the table counts at least that many items.
     */
    static void assertAllPresent(DynamoDbClient ddb, String table, Collection<String> ids, String lostMessage) {
        List<String> lost = new ArrayList<>();
        for (String id : ids) {
            if (!ddb.getItem(b -> b.tableName(table).key(Map.of("id", AttributeValue.fromS(id)))).hasItem()) lost.add(id);
        }
        assertEquals(List.of(), lost, lostMessage);
        long count = ddb.describeTable(b -> b.tableName(table)).table().itemCount();
        assertTrue(count >= ids.size(), "item count " + count + " < acknowledged " + ids.size());
    }

    /** A table with a partition key and, when {@code range} is not null, a sort key. */
    static void create(DynamoDbClient ddb, String name, String hash, ScalarAttributeType hashType,
                       String range, ScalarAttributeType rangeType) {
        List<AttributeDefinition> definitions = new ArrayList<>();
        List<KeySchemaElement> keys = new ArrayList<>();
        definitions.add(AttributeDefinition.builder().attributeName(hash).attributeType(hashType).build());
        keys.add(KeySchemaElement.builder().attributeName(hash).keyType(KeyType.HASH).build());
        if (range != null) {
            definitions.add(AttributeDefinition.builder().attributeName(range).attributeType(rangeType).build());
            keys.add(KeySchemaElement.builder().attributeName(range).keyType(KeyType.RANGE).build());
        }
        ddb.createTable(b -> b.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(definitions).keySchema(keys));
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue n(String value) {
        return AttributeValue.fromN(value);
    }

    static AttributeValue b(int... bytes) {
        byte[] raw = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) raw[i] = (byte) bytes[i];
        return AttributeValue.fromB(SdkBytes.fromByteArray(raw));
    }

    /** Waits (up to a minute) for a table being created, such as a restored one, to be ACTIVE. */
    static TableDescription awaitActive(DynamoDbClient ddb, String table)
            throws InterruptedException {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
        while (true) {
            var description = ddb.describeTable(b -> b.tableName(table)).table();
            if (description.tableStatus() == TableStatus.ACTIVE) return description;
            assertTrue(System.nanoTime() < deadline, "the table did not become ACTIVE: " + description.tableStatus());
            Thread.sleep(50);
        }
    }

    /** Asserts that {@code call} fails with this error code and exactly this message. */
    static DynamoDbException rejected(String code, String message, Runnable call) {
        DynamoDbException e = assertThrows(DynamoDbException.class, call::run);
        assertEquals(code, e.awsErrorDetails().errorCode(), e.awsErrorDetails().errorMessage());
        assertEquals(message, e.awsErrorDetails().errorMessage());
        return e;
    }

    static DynamoDbException invalid(String message, Runnable call) {
        return rejected("ValidationException", message, call);
    }

    /**
     * A raw JSON 1.0 call signed with {@code key} by the SDK's own SigV4 signer, for a node with
     * credentials; {@code operation} is a DynamoDB operation, or a whole X-Amz-Target.
     */
    static Raw signed(TestNode server, software.amazon.awssdk.auth.credentials.AwsCredentials key, String operation, String body)
            throws Exception {
        return signed(server, key, operation, body, Map.of());
    }

    /** {@link #signed}, with {@code extraHeaders} sent after the signed ones (unsigned, as a proxy adds them). */
    static Raw signed(TestNode server, software.amazon.awssdk.auth.credentials.AwsCredentials key, String operation, String body,
                      Map<String, String> extraHeaders) throws Exception {
        String json = body.replace('\'', '"');
        var unsigned = software.amazon.awssdk.http.SdkHttpRequest.builder().method(software.amazon.awssdk.http.SdkHttpMethod.POST)
                .uri(server.endpoint().resolve("/")).putHeader("Content-Type", "application/x-amz-json-1.0")
                .putHeader("X-Amz-Target", operation.contains(".") ? operation : "DynamoDB_20120810." + operation).build();
        var signed = software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner.create().sign(r -> r.identity(key).request(unsigned)
                .payload(software.amazon.awssdk.http.ContentStreamProvider.fromUtf8String(json))
                .putProperty(software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner.SERVICE_SIGNING_NAME, "dynamodb")
                .putProperty(software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner.REGION_NAME, server.region.id()));
        StringBuilder headers = new StringBuilder();
        signed.request().forEachHeader((name, values) -> {
            if (!List.of("host", "content-length").contains(name.toLowerCase())) headers.append(name).append(": ").append(values.get(0)).append("\r\n");
        });
        extraHeaders.forEach((name, value) -> headers.append(name).append(": ").append(value).append("\r\n"));
        int port = server.endpoint().getPort();
        RawHttp.Response response = RawHttp.exchange(port,
                RawHttp.post("/", "127.0.0.1:" + port, headers.toString(), json.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        return new Raw(response.status(), Json.MAPPER.readTree(response.body()));
    }

    /**
     * A raw JSON 1.0 call, for requests the SDK would not send and for exact response bodies; on a
     * connection of its own, as {@link #signed} (the JDK HttpClient's pool has a race, JDK-8338569).
     */
    static Raw raw(TestNode server, String operation, String body) throws Exception {
        String headers = "Content-Type: application/x-amz-json-1.0\r\nX-Amz-Date: 20260101T000000Z\r\n"
                + "X-Amz-Target: DynamoDB_20120810." + operation + "\r\nAuthorization: " + WireProtocolTest.AUTH + "\r\n";
        RawHttp.Response response = RawHttp.exchange(server.endpoint().getPort(),
                RawHttp.post("/", headers, body.replace('\'', '"').getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        return new Raw(response.status(), Json.MAPPER.readTree(response.body()));
    }

    record Raw(int status, JsonNode body) {
        /** The error's text, under "message" or (SerializationException, AccessDeniedException) "Message". */
        String message() {
            return body.has("Message") ? body.path("Message").asText() : body.path("message").asText();
        }

        String type() {
            return body.path("__type").asText();
        }
    }
}
