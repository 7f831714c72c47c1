package io.eddy.gateway;

import static io.eddy.gateway.TestTables.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * HTTPS ({@code eddy.http.tls}): the AWS SDK over TLS with a certificate it is told to trust,
 * plain HTTP refused on that port, aws:SecureTransport true, and a key store that cannot be read
 * failing the start.
 */
class HttpsTest {

    @TempDir
    Path dir;

    private static DynamoDbClient client(URI endpoint, Path trusted, String key) throws Exception {
        TrustManager[] trust = TestTls.trusting(trusted);
        return DynamoDbClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(key, key + "-secret")))
                .httpClient(UrlConnectionHttpClient.builder().tlsTrustManagersProvider(() -> trust).build())
                .build();
    }

    @Test
    void theSdkSpeaksHttpsAndSecureTransportIsTrue() throws Exception {
        Path store = TestTls.keyStore(dir);
        // Writes only over HTTPS, as AWS's policies require it with aws:SecureTransport.
        Map<String, Object> secureOnly = Map.of("effect", "Deny", "actions", List.of("dynamodb:PutItem"), "resources", List.of("*"),
                "conditions", Map.of("\"Bool\"", Map.of("\"aws:SecureTransport\"", List.of("false"))));
        Map<String, Object> settings = Map.of(
                "eddy.http.tls.key-store", store.toString(), "eddy.http.tls.key-store-password", "changeit",
                "eddy.auth.credentials", Map.of("ADMIN", "ADMIN-secret"),
                "eddy.auth.permissions.ADMIN", List.of(Map.of("actions", List.of("dynamodb:*"), "resources", List.of("*")), secureOnly));
        try (TestNode node = TestNode.start(dir.resolve("data"), settings)) {
            URI https = URI.create("https://127.0.0.1:" + node.endpoint().getPort());
            try (DynamoDbClient ddb = client(https, store, "ADMIN")) {
                TestTables.create(ddb, "Secure", "id", ScalarAttributeType.S, null, null);
                ddb.putItem(b -> b.tableName("Secure").item(Map.of("id", s("over-tls"))));
                assertEquals("over-tls", ddb.getItem(b -> b.tableName("Secure").key(Map.of("id", s("over-tls")))).item().get("id").s());
            }
            // Plain HTTP to the same port is refused with a plain 400, as DynamoDB refuses it (ScyllaDB's tests, run against it).
            try (DynamoDbClient plain = TestNode.client(node.endpoint())) {
                assertThrows(software.amazon.awssdk.core.exception.SdkException.class, () -> plain.listTables());
            }
            RawHttp.Response refused = RawHttp.exchange(node.endpoint().getPort(), RawHttp.post("/", "X-Amz-Target: DynamoDB_20120810.ListTables\r\n",
                    "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            assertEquals(400, refused.status());
            assertTrue(refused.text().contains("The plain HTTP request was sent to HTTPS port"), refused.text());
            assertEquals("close", refused.headers().get("connection"));
            // And TLS still works on it afterwards.
            try (DynamoDbClient ddb = client(https, store, "ADMIN")) {
                assertEquals(List.of("Secure"), ddb.listTables().tableNames());
            }
        }
        // The same policy on a node serving plain HTTP: the write is refused.
        Map<String, Object> plainSettings = new java.util.HashMap<>(settings);
        plainSettings.remove("eddy.http.tls.key-store");
        try (TestNode node = TestNode.start(dir.resolve("data"), plainSettings);
             DynamoDbClient ddb = DynamoDbClient.builder().endpointOverride(node.endpoint()).region(Region.US_EAST_1)
                     .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("ADMIN", "ADMIN-secret")))
                     .httpClient(UrlConnectionHttpClient.create()).build()) {
            TestTables.rejected("AccessDeniedException", "User: arn:aws:iam::000000000000:user/ADMIN is not authorized to perform: "
                            + "dynamodb:PutItem on resource: arn:aws:dynamodb:us-east-1:000000000000:table/Secure with an explicit deny in "
                            + "an identity-based policy",
                    () -> ddb.putItem(b -> b.tableName("Secure").item(Map.of("id", s("over-http")))));
        }
    }

    @Test
    void aKeyStoreThatCannotBeUsedFailsTheStart() throws Exception {
        Path store = TestTls.keyStore(dir);
        ExecutionException failed = assertThrows(ExecutionException.class, () -> TestNode.start(dir.resolve("data"), Map.of(
                "eddy.http.tls.key-store", store.toString(), "eddy.http.tls.key-store-password", "wrong")));
        assertTrue(failed.getCause().getMessage().startsWith("eddy.http.tls.key-store " + store + " cannot be used: "),
                failed.getCause().getMessage());
        // A trust store (the certificate without its key) loads, but could answer no handshake.
        Path cert = dir.resolve("eddy.crt");
        Path trust = dir.resolve("trust.p12");
        TestTls.keytool("-exportcert", "-alias", "eddy", "-keystore", store.toString(), "-storepass", TestTls.PASSWORD, "-file", cert.toString());
        TestTls.keytool("-importcert", "-noprompt", "-alias", "eddy", "-file", cert.toString(), "-storetype", "PKCS12",
                "-keystore", trust.toString(), "-storepass", TestTls.PASSWORD);
        ExecutionException keyless = assertThrows(ExecutionException.class, () -> TestNode.start(dir.resolve("data"), Map.of(
                "eddy.http.tls.key-store", trust.toString(), "eddy.http.tls.key-store-password", "changeit")));
        assertEquals("eddy.http.tls.key-store " + trust + " cannot be used: it holds no private key", keyless.getCause().getMessage());
        // The client trust store: one that cannot be read fails the start the same way.
        ExecutionException unreadable = assertThrows(ExecutionException.class, () -> TestNode.start(dir.resolve("data"), Map.of(
                "eddy.client-tls.trust-store", trust.toString(), "eddy.client-tls.trust-store-password", "wrong")));
        assertTrue(unreadable.getCause().getMessage().startsWith("eddy.client-tls.trust-store " + trust + " cannot be used: "),
                unreadable.getCause().getMessage());
    }


    /**
     * Peers with a self-signed certificate: without {@code eddy.client-tls} a node cannot reach its
     * replica's HTTPS node; with that certificate in its trust store, the replica is seeded and
     * kept, and a trigger delivers to an HTTPS endpoint.
     */
    @Test
    void replicationAndTriggersReachHttpsPeersTheClientTrustStoreNames() throws Exception {
        Path store = TestTls.keyStore(dir);
        int eastPort = TestPorts.free();
        int westPort = TestPorts.free();
        Map<String, Object> west = Map.of("eddy.region", "us-west-2", "eddy.http.port", westPort,
                "eddy.http.tls.key-store", store.toString(), "eddy.http.tls.key-store-password", TestTls.PASSWORD,
                "eddy.replication.regions.us-east-1.endpoint", "http://127.0.0.1:" + eastPort, "eddy.replication.retry-backoff", "200ms");
        Map<String, Object> east = new java.util.HashMap<>(Map.of("eddy.region", "us-east-1", "eddy.http.port", eastPort,
                "eddy.replication.regions.us-west-2.endpoint", "https://127.0.0.1:" + westPort, "eddy.replication.retry-backoff", "200ms"));
        try (TestNode westNode = TestNode.start(dir.resolve("west"), west);
             DynamoDbClient westClient = client(URI.create("https://127.0.0.1:" + westPort), store, "dev");
             TriggerReceiver receiver = new TriggerReceiver(event -> false, TestTls.serverContext(store))) {
            try (TestNode eastNode = TestNode.start(dir.resolve("east"), east)) {
                TestTables.create(eastNode.client, "Music", "id", ScalarAttributeType.S, null, null);
                TestTables.rejected("ValidationException", "The replica region us-west-2 could not be reached at https://127.0.0.1:" + westPort,
                        () -> addReplica(eastNode.client));
            }
            east.put("eddy.client-tls.trust-store", store.toString());
            east.put("eddy.client-tls.trust-store-password", TestTls.PASSWORD);
            try (TestNode eastNode = TestNode.start(dir.resolve("east"), east)) {
                eastNode.client.putItem(b -> b.tableName("Music").item(Map.of("id", s("before"))));
                addReplica(eastNode.client);
                HttpResponse<String> created = TriggersTest.admin(eastNode, "PUT", "/admin/triggers/tls-hook",
                        "{\"table\":\"Music\",\"endpoint\":\"" + receiver.url() + "\",\"batchingWindowMs\":20}");
                assertEquals(200, created.statusCode(), created.body());
                eastNode.client.putItem(b -> b.tableName("Music").item(Map.of("id", s("after"))));
                TriggersTest.await(() -> {
                    try {
                        return westClient.scan(b -> b.tableName("Music").consistentRead(true)).count() == 2;
                    } catch (software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException creating) {
                        return false; // the replica takes requests once it is ACTIVE
                    }
                }, "both items replicated to the HTTPS node");
                TriggersTest.await(() -> receiver.records().stream().anyMatch(record -> record.toString().contains("after")),
                        "the write delivered to the HTTPS endpoint");
                // And back: west writes, east (plain HTTP) gets it.
                westClient.putItem(b -> b.tableName("Music").item(Map.of("id", s("from-west"))));
                TriggersTest.await(() -> eastNode.client.getItem(b -> b.tableName("Music").key(Map.of("id", s("from-west")))
                        .consistentRead(true)).hasItem(), "west's write replicated back");
            }
        }
    }

    private static void addReplica(DynamoDbClient ddb) {
        ddb.updateTable(b -> b.tableName("Music").replicaUpdates(software.amazon.awssdk.services.dynamodb.model.ReplicationGroupUpdate
                .builder().create(c -> c.regionName("us-west-2")).build()));
    }
}
