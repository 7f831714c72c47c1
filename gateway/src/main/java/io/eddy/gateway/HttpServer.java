package io.eddy.gateway;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.event.Logging;
import org.apache.pekko.event.LoggingAdapter;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.RemoteAddress;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.Connection;
import org.apache.pekko.http.javadsl.settings.ServerSettings;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.BidiFlow;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.TLSProtocol.SslTlsInbound;
import org.apache.pekko.stream.TLSProtocol.SslTlsOutbound;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.TLS;
import org.apache.pekko.stream.javadsl.TLSPlacebo;
import org.apache.pekko.util.ByteString;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pekko HTTP's server (parsing, rendering, keep-alive, its {@code pekko.http.server} settings) over
 * Eddy's {@link SocketServer} instead of Pekko IO: each accepted socket runs Pekko HTTP's server
 * layer joined with the handler on one side and a {@link SocketConnectionStage} on the other, with
 * Pekko Streams' TLS stage between them when the server speaks HTTPS.
 * {@code idle-timeout}, {@code backlog} and {@code max-connections} are taken from the same
 * settings Pekko HTTP's own binding reads; {@code eddy.http.request-head-timeout} is Eddy's.
 */
final class HttpServer {

    private static final Logger log = LoggerFactory.getLogger(HttpServer.class);

    private final SocketServer sockets;
    private final AtomicInteger inFlight;
    private final AtomicBoolean draining;
    private final boolean secure;

    private HttpServer(SocketServer sockets, AtomicInteger inFlight, AtomicBoolean draining, boolean secure) {
        this.sockets = sockets;
        this.inFlight = inFlight;
        this.draining = draining;
        this.secure = secure;
    }

    /**
     * The TLS context of {@code eddy.http.tls} (a key store with the server's key and certificate);
     * empty for plain HTTP.
     *
     * @throws IllegalArgumentException when the key store cannot be read
     */
    static Optional<SSLContext> tls(com.typesafe.config.Config tls) {
        String path = tls.getString("key-store");
        if (path.isEmpty()) return Optional.empty();
        char[] password = tls.getString("key-store-password").toCharArray();
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(java.nio.file.Path.of(path))) {
            KeyStore keys = KeyStore.getInstance(tls.getString("key-store-type"));
            keys.load(in, password);
            boolean anyKey = false;
            for (String alias : java.util.Collections.list(keys.aliases())) anyKey |= keys.entryInstanceOf(alias, KeyStore.PrivateKeyEntry.class);
            // A trust store (certificates only) loads as well, and would fail every handshake.
            if (!anyKey) throw new GeneralSecurityException("it holds no private key");
            KeyManagerFactory managers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            managers.init(keys, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(managers.getKeyManagers(), null, null);
            return Optional.of(context);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("eddy.http.tls.key-store " + path + " cannot be used: " + e.getMessage(), e);
        }
    }

    /**
     * {@code eddy.http.request-head-timeout}.
     *
     * @throws IllegalArgumentException when it is not positive
     */
    static Duration requestHeadTimeout(com.typesafe.config.Config config) {
        Duration timeout = config.getDuration("eddy.http.request-head-timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("eddy.http.request-head-timeout must be positive, not " + timeout);
        }
        return timeout;
    }

    /**
     * Binds {@code host:port} (0: any free port) and serves every request with {@code handler},
     * over HTTPS with {@code tls} when present.
     */
    static HttpServer bind(ActorSystem<?> system, String host, int port, Optional<SSLContext> tls,
                           Function<HttpRequest, CompletionStage<HttpResponse>> handler) throws IOException {
        ServerSettings settings = ServerSettings.create(system.classicSystem());
        Materializer materializer = Materializer.matFromSystem(system);
        LoggingAdapter pekkoLog = Logging.getLogger(system.classicSystem(), HttpServer.class);
        scala.concurrent.duration.Duration idle = settings.getTimeouts().idleTimeout();
        Duration idleTimeout = idle.isFinite() ? Duration.ofNanos(idle.toNanos()) : null;
        Duration headTimeout = requestHeadTimeout(system.settings().config());
        AtomicInteger inFlight = new AtomicInteger();
        AtomicBoolean draining = new AtomicBoolean();
        // One blueprint of the protocol, joined for each connection with a handler that gives every
        // request the connection's remote address (Pekko's attribute: aws:SourceIp reads it). Over
        // TLS it materializes the switch that ends the connection's input at shutdown (see below).
        BidiFlow<HttpResponse, SslTlsOutbound, SslTlsInbound, HttpRequest, NotUsed> layer =
                Http.get(system.classicSystem()).serverLayer(settings, Optional.empty(), pekkoLog);
        BidiFlow<HttpResponse, ByteString, ByteString, HttpRequest, Optional<TlsEnds>> http1 = tls.isPresent()
                ? layer.atop(inputSwitch(), Keep.right()).atop(tlsBytes(tls.get()), Keep.left())
                        .atop(BidiFlow.fromGraph(new PlainHttpRefusal()), Keep.left()).mapMaterializedValue(Optional::of)
                : layer.atop(plainBytes()).mapMaterializedValue(unused -> Optional.empty());
        SocketServer sockets = SocketServer.bind(new InetSocketAddress(host, port), settings.getBacklog(),
                settings.getMaxConnections(),
                connection -> {
                    RemoteAddress remote = RemoteAddress.create(connection.remoteAddress());
                    RequestHeadClock headClock = new RequestHeadClock();
                    Optional<TlsEnds> ends = handlerFlow(request -> handler.apply(request.addAttribute(AttributeKeys.remoteAddress,
                                    remote)), inFlight, draining, headClock)
                            .joinMat(http1, Keep.right())
                            .joinMat(new SocketConnectionStage(connection, idleTimeout, headTimeout, headClock), Keep.left())
                            .run(materializer);
                    ends.ifPresent(tlsEnds -> connection.endInputWith(() -> {
                        tlsEnds.input().shutdown();
                        // Pekko HTTP then answers what it read and ends its output, and the stage sends close_notify and
                        // waits for the client's, which an idle pooled client never sends: a moment later, once the
                        // socket has taken everything written to it, end its input so that the connection closes.
                        tlsEnds.outputDone().thenRunAsync(connection::endInputOnceWritten,
                                CompletableFuture.delayedExecutor(200, java.util.concurrent.TimeUnit.MILLISECONDS));
                    }));
                });
        return new HttpServer(sockets, inFlight, draining, tls.isPresent());
    }

    /**
     * TLS records to and from the socket, a server's engine for each connection. At shutdown a TLS
     * connection's input is ended above the TLS stage ({@link #inputSwitch}), not beneath it as a
     * plain one's is: the stage would take an input ended beneath it for a truncation and close at
     * once. So the stage ignores the cancellation of its decrypted input (IgnoreCancel) until Pekko
     * HTTP has answered what it read and ended its output; then it sends close_notify and closes.
     * Every other end (the client's, a failure, Pekko HTTP closing the connection) closes it as
     * Pekko HTTP's own binding does.
     */
    private static BidiFlow<SslTlsOutbound, ByteString, ByteString, SslTlsInbound, NotUsed> tlsBytes(SSLContext context) {
        return TLS.create(() -> {
            SSLEngine engine = context.createSSLEngine();
            engine.setUseClientMode(false);
            return engine;
        }, org.apache.pekko.stream.TLSClosing$.MODULE$.ignoreCancel());
    }

    /** A TLS connection's switch that ends its decrypted input, and when Pekko HTTP has ended its output. */
    private record TlsEnds(UniqueKillSwitch input, CompletionStage<Done> outputDone) {}

    /** Passes the decrypted input on until its switch ends it, and watches the output to the TLS stage end. */
    private static BidiFlow<SslTlsOutbound, SslTlsOutbound, SslTlsInbound, SslTlsInbound, TlsEnds> inputSwitch() {
        return BidiFlow.fromFlowsMat(Flow.<SslTlsOutbound>create().watchTermination(Keep.right()),
                Flow.<SslTlsInbound>create().viaMat(KillSwitches.single(), Keep.right()), (done, input) -> new TlsEnds(input, done));
    }

    /** Pekko HTTP's layer speaks TLS records; a plain socket carries bytes. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static BidiFlow<SslTlsOutbound, ByteString, ByteString, SslTlsInbound, ?> plainBytes() {
        return (BidiFlow) TLSPlacebo.getInstance();
    }

    /**
     * One request at a time per connection (pipelined requests wait), as Pekko HTTP's binding does.
     * While the server drains at shutdown every answer says {@code Connection: close}, so that a
     * client's pooled connection closes after it instead of bringing the next request.
     */
    private static Flow<HttpRequest, HttpResponse, ?> handlerFlow(Function<HttpRequest, CompletionStage<HttpResponse>> handler,
                                                                 AtomicInteger inFlight, AtomicBoolean draining, RequestHeadClock headClock) {
        return Flow.of(HttpRequest.class).mapAsync(1, request -> {
            headClock.requestArrived();
            inFlight.incrementAndGet();
            CompletionStage<HttpResponse> response;
            try {
                response = handler.apply(request);
            } catch (RuntimeException | StackOverflowError e) {
                response = CompletableFuture.failedFuture(e);
            }
            return response.handle((ok, failure) -> {
                inFlight.decrementAndGet();
                headClock.requestAnswered();
                HttpResponse answer = ok;
                if (failure != null) {
                    log.error("Internal server error, sending 500 response", failure);
                    answer = HttpResponse.create().withStatus(StatusCodes.INTERNAL_SERVER_ERROR);
                }
                return draining.get() ? answer.addHeader(Connection.create("close")) : answer;
            });
        });
    }

    /** Whether it speaks HTTPS. */
    boolean secure() {
        return secure;
    }

    InetSocketAddress localAddress() {
        return sockets.localAddress();
    }

    /**
     * At shutdown, stops accepting connections (phase service-unbind) and answers from then on with
     * {@code Connection: close}; then (service-requests-done) waits for the requests in flight to be
     * answered, ends every connection's input so that each closes once its last answer is written,
     * and after {@code deadline} in all closes what is still open. The phase's own timeout
     * (eddy-gateway.conf) is longer than the deadline, or Pekko would go on to stop the partitions
     * while answers are still being made.
     */
    void addToCoordinatedShutdown(Duration deadline, ActorSystem<?> system) {
        CoordinatedShutdown shutdown = CoordinatedShutdown.get(system);
        shutdown.addTask(CoordinatedShutdown.PhaseServiceUnbind(), "eddy-http-unbind", () -> {
            draining.set(true);
            sockets.unbind();
            return CompletableFuture.completedFuture(Done.getInstance());
        });
        shutdown.addTask(CoordinatedShutdown.PhaseServiceRequestsDone(), "eddy-http-requests-done",
                () -> CompletableFuture.supplyAsync(() -> {
                    long until = System.nanoTime() + deadline.toNanos();
                    awaitUntil(() -> inFlight.get() == 0, until);
                    sockets.endInputs();
                    awaitUntil(() -> !sockets.hasConnections(), until);
                    sockets.close();
                    return Done.getInstance();
                }));
    }

    private static void awaitUntil(BooleanSupplier done, long deadlineNanos) {
        while (!done.getAsBoolean() && System.nanoTime() - deadlineNanos < 0) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
