package io.eddy.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Eddy's HTTP transport ({@link HttpServer} over {@link SocketServer}) with plain sockets as
 * clients: keep-alive, pipelining, bodies larger than the read pause and the socket buffers, slow
 * readers, half-closed clients, the idle timeout, max-connections and shutdown.
 */
class HttpServerTest {

    private ActorSystem<Void> system;
    private HttpServer server;
    /** Counted down as each /slow and /slow-body request is being answered. */
    private static volatile java.util.concurrent.CountDownLatch slowStarted = new java.util.concurrent.CountDownLatch(2);
    /** Counted down once a /slower request is being answered. */
    private static volatile java.util.concurrent.CountDownLatch slowerStarted = new java.util.concurrent.CountDownLatch(1);

    @AfterEach
    void stop() throws Exception {
        if (system != null) {
            CoordinatedShutdown.get(system).runAll(CoordinatedShutdown.unknownReason()).toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    /**
     * Echoes POST /echo bodies, answers /big/N with N bytes, /slow after a second, /slow-body at
     * once but with its body's bytes 1.5 s later.
     */
    private void start(String config) throws IOException {
        start(config, Optional.empty());
    }

    private void start(String config, Optional<javax.net.ssl.SSLContext> tls) throws IOException {
        system = ActorSystem.create(Behaviors.empty(), "http-server-test", ConfigFactory.parseString(config
                + "\npekko.http.server.parsing.max-content-length = 16m\npekko.http.parsing.max-to-strict-bytes = 16m")
                // The node's shutdown phase timeouts, which the drain depends on.
                .withFallback(ConfigFactory.parseResources(HttpServer.class.getClassLoader(), "eddy-gateway.conf")
                        .withOnlyPath("pekko.coordinated-shutdown"))
                .withFallback(ConfigFactory.load()));
        Materializer materializer = Materializer.matFromSystem(system);
        server = HttpServer.bind(system, "127.0.0.1", 0, tls, request -> answer(request, materializer));
        server.addToCoordinatedShutdown(Duration.ofSeconds(10), system);
    }

    private static CompletionStage<HttpResponse> answer(HttpRequest request, Materializer materializer) {
        String path = request.getUri().path();
        if (path.equals("/echo")) {
            return request.entity().toStrict(10_000, materializer)
                    .thenApply(strict -> HttpResponse.create().withEntity(ContentTypes.APPLICATION_OCTET_STREAM, strict.getData()));
        }
        if (path.startsWith("/big/")) {
            request.discardEntityBytes(materializer);
            return CompletableFuture.completedFuture(HttpResponse.create()
                    .withEntity(ContentTypes.APPLICATION_OCTET_STREAM, pattern(Integer.parseInt(path.substring(5)))));
        }
        if (path.equals("/early")) {
            // Answered before its body is read: Pekko HTTP closes the connection after the answer.
            return CompletableFuture.completedFuture(HttpResponse.create().withEntity("early"));
        }
        if (path.equals("/slower")) {
            // Longer than Pekko's default phase timeout (5 s).
            request.discardEntityBytes(materializer);
            slowerStarted.countDown();
            return CompletableFuture.supplyAsync(() -> HttpResponse.create().withEntity("slower"),
                    CompletableFuture.delayedExecutor(6500, TimeUnit.MILLISECONDS));
        }
        if (path.equals("/slow")) {
            request.discardEntityBytes(materializer);
            slowStarted.countDown();
            return CompletableFuture.supplyAsync(() -> HttpResponse.create().withEntity("slow"),
                    CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS));
        }
        if (path.equals("/slow-body")) {
            request.discardEntityBytes(materializer);
            slowStarted.countDown();
            byte[] body = "slow body".getBytes(StandardCharsets.US_ASCII);
            return CompletableFuture.completedFuture(HttpResponse.create().withEntity(HttpEntities.create(
                    ContentTypes.APPLICATION_OCTET_STREAM, body.length,
                    Source.single(ByteString.fromArray(body)).initialDelay(Duration.ofMillis(1500)))));
        }
        return CompletableFuture.failedFuture(new IllegalStateException("handler failed"));
    }

    private static byte[] pattern(int n) {
        byte[] bytes = new byte[n];
        for (int i = 0; i < n; i++) bytes[i] = (byte) (i * 31 + (i >>> 8));
        return bytes;
    }

    /** A connection whose receive buffer is small, so that a big answer waits on the client's reading. */
    private Socket slowReader() throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(16 * 1024);
        socket.connect(server.localAddress());
        return socket;
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", server.localAddress().getPort());
        socket.setSoTimeout(20_000);
        return socket;
    }

    @Test
    void manyKeepAliveConnectionsAreAnsweredRequestAfterRequest() throws Exception {
        start("");
        ExecutorService clients = Executors.newFixedThreadPool(32);
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int c = 0; c < 32; c++) {
                int seed = c;
                done.add(clients.submit(() -> {
                    Random random = new Random(seed);
                    try (Socket socket = connect()) {
                        for (int i = 0; i < 50; i++) {
                            byte[] body = new byte[random.nextInt(3000)];
                            random.nextBytes(body);
                            socket.getOutputStream().write(RawHttp.post("/echo", "", body));
                            RawHttp.Response response = RawHttp.read(socket.getInputStream());
                            assertEquals(200, response.status());
                            assertArrayEquals(body, response.body());
                        }
                    }
                    return 50;
                }));
            }
            int answered = 0;
            for (Future<Integer> f : done) answered += f.get(60, TimeUnit.SECONDS);
            assertEquals(32 * 50, answered);
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void bodiesLargerThanTheReadPauseAndTheSocketBuffersArriveWhole() throws Exception {
        start("");
        byte[] body = new byte[6 * 1024 * 1024];
        new Random(7).nextBytes(body);
        try (Socket socket = connect()) {
            // Written on a thread of its own: the answer starts before the request is all sent.
            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                try {
                    socket.getOutputStream().write(RawHttp.post("/echo", "", body));
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            RawHttp.Response response = RawHttp.read(socket.getInputStream());
            sent.get(20, TimeUnit.SECONDS);
            assertEquals(200, response.status());
            assertArrayEquals(body, response.body());
        }
    }

    @Test
    void aClientThatReadsLateGetsEveryByte() throws Exception {
        start("");
        int size = 8 * 1024 * 1024;
        try (Socket socket = connect()) {
            socket.getOutputStream().write(RawHttp.post("/big/" + size, "", new byte[0]));
            Thread.sleep(1000); // the server meanwhile fills the socket's buffers and waits
            RawHttp.Response response = RawHttp.read(socket.getInputStream());
            assertArrayEquals(pattern(size), response.body());
            // The connection is still good for another request.
            socket.getOutputStream().write(RawHttp.post("/echo", "", "again".getBytes(StandardCharsets.US_ASCII)));
            assertEquals("again", new String(RawHttp.read(socket.getInputStream()).body(), StandardCharsets.US_ASCII));
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        start("");
        try (Socket socket = connect()) {
            ByteArrayOutputStream three = new ByteArrayOutputStream();
            for (String s : List.of("one", "two", "three")) three.write(RawHttp.post("/echo", "", s.getBytes(StandardCharsets.US_ASCII)));
            socket.getOutputStream().write(three.toByteArray());
            for (String s : List.of("one", "two", "three")) {
                assertEquals(s, new String(RawHttp.read(socket.getInputStream()).body(), StandardCharsets.US_ASCII));
            }
        }
    }

    @Test
    void aClientThatClosesItsSideAfterItsRequestGetsTheAnswerThenTheConnectionCloses() throws Exception {
        start("");
        try (Socket socket = connect()) {
            socket.getOutputStream().write(RawHttp.post("/slow", "", new byte[0]));
            socket.shutdownOutput();
            RawHttp.Response response = RawHttp.read(socket.getInputStream());
            assertEquals("slow", new String(response.body(), StandardCharsets.US_ASCII));
            assertEquals(-1, socket.getInputStream().read());
        }
    }

    @Test
    void aConnectionClosedWithTheBodyUnreadLingersSoThatWhatTheClientStillSendsIsNotReset() throws Exception {
        start("");
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /early HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 8000000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[64 * 1024]);
            RawHttp.Response response = RawHttp.read(socket.getInputStream());
            assertEquals("early", new String(response.body(), StandardCharsets.US_ASCII));
            assertEquals("close", response.headers().get("connection"));
            // The server has ended its side and still reads: the client's writes are taken, not reset.
            for (int i = 0; i < 32; i++) out.write(new byte[32 * 1024]);
            out.flush();
            assertEquals(-1, socket.getInputStream().read());
        }
    }

    @Test
    void aConnectionThatLingersClosesAtItsDeadlineIfTheClientNeverEndsItsSide() throws Exception {
        start("");
        try (Socket socket = connect()) {
            socket.getOutputStream().write(("POST /early HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            assertEquals(200, RawHttp.read(socket.getInputStream()).status());
            assertEquals(-1, socket.getInputStream().read());
            // The client keeps its side open and sends nothing: the server closes anyway, and its
            // next write (after the close) is answered with a reset.
            Thread.sleep(3000);
            OutputStream out = socket.getOutputStream();
            assertThrows(IOException.class, () -> {
                for (int i = 0; i < 64; i++) {
                    out.write(new byte[1024]);
                    out.flush();
                    Thread.sleep(20);
                }
            });
        }
    }

    @Test
    void aFailedHandlerGetsA500AndTheConnectionGoesOn() throws Exception {
        start("");
        try (Socket socket = connect()) {
            socket.getOutputStream().write(RawHttp.post("/fail", "", new byte[0]));
            assertEquals(500, RawHttp.read(socket.getInputStream()).status());
            socket.getOutputStream().write(RawHttp.post("/echo", "", "ok".getBytes(StandardCharsets.US_ASCII)));
            assertEquals(200, RawHttp.read(socket.getInputStream()).status());
        }
    }

    @Test
    void anIdleConnectionIsClosedAfterTheIdleTimeout() throws Exception {
        start("pekko.http.server.idle-timeout = 1s");
        try (Socket idle = connect(); Socket busy = connect()) {
            long started = System.nanoTime();
            // The busy one keeps answering meanwhile; the idle one is closed within two periods.
            while (System.nanoTime() - started < TimeUnit.MILLISECONDS.toNanos(2500)) {
                busy.getOutputStream().write(RawHttp.post("/echo", "", "x".getBytes(StandardCharsets.US_ASCII)));
                assertEquals(200, RawHttp.read(busy.getInputStream()).status());
                Thread.sleep(100);
            }
            assertEquals(-1, idle.getInputStream().read());
            busy.getOutputStream().write(RawHttp.post("/echo", "", "x".getBytes(StandardCharsets.US_ASCII)));
            assertEquals(200, RawHttp.read(busy.getInputStream()).status());
        }
    }

    @Test
    void noMoreThanMaxConnectionsAreServedAtOnce() throws Exception {
        start("pekko.http.server.max-connections = 2");
        try (Socket a = connect(); Socket b = connect(); Socket c = connect()) {
            for (Socket s : List.of(a, b)) {
                s.getOutputStream().write(RawHttp.post("/echo", "", "x".getBytes(StandardCharsets.US_ASCII)));
                assertEquals(200, RawHttp.read(s.getInputStream()).status());
            }
            c.getOutputStream().write(RawHttp.post("/echo", "", "c".getBytes(StandardCharsets.US_ASCII)));
            c.setSoTimeout(1000);
            assertThrows(SocketTimeoutException.class, () -> c.getInputStream().read());
            a.close();
            c.setSoTimeout(20_000);
            assertEquals("c", new String(RawHttp.read(c.getInputStream()).body(), StandardCharsets.US_ASCII));
        }
    }

    @Test
    void shutdownAnswersTheRequestsInFlightAndThenRefusesConnections() throws Exception {
        start("");
        shutdownAnswersTheRequestsInFlight(this::connect);
    }

    @Test
    void overTlsShutdownAnswersTheRequestsInFlightToo(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path store = TestTls.keyStore(dir);
        start("", HttpServer.tls(ConfigFactory.parseMap(java.util.Map.of("key-store", store.toString(), "key-store-password",
                TestTls.PASSWORD, "key-store-type", "PKCS12"))));
        javax.net.ssl.SSLSocketFactory sockets = TestTls.clientContext(store).getSocketFactory();
        shutdownAnswersTheRequestsInFlight(() -> {
            javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) sockets.createSocket("127.0.0.1", server.localAddress().getPort());
            socket.setSoTimeout(20_000);
            socket.startHandshake();
            return socket;
        });
    }

    private interface Connector {
        Socket connect() throws IOException;
    }

    private void shutdownAnswersTheRequestsInFlight(Connector connector) throws Exception {
        int port = server.localAddress().getPort();
        slowStarted = new java.util.concurrent.CountDownLatch(2);
        try (Socket slow = connector.connect(); Socket slowBody = connector.connect(); Socket idle = connector.connect()) {
            slow.getOutputStream().write(RawHttp.post("/slow", "", new byte[0]));
            // Its handler is done at once, but its body is still to come when shutdown begins.
            slowBody.getOutputStream().write(RawHttp.post("/slow-body", "", new byte[0]));
            assertTrue(slowStarted.await(10, TimeUnit.SECONDS), "both requests are in flight");
            CompletionStage<?> stopped = CoordinatedShutdown.get(system).runAll(CoordinatedShutdown.unknownReason());
            assertEquals("slow", new String(RawHttp.read(slow.getInputStream()).body(), StandardCharsets.US_ASCII));
            assertEquals("slow body", new String(RawHttp.read(slowBody.getInputStream()).body(), StandardCharsets.US_ASCII));
            stopped.toCompletableFuture().get(30, TimeUnit.SECONDS);
            for (Socket s : List.of(slow, slowBody, idle)) assertEquals(-1, s.getInputStream().read());
        }
        assertThrows(IOException.class, () -> new Socket("127.0.0.1", port).close());
        system = null;
    }

    @Test
    void aRequestLongerThanPekkosDefaultPhaseTimeoutIsAnsweredAtShutdownAndPooledConnectionsAreToldToClose() throws Exception {
        start("");
        slowerStarted = new java.util.concurrent.CountDownLatch(1);
        int port = server.localAddress().getPort();
        try (Socket slower = connect(); Socket pooled = connect()) {
            pooled.getOutputStream().write(RawHttp.post("/echo", "", "a".getBytes(StandardCharsets.US_ASCII)));
            assertFalse(RawHttp.read(pooled.getInputStream()).headers().containsKey("connection"));
            slower.getOutputStream().write(RawHttp.post("/slower", "", new byte[0]));
            assertTrue(slowerStarted.await(10, TimeUnit.SECONDS), "the slow request is in flight");
            CompletionStage<?> stopped = CoordinatedShutdown.get(system).runAll(CoordinatedShutdown.unknownReason());
            // Unbound: draining has begun.
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (true) {
                try (Socket probe = new Socket("127.0.0.1", port)) {
                    assertTrue(System.nanoTime() < until, "still accepting connections");
                    Thread.sleep(20);
                } catch (IOException refused) {
                    break;
                }
            }
            // The pooled connection's next request is answered, and told that the connection closes.
            pooled.getOutputStream().write(RawHttp.post("/echo", "", "b".getBytes(StandardCharsets.US_ASCII)));
            RawHttp.Response last = RawHttp.read(pooled.getInputStream());
            assertEquals("b", new String(last.body(), StandardCharsets.US_ASCII));
            assertEquals("close", last.headers().get("connection"));
            assertEquals(-1, pooled.getInputStream().read());
            assertEquals("slower", new String(RawHttp.read(slower.getInputStream()).body(), StandardCharsets.US_ASCII));
            stopped.toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        system = null;
    }

    @Test
    void bindingAPortInUseFails() throws Exception {
        system = ActorSystem.create(Behaviors.empty(), "http-server-test", ConfigFactory.load());
        try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            assertThrows(IOException.class, () -> HttpServer.bind(system, "127.0.0.1", taken.getLocalPort(), Optional.empty(),
                    request -> CompletableFuture.completedFuture(HttpResponse.create())));
        }
    }

    @Test
    void aConnectionResetMidRequestLeavesTheServerServing() throws Exception {
        start("");
        try (Socket rude = connect()) {
            rude.setSoLinger(true, 0);
            byte[] partial = RawHttp.post("/echo", "", new byte[100_000]);
            rude.getOutputStream().write(partial, 0, 50_000);
        } // closed with a reset, half a body sent
        try (Socket socket = connect()) {
            socket.getOutputStream().write(RawHttp.post("/echo", "", "fine".getBytes(StandardCharsets.US_ASCII)));
            assertEquals("fine", new String(RawHttp.read(socket.getInputStream()).body(), StandardCharsets.US_ASCII));
        }
        assertTrue(server.localAddress().getPort() > 0);
    }

    @Test
    void aRequestHeadSentAByteAtATimeIsCutOffAtTheHeadTimeoutButABodyOrAnIdleConnectionIsNot() throws Exception {
        start("eddy.http.request-head-timeout = 1s");
        try (Socket slowHead = connect(); Socket slowBody = connect(); Socket idle = connect()) {
            idle.getOutputStream().write(RawHttp.post("/echo", "", "a".getBytes(StandardCharsets.US_ASCII)));
            assertEquals(200, RawHttp.read(idle.getInputStream()).status());
            byte[] head = "POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: ".getBytes(StandardCharsets.US_ASCII);
            byte[] request = RawHttp.post("/echo", "", "slow body!".getBytes(StandardCharsets.US_ASCII));
            int bodyStart = request.length - 10;
            slowBody.getOutputStream().write(request, 0, bodyStart);
            slowHead.setSoTimeout(50);
            boolean closed = false;
            int bodySent = 0;
            long started = System.nanoTime();
            // A byte of the head every 100 ms, of the body every 200 ms: neither connection is ever
            // idle. Past the head timeout's second, the head is cut off; the body, over 2 s, is not.
            long closedAfter = -1;
            for (int i = 0; (!closed || bodySent < 10) && System.nanoTime() - started < TimeUnit.SECONDS.toNanos(15); i++) {
                if (i % 2 == 0 && bodySent < 10) slowBody.getOutputStream().write(request[bodyStart + bodySent++]);
                if (closed) {
                    Thread.sleep(100);
                    continue;
                }
                slowHead.getOutputStream().write(i < head.length ? head[i] : 'x');
                try {
                    closed = slowHead.getInputStream().read() == -1;
                } catch (SocketTimeoutException stillOpen) {
                    Thread.sleep(50);
                } catch (IOException reset) {
                    closed = true;
                }
                if (closed) closedAfter = System.nanoTime() - started;
            }
            assertTrue(closed, "the slow head's connection is still open");
            assertTrue(closedAfter > TimeUnit.MILLISECONDS.toNanos(900), "closed before the head timeout");
            assertEquals(10, bodySent);
            assertEquals("slow body!", RawHttp.read(slowBody.getInputStream()).text());
            // Idle for longer than the head timeout, between two requests: kept.
            Thread.sleep(1500);
            idle.getOutputStream().write(RawHttp.post("/echo", "", "b".getBytes(StandardCharsets.US_ASCII)));
            assertEquals("b", RawHttp.read(idle.getInputStream()).text());
        }
    }

    @Test
    void aPipelinedHeadWaitingWhileEarlierAnswersAreWrittenIsNotCutOff() throws Exception {
        start("eddy.http.request-head-timeout = 1s");
        try (Socket socket = slowReader()) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            // A big answer the client takes slowly, and behind it more requests than the server takes in
            // while it writes: the last heads arrive while none is being handled, but wait on the server.
            out.write(RawHttp.post("/big/32000000", "", new byte[0]));
            for (int i = 0; i < 64; i++) out.write(RawHttp.post("/big/6", "", new byte[0]));
            Thread.sleep(300);
            out.write(RawHttp.post("/echo", "", "last".getBytes(StandardCharsets.US_ASCII)));
            Thread.sleep(2500);
            assertArrayEquals(pattern(32_000_000), RawHttp.read(socket.getInputStream()).body());
            for (int i = 0; i < 64; i++) assertArrayEquals(pattern(6), RawHttp.read(socket.getInputStream()).body());
            assertEquals("last", RawHttp.read(socket.getInputStream()).text());
        }
    }

    @Test
    void aClientThatNeverReadsItsAnswerIsNotKeptByBytesSentNowAndThen() throws Exception {
        start("eddy.http.request-head-timeout = 1s\npekko.http.server.idle-timeout = 3s");
        try (Socket socket = slowReader()) {
            OutputStream out = socket.getOutputStream();
            out.write(RawHttp.post("/big/32000000", "", new byte[0]));
            // Never read; a byte every half second keeps the connection from being idle.
            try {
                for (int i = 0; i < 20; i++) {
                    out.write('x');
                    Thread.sleep(500);
                }
            } catch (IOException reset) {
                // Closed meanwhile: what is asked.
            }
            socket.setSoTimeout(20_000);
            long read = 0;
            byte[] buffer = new byte[64 * 1024];
            try {
                for (int n; (n = socket.getInputStream().read(buffer)) > 0; ) read += n;
            } catch (IOException reset) {
                // Closed with the answer unread.
            }
            assertTrue(read < 32_000_000, "the whole answer was kept for a client that took none of it: " + read);
        }
    }
}
