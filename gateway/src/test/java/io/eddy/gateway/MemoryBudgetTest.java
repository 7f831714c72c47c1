package io.eddy.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The memory requests may hold at once: reservations in order; a large body that must wait is not
 * read meanwhile, and a request whose parsed form does not fit waits unparsed.
 */
class MemoryBudgetTest {

    @TempDir
    Path dataDir;

    @Test
    void reservationsAreGrantedInTheOrderAskedAndGivenBackOnClose() {
        MemoryBudget budget = new MemoryBudget(100);
        MemoryBudget.Reservation first = budget.reservation();
        MemoryBudget.Reservation second = budget.reservation();
        MemoryBudget.Reservation third = budget.reservation();
        assertTrue(first.growTo(60).toCompletableFuture().isDone());
        CompletableFuture<Void> secondGranted = second.growTo(50).toCompletableFuture();
        // 40 are free, but the second asked first: the third waits behind it rather than pass it for ever.
        CompletableFuture<Void> thirdGranted = third.growTo(10).toCompletableFuture();
        assertFalse(secondGranted.isDone());
        assertFalse(thirdGranted.isDone());
        assertTrue(second.waited());
        assertFalse(first.waited());
        assertEquals(60, budget.reserved());
        first.close();
        assertTrue(secondGranted.isDone());
        assertTrue(thirdGranted.isDone());
        assertTrue(second.waited(), "it waited: a timeout then is the server's fault");
        assertEquals(60, budget.reserved());
        // A body larger than the whole budget waits for all of it rather than for ever.
        CompletableFuture<Void> whole = second.growTo(1_000).toCompletableFuture();
        assertFalse(whole.isDone());
        third.close();
        assertTrue(whole.isDone());
        assertEquals(100, budget.reserved());
        // One closed while it waits gives back what it held and waits no more.
        MemoryBudget.Reservation starved = budget.reservation();
        assertTrue(starved.growTo(0).toCompletableFuture().isDone());
        CompletableFuture<Void> never = starved.growTo(30).toCompletableFuture();
        starved.close();
        second.close();
        assertFalse(never.isDone());
        assertEquals(0, budget.reserved());
        assertThrows(IllegalArgumentException.class, () -> new MemoryBudget(0));
    }

    @Test
    void aWaiterThatGivesUpLetsThoseBehindItThrough() {
        MemoryBudget budget = new MemoryBudget(100);
        MemoryBudget.Reservation holder = budget.reservation();
        assertTrue(holder.growTo(90).toCompletableFuture().isDone());
        MemoryBudget.Reservation big = budget.reservation();
        CompletableFuture<Void> bigGranted = big.growTo(50).toCompletableFuture();
        MemoryBudget.Reservation small = budget.reservation();
        CompletableFuture<Void> smallGranted = small.growTo(10).toCompletableFuture();
        assertFalse(smallGranted.isDone(), "behind the big one, though it would fit");
        big.close(); // as when it waits too long
        assertTrue(smallGranted.isDone());
        assertFalse(bigGranted.isDone());
        assertEquals(100, budget.reserved());
        holder.close();
        small.close();
        assertEquals(0, budget.reserved());
    }

    @Test
    void aBodyThatDoesNotFitWaitsUnreadUntilAnotherIsAnswered() throws Exception {
        try (TestNode node = TestNode.start(dataDir, Map.of("eddy.http.request-body-memory", "1m"))) {
            TestTables.create(node.client, "Budget", "id", ScalarAttributeType.S, null, null);
            int port = node.endpoint().getPort();
            // Valid PutItem bodies, padded with JSON whitespace so that neither arrives whole with its head.
            byte[] big = putItem("big", 800_000);
            byte[] other = putItem("other", 600_000);
            try (Socket slow = new Socket("127.0.0.1", port); Socket waiting = new Socket("127.0.0.1", port)) {
                slow.setSoTimeout(30_000);
                waiting.setSoTimeout(30_000);
                OutputStream slowOut = slow.getOutputStream();
                byte[] request = request(big);
                int head = request.length - big.length;
                slowOut.write(request, 0, head + 100_000);
                slowOut.flush();
                // Its whole declared length is reserved once it is being read.
                awaitReserved(port, 800_000);

                // A body declared over 16 MB is only drained for its 413: it keeps and reserves nothing, so it is not held up.
                try (Socket tooLong = new Socket("127.0.0.1", port)) {
                    tooLong.setSoTimeout(30_000);
                    tooLong.getOutputStream().write(request(new byte[20 << 20]));
                    assertEquals(413, RawHttp.read(tooLong.getInputStream()).status());
                }
                assertEquals(800_000, reserved(port));

                waiting.getOutputStream().write(request(other));
                waiting.setSoTimeout(1_500);
                assertThrows(SocketTimeoutException.class, () -> waiting.getInputStream().read(), "answered while the budget was taken");
                assertEquals(800_000, reserved(port), "the waiting body holds nothing");

                slowOut.write(request, head + 100_000, request.length - head - 100_000);
                assertEquals(200, RawHttp.read(slow.getInputStream()).status());
                waiting.setSoTimeout(30_000);
                assertEquals(200, RawHttp.read(waiting.getInputStream()).status());
            }
            assertEquals(Map.of("id", AttributeValue.fromS("other")),
                    node.client.getItem(b -> b.tableName("Budget").key(Map.of("id", AttributeValue.fromS("other")))).item());
            awaitReserved(port, 0);
        }
    }

    @Test
    void aRequestWhoseParsedSizeDoesNotFitWaitsUntilItDoes() throws Exception {
        try (TestNode node = TestNode.start(dataDir, Map.of("eddy.http.request-parse-memory", "1m"))) {
            TestTables.create(node.client, "Parsed", "id", ScalarAttributeType.S, null, null);
            int port = node.endpoint().getPort();
            awaitReserved(port, "eddy_http_request_parse_bytes_reserved", 0);
            // Requests in flight that hold all of it but 1,000 bytes.
            MemoryBudget.Reservation inFlight = node.node.requestMemory().parsed().reservation();
            assertTrue(inFlight.growTo((1 << 20) - 1_000).toCompletableFuture().isDone());
            Map<String, AttributeValue> item = Map.of("id", AttributeValue.fromS("waited"), "n", AttributeValue.fromN("1"));
            CompletableFuture<?> put = CompletableFuture.runAsync(() -> node.client.putItem(b -> b.tableName("Parsed").item(item)));
            Thread.sleep(1_500);
            assertFalse(put.isDone(), "answered while what it parses into could not be reserved");
            inFlight.close();
            put.get(30, TimeUnit.SECONDS);
            assertEquals(item, node.client.getItem(b -> b.tableName("Parsed").key(Map.of("id", AttributeValue.fromS("waited")))).item());
            awaitReserved(port, "eddy_http_request_parse_bytes_reserved", 0);

            // Refused requests give back what they reserved too.
            byte[] putBody = "{\"TableName\":\"Parsed\",\"Item\":{\"id\":{\"S\":\"x\"}}}".getBytes(StandardCharsets.UTF_8);
            assertEquals(400, RawHttp.exchange(port, request("PutItem", "{\"TableName\":".getBytes(StandardCharsets.UTF_8), "")).status());
            assertEquals(400, RawHttp.exchange(port, request("NoSuchOperation", putBody, "")).status());
            assertEquals(400, RawHttp.exchange(port, request("PutItem", "{\"TableName\":\"Parsed\"}".getBytes(StandardCharsets.UTF_8), ""))
                    .status());
            assertEquals(500, RawHttp.exchange(port, request("PutItem", putBody, "Content-Encoding: gzip\r\n")).status());
            awaitReserved(port, "eddy_http_request_parse_bytes_reserved", 0);
        }
    }

    @Test
    void aRequestThatWaitsTooLongForItsParsedSizeIsAnInternalServerErrorAndChangesNothing() throws Exception {
        try (TestNode node = TestNode.start(dataDir, Map.of("eddy.http.request-parse-memory", "1m", "eddy.http.request-parse-wait", "1s"));
             DynamoDbClient noRetry = TestNode.noRetryClient(node.endpoint())) {
            TestTables.create(node.client, "Parsed", "id", ScalarAttributeType.S, null, null);
            MemoryBudget.Reservation inFlight = node.node.requestMemory().parsed().reservation();
            assertTrue(inFlight.growTo(1 << 20).toCompletableFuture().isDone());
            DynamoDbException refused = assertThrows(DynamoDbException.class, () -> noRetry.putItem(b -> b.tableName("Parsed")
                    .item(Map.of("id", AttributeValue.fromS("late")))));
            assertEquals(500, refused.statusCode());
            assertEquals("InternalServerError", refused.awsErrorDetails().errorCode());
            inFlight.close();
            assertFalse(node.client.getItem(b -> b.tableName("Parsed").key(Map.of("id", AttributeValue.fromS("late")))).hasItem());
            awaitReserved(node.endpoint().getPort(), "eddy_http_request_parse_bytes_reserved", 0);
        }
    }

    private static byte[] putItem(String id, int length) {
        String json = "{\"TableName\":\"Budget\",\"Item\":{\"id\":{\"S\":\"" + id + "\"}}}";
        return (json + " ".repeat(length - json.length())).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] request(byte[] body) {
        return request("PutItem", body, "");
    }

    private static byte[] request(String operation, byte[] body, String moreHeaders) {
        return RawHttp.post("/", "Content-Type: application/x-amz-json-1.0\r\nX-Amz-Date: 20260101T000000Z\r\n"
                + "X-Amz-Target: DynamoDB_20120810." + operation + "\r\nAuthorization: " + WireProtocolTest.AUTH + "\r\n" + moreHeaders, body);
    }

    private static long reserved(int port) throws Exception {
        return reserved(port, "eddy_http_request_body_bytes_reserved");
    }

    private static long reserved(int port, String gauge) throws Exception {
        HttpResponse<String> metrics = RawHttp.oneShotClient().send(HttpRequest.newBuilder(TestNode.endpoint(port).resolve("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        return (long) MetricsTest.Scrape.parse(metrics.body()).value(gauge);
    }

    private static void awaitReserved(int port, long bytes) throws Exception {
        awaitReserved(port, "eddy_http_request_body_bytes_reserved", bytes);
    }

    private static void awaitReserved(int port, String gauge, long bytes) throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (reserved(port, gauge) != bytes) {
            assertTrue(System.nanoTime() < deadline, gauge + " " + reserved(port, gauge) + ", not " + bytes);
            Thread.sleep(20);
        }
    }
}
