package io.eddy.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The HTTP details clients rely on, as raw HTTP (no SDK): gzip both ways with the CRC over the
 * bytes sent, the 16 MB request limit, content types, header-name case, CORS, keep-alive and
 * malformed request envelopes.
 */
class HttpProtocolTest {

    static final int LIMIT = 16 * 1024 * 1024;

    @RegisterExtension
    static final NodeExtension node = new NodeExtension();

    @BeforeAll
    static void start() throws Exception {
        post("CreateTable", Map.of(), "{'TableName':'Http','BillingMode':'PAY_PER_REQUEST',"
                + "'AttributeDefinitions':[{'AttributeName':'id','AttributeType':'S'}],"
                + "'KeySchema':[{'AttributeName':'id','KeyType':'HASH'}]}");
        for (int i = 0; i < 20; i++) {
            post("PutItem", Map.of(), "{'TableName':'Http','Item':{'id':{'S':'item-" + i + "'},'text':{'S':'" + "lorem ipsum ".repeat(20) + "'}}}");
        }
    }

    static HttpRequest.Builder request(String operation, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(node.server().endpoint())
                .header("Content-Type", "application/x-amz-json-1.0")
                .header("X-Amz-Date", "20260101T000000Z")
                .header("X-Amz-Target", "DynamoDB_20120810." + operation)
                .header("Authorization", WireProtocolTest.AUTH);
        headers.forEach(b::header);
        return b;
    }

    static HttpResponse<byte[]> post(String operation, Map<String, String> headers, String body) throws Exception {
        return send(request(operation, headers).POST(HttpRequest.BodyPublishers.ofString(body.replace('\'', '"'))));
    }

    static HttpResponse<byte[]> send(HttpRequest.Builder request) throws Exception {
        return RawHttp.oneShotClient().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static JsonNode json(byte[] body) throws IOException {
        return Json.MAPPER.readTree(body);
    }

    static String crc(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return Long.toString(crc.getValue());
    }

    static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        }
        return out.toByteArray();
    }

    static byte[] gunzip(byte[] bytes) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return in.readAllBytes();
        }
    }

    static void assertError(HttpResponse<byte[]> response, int status, String type) throws IOException {
        assertEquals(status, response.statusCode(), new String(response.body(), StandardCharsets.UTF_8));
        assertEquals(52, response.headers().firstValue("x-amzn-RequestId").orElseThrow().length());
        assertEquals(crc(response.body()), response.headers().firstValue("x-amz-crc32").orElseThrow());
        assertEquals(type, json(response.body()).get("__type").asText());
    }

    @Test
    void gzipRequestBodiesAreDecompressed() throws Exception {
        byte[] body = "{\"TableName\":\"Http\",\"Item\":{\"id\":{\"S\":\"zipped\"},\"v\":{\"S\":\"compressed on the wire\"}}}"
                .getBytes(StandardCharsets.UTF_8);
        HttpResponse<byte[]> put = send(request("PutItem", Map.of("Content-Encoding", "gzip"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(gzip(body))));
        assertEquals(200, put.statusCode(), new String(put.body(), StandardCharsets.UTF_8));
        HttpResponse<byte[]> get = post("GetItem", Map.of(), "{'TableName':'Http','Key':{'id':{'S':'zipped'}}}");
        assertEquals("compressed on the wire", json(get.body()).at("/Item/v/S").asText());

        byte[] deflateBody = "{\"TableName\":\"Http\",\"Item\":{\"id\":{\"S\":\"deflated\"}}}".getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream deflated = new ByteArrayOutputStream();
        try (DeflaterOutputStream out = new DeflaterOutputStream(deflated)) {
            out.write(deflateBody);
        }
        HttpResponse<byte[]> deflatedPut = send(request("PutItem", Map.of("Content-Encoding", "deflate"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(deflated.toByteArray())));
        assertEquals(200, deflatedPut.statusCode(), new String(deflatedPut.body(), StandardCharsets.UTF_8));

        // DynamoDB answers 500 to a body that is not what its coding says, and to a coding it does not know, and does nothing.
        String plainPut = "{\"TableName\":\"Http\",\"Item\":{\"id\":{\"S\":\"mislabelled\"}}}";
        for (String coding : List.of("gzip", "deflate", "garbage", "br")) {
            HttpResponse<byte[]> mislabelled = send(request("PutItem", Map.of("Content-Encoding", coding))
                    .POST(HttpRequest.BodyPublishers.ofString(plainPut)));
            assertError(mislabelled, 500, "com.amazonaws.dynamodb.v20120810#InternalServerError");
        }
        byte[] truncated = gzip(plainPut.getBytes(StandardCharsets.UTF_8));
        HttpResponse<byte[]> cut = send(request("PutItem", Map.of("Content-Encoding", "gzip"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(Arrays.copyOf(truncated, truncated.length - 1))));
        assertError(cut, 500, "com.amazonaws.dynamodb.v20120810#InternalServerError");
        HttpResponse<byte[]> empty = send(request("PutItem", Map.of("Content-Encoding", "gzip")).POST(HttpRequest.BodyPublishers.noBody()));
        assertError(empty, 500, "com.amazonaws.dynamodb.v20120810#InternalServerError");
        HttpResponse<byte[]> missing = post("GetItem", Map.of(), "{'TableName':'Http','Key':{'id':{'S':'mislabelled'}}}");
        assertFalse(json(missing.body()).has("Item"), new String(missing.body(), StandardCharsets.UTF_8));
    }

    @Test
    void responsesAreGzippedForClientsThatAcceptItWithTheCrcOverTheBytesSent() throws Exception {
        HttpResponse<byte[]> plain = post("Scan", Map.of(), "{'TableName':'Http'}");
        HttpResponse<byte[]> zipped = post("Scan", Map.of("Accept-Encoding", "gzip, deflate"), "{'TableName':'Http'}");
        assertEquals(200, zipped.statusCode());
        assertEquals("gzip", zipped.headers().firstValue("Content-Encoding").orElseThrow());
        assertEquals(crc(zipped.body()), zipped.headers().firstValue("x-amz-crc32").orElseThrow());
        assertTrue(zipped.body().length < plain.body().length);
        assertEquals(json(plain.body()).get("Count"), json(gunzip(zipped.body())).get("Count"));
        assertFalse(plain.headers().firstValue("Content-Encoding").isPresent());

        // Small bodies are sent as they are, and q=0 refuses gzip.
        HttpResponse<byte[]> small = post("DescribeLimits", Map.of("Accept-Encoding", "gzip"), "{}");
        assertFalse(small.headers().firstValue("Content-Encoding").isPresent());
        assertEquals(crc(small.body()), small.headers().firstValue("x-amz-crc32").orElseThrow());
        HttpResponse<byte[]> refused = post("Scan", Map.of("Accept-Encoding", "gzip;q=0"), "{'TableName':'Http'}");
        assertFalse(refused.headers().firstValue("Content-Encoding").isPresent());
        // Deflate (zlib) too, and x-gzip is not gzip, as DynamoDB answers (ScyllaDB's tests, run against it).
        HttpResponse<byte[]> deflated = post("Scan", Map.of("Accept-Encoding", "deflate"), "{'TableName':'Http'}");
        assertEquals("deflate", deflated.headers().firstValue("Content-Encoding").orElseThrow());
        assertEquals(crc(deflated.body()), deflated.headers().firstValue("x-amz-crc32").orElseThrow());
        try (InputStream in = new java.util.zip.InflaterInputStream(new ByteArrayInputStream(deflated.body()))) {
            assertEquals(json(plain.body()).get("Count"), json(in.readAllBytes()).get("Count"));
        }
        HttpResponse<byte[]> xGzip = post("Scan", Map.of("Accept-Encoding", "x-gzip"), "{'TableName':'Http'}");
        assertFalse(xGzip.headers().firstValue("Content-Encoding").isPresent());

        // Errors are compressed too when large enough, still with a CRC over the bytes sent.
        HttpResponse<byte[]> error = post("GetItem", Map.of("Accept-Encoding", "gzip"),
                "{'TableName':'" + "x".repeat(4100) + "','Key':{}}");
        assertEquals("gzip", error.headers().firstValue("Content-Encoding").orElseThrow());
        assertEquals(crc(error.body()), error.headers().firstValue("x-amz-crc32").orElseThrow());
        assertEquals("com.amazon.coral.validate#ValidationException", json(gunzip(error.body())).get("__type").asText());
    }

    @Test
    void bodiesOver16MbAreRefusedWith413() throws Exception {
        // Exactly 16 MB is read and answered by the operation.
        String prefix = "{\"TableName\":\"NoSuchTable\",\"Key\":{\"id\":{\"S\":\"a\"}},\"Pad\":\"";
        String suffix = "\"}";
        String exact = prefix + "p".repeat(LIMIT - prefix.length() - suffix.length()) + suffix;
        HttpResponse<byte[]> atLimit = send(request("GetItem", Map.of()).POST(HttpRequest.BodyPublishers.ofString(exact)));
        assertError(atLimit, 400, "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException");

        String over = prefix + "p".repeat(LIMIT + 1 - prefix.length() - suffix.length()) + suffix;
        HttpResponse<byte[]> withLength = send(request("GetItem", Map.of()).POST(HttpRequest.BodyPublishers.ofString(over)));
        assertError(withLength, 413, "com.amazon.coral.service#RequestEntityTooLargeException");
        // Chunked (no Content-Length): the stream is cut off at the limit.
        byte[] overBytes = over.getBytes(StandardCharsets.UTF_8);
        HttpResponse<byte[]> chunked = send(request("GetItem", Map.of())
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(overBytes))));
        assertError(chunked, 413, "com.amazon.coral.service#RequestEntityTooLargeException");
        // A small gzip body that expands past the limit.
        HttpResponse<byte[]> bomb = send(request("GetItem", Map.of("Content-Encoding", "gzip"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(gzip(overBytes))));
        assertError(bomb, 413, "com.amazon.coral.service#RequestEntityTooLargeException");

        // The server keeps serving.
        assertEquals(200, post("ListTables", Map.of(), "{}").statusCode());
    }

    @Test
    void contentTypes() throws Exception {
        HttpResponse<byte[]> json = send(request("ListTables", Map.of()).setHeader("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertEquals(200, json.statusCode());
        assertTrue(json.headers().firstValue("Content-Type").orElseThrow().startsWith("application/json"));
        HttpResponse<byte[]> amz = post("ListTables", Map.of(), "{}");
        assertEquals("application/x-amz-json-1.0", amz.headers().firstValue("Content-Type").orElseThrow());
        HttpResponse<byte[]> withCharset = send(request("ListTables", Map.of())
                .setHeader("Content-Type", "application/x-amz-json-1.0; charset=utf-8").POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertEquals(200, withCharset.statusCode(), new String(withCharset.body(), StandardCharsets.UTF_8));
        // Anything else is not the JSON protocol: DynamoDB answers 404 UnknownOperationException.
        HttpResponse<byte[]> text = send(request("ListTables", Map.of()).setHeader("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertEquals(404, text.statusCode());
        assertTrue(new String(text.body(), StandardCharsets.UTF_8).contains("UnknownOperationException"));
    }

    @Test
    void corsPreflightAndResponseHeaders() throws Exception {
        HttpResponse<byte[]> preflight = send(HttpRequest.newBuilder(node.server().endpoint())
                .header("Origin", "http://example.com")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type, x-amz-target, authorization")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
        assertEquals(200, preflight.statusCode());
        assertEquals(java.util.List.of("*"), preflight.headers().allValues("Access-Control-Allow-Origin"), "once, as DynamoDB sends it");
        assertEquals(1, preflight.headers().allValues("Access-Control-Expose-Headers").size());
        assertEquals("POST", preflight.headers().firstValue("Access-Control-Allow-Methods").orElseThrow());
        assertEquals("content-type, x-amz-target, authorization",
                preflight.headers().firstValue("Access-Control-Allow-Headers").orElseThrow());
        assertTrue(preflight.headers().firstValue("Access-Control-Max-Age").isPresent());

        HttpResponse<byte[]> cors = post("ListTables", Map.of("Origin", "http://example.com"), "{}");
        assertEquals(200, cors.statusCode());
        assertEquals("*", cors.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());
        String exposed = cors.headers().firstValue("Access-Control-Expose-Headers").orElseThrow().toLowerCase(Locale.ROOT);
        // DynamoDB's list, without x-amz-crc32: a browser hands the JS SDK a gzipped answer decompressed, whose CRC would not match.
        assertEquals("x-amzn-requestid,x-amzn-errortype,x-amzn-errormessage,date", exposed);
        assertFalse(cors.headers().firstValue("Access-Control-Max-Age").isPresent());
        HttpResponse<byte[]> corsError = post("DescribeTable", Map.of("Origin", "http://example.com"), "{}");
        assertEquals("*", corsError.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());

        HttpResponse<byte[]> sameOrigin = post("ListTables", Map.of(), "{}");
        assertFalse(sameOrigin.headers().firstValue("Access-Control-Allow-Origin").isPresent());
    }

    @Test
    void anOverLongBodyIsReadToItsEndBeforeThe413() throws Exception {
        // Closing with the body unread would reset the connection: the client's write fails, and the
        // reset may destroy the 413 before the client reads it.
        String over = "{\"TableName\":\"Http\",\"Pad\":\"" + "p".repeat(LIMIT) + "\"}";
        try (Socket socket = new Socket("127.0.0.1", node.server().node.address().getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(RawHttp.post("/", "Content-Type: application/x-amz-json-1.0\r\nX-Amz-Target: DynamoDB_20120810.GetItem\r\n"
                    + "Authorization: " + WireProtocolTest.AUTH + "\r\nX-Amz-Date: 20260101T000000Z\r\n", over.getBytes(StandardCharsets.UTF_8)));
            out.flush();
            RawHttp.Response refused = RawHttp.read(socket.getInputStream());
            assertEquals(413, refused.status());
            assertEquals("com.amazon.coral.service#RequestEntityTooLargeException", json(refused.body()).get("__type").asText());
        }
    }

    @Test
    void aClientWaitingFor100ContinueWithABodyOverTheLimitIsRefusedBeforeItSendsIt() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", node.server().node.address().getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            // Headers only: the client sends its 20 MB once told to continue, which it should not be.
            out.write(("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amz-json-1.0\r\n"
                    + "X-Amz-Target: DynamoDB_20120810.PutItem\r\nAuthorization: " + WireProtocolTest.AUTH + "\r\n"
                    + "X-Amz-Date: 20260101T000000Z\r\nExpect: 100-continue\r\nContent-Length: 20000000\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            RawHttp.Response refused = RawHttp.read(socket.getInputStream());
            assertEquals(413, refused.status());
            assertEquals("com.amazon.coral.service#RequestEntityTooLargeException", json(refused.body()).get("__type").asText());
        }
    }

    @Test
    void headerNamesAreCaseInsensitiveAndConnectionsAreKeptAlive() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", node.server().node.address().getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(RawHttp.post("/", "content-type: application/x-amz-json-1.0\r\nx-amz-target: DynamoDB_20120810.ListTables\r\n"
                    + "authorization: " + WireProtocolTest.AUTH + "\r\nx-amz-date: 20260101T000000Z\r\n", "{}".getBytes(StandardCharsets.UTF_8)));
            out.flush();
            RawHttp.Response first = RawHttp.read(in);
            assertEquals(200, first.status(), new String(first.body(), StandardCharsets.UTF_8));
            assertTrue(json(first.body()).get("TableNames").isArray());

            // The same connection serves the next request.
            out.write(RawHttp.post("/", "CONTENT-TYPE: application/x-amz-json-1.0\r\nX-AMZ-TARGET: DynamoDB_20120810.DescribeTable\r\n"
                    + "AUTHORIZATION: " + WireProtocolTest.AUTH + "\r\nX-AMZ-DATE: 20260101T000000Z\r\n", "{\"TableName\":\"Http\"}".getBytes(StandardCharsets.UTF_8)));
            out.flush();
            RawHttp.Response second = RawHttp.read(in);
            assertEquals(200, second.status());
            assertEquals("Http", json(second.body()).at("/Table/TableName").asText());
            assertEquals(crc(second.body()), second.headers().get("x-amz-crc32"));
            assertFalse("close".equalsIgnoreCase(second.headers().get("connection")));
        }
    }

    @Test
    void malformedEnvelopesGetDynamoDbErrorsNeverA500() throws Exception {
        assertError(post("Scan", Map.of(), "{'TableName':'Http','Limit':'5'}"), 400, "com.amazon.coral.service#SerializationException");
        assertError(post("GetItem", Map.of(), "{'TableName':'Http','Key':{'id':{'S':'a'}},'AttributesToGet':{'a':1}}"),
                400, "com.amazon.coral.service#SerializationException");
        assertError(post("GetItem", Map.of(), "{'TableName':'Http','Key':[{'id':{'S':'a'}}]}"),
                400, "com.amazon.coral.service#SerializationException");
        assertError(post("PutItem", Map.of(), "{'TableName':'Http','Item':{'id':{'S':5}}}"),
                400, "com.amazon.coral.service#SerializationException");
        assertError(post("ListTables", Map.of(), "[]"), 400, "com.amazon.coral.service#SerializationException");

        HttpResponse<byte[]> unknownType = post("PutItem", Map.of(), "{'TableName':'Http','Item':{'id':{'S':'a'},'x':{'STRING':'a'}}}");
        assertError(unknownType, 400, "com.amazon.coral.validate#ValidationException");
        assertEquals("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes",
                json(unknownType.body()).get("message").asText());
        HttpResponse<byte[]> twoTypes = post("PutItem", Map.of(), "{'TableName':'Http','Item':{'id':{'S':'a','N':'1'}}}");
        assertError(twoTypes, 400, "com.amazon.coral.validate#ValidationException");
        assertEquals("Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes",
                json(twoTypes.body()).get("message").asText());

        byte[] invalidUtf8 = "{\"TableName\":\"Http\",\"Key\":{\"id\":{\"S\":\"\u0000\"}}}".getBytes(StandardCharsets.UTF_8);
        invalidUtf8[invalidUtf8.length - 6] = (byte) 0xC3; // a lead byte followed by '"'
        assertError(send(request("GetItem", Map.of()).POST(HttpRequest.BodyPublishers.ofByteArray(invalidUtf8))),
                400, "com.amazon.coral.service#SerializationException");

        String deepJson = "[".repeat(5000) + "]".repeat(5000);
        assertError(post("GetItem", Map.of(), "{'TableName':'Http','Key':{'id':{'L':" + deepJson + "}}}"),
                400, "com.amazon.coral.service#SerializationException");
        String deepValue = "{'L':[".repeat(40) + "{'S':'x'}" + "]}".repeat(40);
        HttpResponse<byte[]> nested = post("PutItem", Map.of(), "{'TableName':'Http','Item':{'id':{'S':'deep'},'v':" + deepValue + "}}");
        assertError(nested, 400, "com.amazon.coral.validate#ValidationException");
        assertTrue(json(nested.body()).get("message").asText().startsWith("Nesting Levels have exceeded supported limits"));

        assertArrayEquals(new byte[0], new byte[0]);
        assertEquals(200, post("GetItem", Map.of(), "{'TableName':'Http','Key':{'id':{'S':'item-1'}}}").statusCode());
    }
}
