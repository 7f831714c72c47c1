package io.eddy.gateway;

import static io.eddy.gateway.TestTables.rejected;
import static io.eddy.gateway.TestTables.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.eddy.model.DynamoException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** With credentials configured, every request's SigV4 signature is verified (the AWS SDK signs them). */
class SigV4VerificationTest {

    private static final AwsBasicCredentials KEY = AwsBasicCredentials.create("AKIDVERIFY", "the-secret");

    @TempDir
    static Path dataDir;
    static TestNode node;

    @BeforeAll
    static void start() throws Exception {
        node = TestNode.start(dataDir, Map.of("eddy.auth.credentials.AKIDVERIFY", "the-secret"));
    }

    @AfterAll
    static void stop() throws Exception {
        node.close();
    }

    private static DynamoDbClient client(AwsCredentials credentials, Region region) {
        return DynamoDbClient.builder().endpointOverride(node.endpoint()).region(region)
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    @Test
    void requestsSignedWithAConfiguredKeyForTheNodesRegionAreServed() {
        try (DynamoDbClient ddb = client(KEY, Region.US_EAST_1); DynamoDbClient elsewhere = client(KEY, Region.EU_WEST_3)) {
            TestTables.create(ddb, "Signed", "id", ScalarAttributeType.S, null, null);
            ddb.putItem(b -> b.tableName("Signed").item(Map.of("id", s("a"), "text", s("日本 😀 " + "x".repeat(5000)))));
            assertEquals(s("a"), ddb.getItem(b -> b.tableName("Signed").key(Map.of("id", s("a")))).item().get("id"));
            // As DynamoDB refuses a credential scoped to another region (a 2026 test suite run against it).
            rejected("InvalidSignatureException", "Credential should be scoped to a valid region. ",
                    () -> elsewhere.getItem(b -> b.tableName("Signed").key(Map.of("id", s("a")))));
        }
    }

    @Test
    void aSessionTokenBesideALongTermKeyIsRefused() {
        try (DynamoDbClient withToken = client(AwsSessionCredentials.create("AKIDVERIFY", "the-secret", "not-a-real-token"), Region.US_EAST_1)) {
            rejected("UnrecognizedClientException", "The security token included in the request is invalid", withToken::listTables);
        }
    }

    @Test
    void aHeaderSentTwiceIsSignedAsItsValuesJoinedByCommas() throws Exception {
        URI endpoint = node.endpoint();
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(endpoint.resolve("/"))
                .putHeader("Content-Type", "application/x-amz-json-1.0").putHeader("X-Amz-Target", "DynamoDB_20120810.ListTables")
                .appendHeader("X-Amz-Meta-Dup", "first").appendHeader("X-Amz-Meta-Dup", " second").build();
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r.identity(KEY).request(request)
                .payload(ContentStreamProvider.fromUtf8String("{}"))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "dynamodb").putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1"));
        JsonNode answer = send(signed, "{}");
        assertTrue(answer.has("TableNames"), answer.toString());
    }

    /** The __type of the answer to a request signed with a key the node does not have. */
    private static String refusalType(int port, String operation, byte[] body, String moreHeaders) throws Exception {
        // Dated now, so that its unknown key, not its date, is what the verifier refuses.
        String now = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(Instant.now());
        RawHttp.Response answer = RawHttp.exchange(port, RawHttp.post("/", "Content-Type: application/x-amz-json-1.0\r\n"
                + "X-Amz-Date: " + now + "\r\nX-Amz-Target: DynamoDB_20120810." + operation + "\r\nAuthorization: "
                + WireProtocolTest.AUTH + "\r\n" + moreHeaders, body));
        assertEquals(400, answer.status());
        return Json.MAPPER.readTree(answer.body()).path("__type").asText();
    }

    @Test
    void whatDynamoDbReportsBeforeABadSignatureStillComesFirst() throws Exception {
        // The signature is verified before the body is parsed, yet a body that is not JSON, then an unknown operation, are told first.
        int port = node.endpoint().getPort();
        byte[] malformed = "{\"TableName\": ".getBytes(StandardCharsets.UTF_8);
        assertEquals("com.amazon.coral.service#SerializationException", refusalType(port, "ListTables", malformed, ""));
        assertEquals("com.amazon.coral.service#SerializationException",
                refusalType(port, "ListTables", ResponseCoding.GZIP.encode(malformed), "Content-Encoding: gzip\r\n"));
        assertEquals("com.amazon.coral.service#UnknownOperationException", refusalType(port, "Frobnicate", "{}".getBytes(StandardCharsets.UTF_8), ""));
        assertEquals("com.amazon.coral.service#UnrecognizedClientException", refusalType(port, "ListTables", "{}".getBytes(StandardCharsets.UTF_8), ""));
    }

    @Test
    void aRequestNotSignedWithAConfiguredKeyHoldsNoParseMemory(@TempDir Path limitedDir) throws Exception {
        try (TestNode limited = TestNode.start(limitedDir, Map.of("eddy.auth.credentials.AKIDVERIFY", "the-secret",
                "eddy.http.request-parse-memory", "1m", "eddy.http.request-parse-wait", "1s"))) {
            MemoryBudget.Reservation inFlight = limited.node.requestMemory().parsed().reservation();
            assertTrue(inFlight.growTo(1 << 20).toCompletableFuture().isDone());
            try {
                // Refused at once for its signature: it waits for no parse memory (which would end in a 500 after a second).
                assertEquals("com.amazon.coral.service#UnrecognizedClientException", refusalType(limited.endpoint().getPort(), "PutItem",
                        "{\"TableName\":\"T\",\"Item\":{\"id\":{\"S\":\"x\"}}}".getBytes(StandardCharsets.UTF_8), ""));
            } finally {
                inFlight.close();
            }
        }
    }

    @Test
    void aWrongSecretOrAnUnknownKeyIsRefused() {
        try (DynamoDbClient wrongSecret = client(AwsBasicCredentials.create("AKIDVERIFY", "not-the-secret"), Region.US_EAST_1);
             DynamoDbClient unknown = client(AwsBasicCredentials.create("AKIDOTHER", "the-secret"), Region.US_EAST_1)) {
            rejected("InvalidSignatureException", "The request signature we calculated does not match the signature you provided. "
                    + "Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
                    wrongSecret::listTables);
            rejected("UnrecognizedClientException", "The security token included in the request is invalid.", unknown::listTables);
        }
    }

    @Test
    void aChangedBodyOrAnOldSignatureIsRefused() throws Exception {
        Instant now = Instant.now();
        JsonNode fresh = send(sign("{}", now), "{}");
        assertTrue(fresh.has("TableNames"), fresh.toString());

        JsonNode tampered = send(sign("{}", now), "{\"Limit\":1}");
        assertEquals("com.amazon.coral.service#InvalidSignatureException", tampered.path("__type").asText());

        JsonNode old = send(sign("{}", now.minus(Duration.ofMinutes(20))), "{}");
        assertEquals("com.amazon.coral.service#InvalidSignatureException", old.path("__type").asText());
        assertTrue(old.path("message").asText().startsWith("Signature expired: "), old.toString());

        // The date is told first, whatever the key; white space alone may separate the parameters (ScyllaDB's tests, run against DynamoDB).
        for (String[] dateAndMessage : new String[][] {{"20170101T010101Z", "Signature expired: "}, {"30200101T010101Z", "Signature not yet current: "}}) {
            HttpRequest request = HttpRequest.newBuilder(node.endpoint().resolve("/")).POST(HttpRequest.BodyPublishers.ofString("{}"))
                    .header("Content-Type", "application/x-amz-json-1.0").header("X-Amz-Target", "DynamoDB_20120810.ListTables")
                    .header("X-Amz-Date", dateAndMessage[0])
                    .header("Authorization", "AWS4-HMAC-SHA256 Credential=nobody/2/3/4/aws4_request SignedHeaders=x-amz-date;host Signature=123")
                    .build();
            JsonNode answer = Json.MAPPER.readTree(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                    .send(request, HttpResponse.BodyHandlers.ofString()).body());
            assertEquals("com.amazon.coral.service#InvalidSignatureException", answer.path("__type").asText(), answer.toString());
            assertTrue(answer.path("message").asText().startsWith(dateAndMessage[1]), answer.toString());
        }
    }

    @Test
    void theAdminEndpointsTakeSignedRequestsOnly() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> unsigned = http.send(HttpRequest.newBuilder(node.endpoint().resolve("/admin/triggers")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, unsigned.statusCode());
        assertTrue(unsigned.body().contains("MissingAuthenticationTokenException"), unsigned.body());

        SdkHttpRequest list = SdkHttpRequest.builder().method(SdkHttpMethod.GET).uri(node.endpoint().resolve("/admin/triggers")).build();
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r.identity(KEY).request(list)
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "dynamodb").putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1"));
        HttpRequest.Builder request = HttpRequest.newBuilder(signed.request().getUri()).GET();
        signed.request().forEachHeader((name, values) -> {
            if (!List.of("host", "content-length").contains(name.toLowerCase())) request.header(name, values.get(0));
        });
        HttpResponse<String> answered = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answered.statusCode(), answered.body());
    }

    /**
     * The header that names the operation must be signed: a request signed without it, the header
     * added after, would let whoever captured it send it again as another operation.
     */
    @Test
    void anUnsignedOperationHeaderIsRefused() throws Exception {
        SignedRequest signed = sign("{}", Instant.now(), false);
        HttpRequest.Builder request = HttpRequest.newBuilder(signed.request().getUri())
                .POST(HttpRequest.BodyPublishers.ofString("{}", StandardCharsets.UTF_8))
                .header("X-Amz-Target", "DynamoDB_20120810.ListTables");
        signed.request().forEachHeader((name, values) -> {
            if (!List.of("host", "content-length").contains(name.toLowerCase())) request.header(name, values.get(0));
        });
        JsonNode refused = Json.MAPPER.readTree(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(request.build(), HttpResponse.BodyHandlers.ofString()).body());
        assertEquals("com.amazon.coral.service#InvalidSignatureException", refused.path("__type").asText(), refused.toString());
        assertEquals("'X-Amz-Target' must be a 'SignedHeader' in the AWS Authorization.", refused.path("message").asText());
    }

    /** Signatures right over what they name, but the host unsigned, or a credential scope astray, as DynamoDB refuses them. */
    @Test
    void theHostMustBeSignedAndTheCredentialScopeWhole() {
        SigV4Verifier verifier = new SigV4Verifier(Map.of("K", "k-secret"), "us-east-1");
        String amzDate = "20260101T000000Z";
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        Map<String, String> headers = Map.of("host", "127.0.0.1:8000", "x-amz-date", amzDate);
        SigV4Verifier.SignedRequest request = new SigV4Verifier.SignedRequest("POST", "/", "", headers::get,
                org.apache.pekko.util.ByteString.fromString("{}"));
        java.util.function.Function<SigV4Authorization, String> refusal = scope -> {
            SigV4Authorization signedScope = new SigV4Authorization(scope.accessKeyId(), scope.date(), scope.region(), scope.service(),
                    scope.signedHeaders(), SigV4Verifier.signature("k-secret", scope, amzDate, request), scope.terminator());
            DynamoException e = org.junit.jupiter.api.Assertions.assertThrows(DynamoException.class,
                    () -> verifier.verify(signedScope, amzDate, request, now));
            assertEquals(io.eddy.model.ErrorCode.InvalidSignatureException, e.code());
            return e.getMessage();
        };
        assertEquals("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
                refusal.apply(new SigV4Authorization("K", "20260101", "us-east-1", "dynamodb", "x-amz-date", null)));
        assertEquals("Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'. ",
                refusal.apply(new SigV4Authorization("K", "20260101", "us-east-1", "dynamodb", "host;x-amz-date", null, "aws5_request")));
        assertEquals("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '' != '20260101', "
                + "from '20260101T000000Z'.", refusal.apply(new SigV4Authorization("K", "", "us-east-1", "dynamodb", "host;x-amz-date", null)));
        assertEquals("Credential should be scoped to correct service: 'dynamodb'. Credential should be scoped with a valid terminator: "
                + "'aws4_request', not 'x'. Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: "
                + "'2026' != '20260101', from '20260101T000000Z'.",
                refusal.apply(new SigV4Authorization("K", "2026", "us-east-1", "s3", "host;x-amz-date", null, "x")));
        assertEquals("Credential should be scoped to a valid region. Credential should be scoped to correct service: 'dynamodb'. ",
                refusal.apply(new SigV4Authorization("K", "20260101", "us-west-2", "s3", "host;x-amz-date", null)));
        // Right in every part: taken.
        SigV4Authorization right = new SigV4Authorization("K", "20260101", "us-east-1", "dynamodb", "host;x-amz-date", null);
        verifier.verify(new SigV4Authorization("K", "20260101", "us-east-1", "dynamodb", "host;x-amz-date",
                SigV4Verifier.signature("k-secret", right, amzDate, request)), amzDate, request, now);
    }

    /** A ListTables request signed by the SDK's own SigV4 signer at {@code at}. */
    private static SignedRequest sign(String body, Instant at) {
        return sign(body, at, true);
    }

    /** The same, its X-Amz-Target header signed with it, or left out for the caller to add unsigned. */
    private static SignedRequest sign(String body, Instant at, boolean withTarget) {
        URI endpoint = node.endpoint();
        SdkHttpRequest.Builder builder = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(endpoint.resolve("/"))
                .putHeader("Content-Type", "application/x-amz-json-1.0");
        if (withTarget) builder.putHeader("X-Amz-Target", "DynamoDB_20120810.ListTables");
        SdkHttpRequest request = builder.build();
        return AwsV4HttpSigner.create().sign(r -> r.identity(KEY).request(request)
                .payload(ContentStreamProvider.fromUtf8String(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "dynamodb")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(at, ZoneOffset.UTC)));
    }

    private static JsonNode send(SignedRequest signed, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(signed.request().getUri())
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        signed.request().forEachHeader((name, values) -> {
            if (!List.of("host", "content-length").contains(name.toLowerCase())) values.forEach(value -> request.header(name, value));
        });
        HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(request.build(), HttpResponse.BodyHandlers.ofString());
        return Json.MAPPER.readTree(response.body());
    }
}
