package io.eddy.gateway;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.eddy.model.DynamoException;
import io.eddy.model.ErrorCode;
import io.eddy.model.RequestParsers;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaType;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.RemoteAddress;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DynamoDB's JSON 1.0 protocol over Pekko HTTP. Checks run in DynamoDB's order: method and
 * content type, JSON syntax, X-Amz-Target, authentication, then the operation's own validation.
 * Request bodies may be gzip-encoded and responses gzip- or deflate-encoded for clients that accept it;
 * bodies over 16 MB are refused with 413; CORS headers answer browser clients.
 */
final class DynamoHttpHandler implements Function<HttpRequest, CompletionStage<HttpResponse>> {

    private static final Logger log = LoggerFactory.getLogger(DynamoHttpHandler.class);
    private static final String TARGET_PREFIX = "DynamoDB_20120810.";
    /** DynamoDB Streams is served on the same endpoint, as DynamoDB Local does. */
    private static final String STREAMS_TARGET_PREFIX = "DynamoDBStreams_20120810.";
    private static final Duration STREAMED_BODY_TIMEOUT = Duration.ofSeconds(30);

    /** An operation and its counters, by the X-Amz-Target value that names it. */
    private record Route(Operation operation, OperationMetrics metrics) {}

    private final Map<String, Route> routes;
    private final AdminHttpHandler admin;
    private final Materializer materializer;
    private final Metrics metrics;
    /** Null in development mode, where any well-formed Authorization is accepted. */
    private final SigV4Verifier verifier;
    /** Null when no key's permissions are configured: every verified request is allowed. */
    private final AccessPolicy policy;
    /** The other regions' nodes: with credentials, each region's replication requests take only its accept-key. */
    private final ReplicaRegions regions;
    /** What streamed request bodies, and requests once parsed, may hold in memory at once. */
    private final RequestMemory memory;

    DynamoHttpHandler(Map<String, Operation> operations, Map<String, Operation> streamOperations,
                      Map<String, Operation> replicationOperations, AdminHttpHandler admin,
                      Materializer materializer, Metrics metrics, SigV4Verifier verifier, AccessPolicy policy,
                      ReplicaRegions regions, RequestMemory memory) {
        Map<String, Route> routes = new HashMap<>();
        operations.forEach((name, operation) -> routes.put(TARGET_PREFIX + name, new Route(operation, metrics.operation(name))));
        streamOperations.forEach((name, operation) ->
                routes.put(STREAMS_TARGET_PREFIX + name, new Route(operation, metrics.operation(name))));
        // What other regions' nodes call for global tables; signed and authorized like any request.
        replicationOperations.forEach((name, operation) ->
                routes.put(HttpReplicaLink.TARGET_PREFIX + name, new Route(operation, metrics.operation(name))));
        this.routes = Map.copyOf(routes);
        this.admin = admin;
        this.materializer = materializer;
        this.metrics = metrics;
        this.verifier = verifier;
        this.policy = policy;
        this.regions = regions;
        this.memory = memory;
    }

    @Override
    public CompletionStage<HttpResponse> apply(HttpRequest request) {
        long started = System.nanoTime(); // a request's latency counts from here
        RequestHeaders headers = RequestHeaders.of(request);
        return respond(request, headers, started).thenApply(response -> Cors.decorate(headers, response));
    }

    private CompletionStage<HttpResponse> respond(HttpRequest request, RequestHeaders headers, long started) {
        if (request.method().equals(HttpMethods.OPTIONS)) {
            return CompletableFuture.completedFuture(
                    Cors.preflight(headers, WireProtocol.response(200, ContentTypes.TEXT_PLAIN_UTF8, new byte[0])));
        }
        if (request.method().equals(HttpMethods.GET) && request.getUri().path().equals("/")) {
            return CompletableFuture.completedFuture(
                    WireProtocol.response(200, ContentTypes.TEXT_PLAIN_UTF8, healthLine(request)));
        }
        if (request.method().equals(HttpMethods.GET) && request.getUri().path().equals("/metrics")) {
            return CompletableFuture.completedFuture(
                    WireProtocol.response(200, PrometheusText.CONTENT_TYPE, metrics.render()));
        }
        if (request.getUri().path().startsWith(AdminHttpHandler.PREFIX)) {
            return verifier == null ? admin.handle(request, AdminHttpHandler.Authorizer.ANYONE) : verifiedAdmin(request, headers);
        }
        if (!request.method().equals(HttpMethods.POST)) {
            return CompletableFuture.completedFuture(unknownOperation404());
        }
        // Small bodies arrive strict; converting every entity with toStrict costs several times more.
        if (request.entity() instanceof HttpEntity.Strict strict) {
            return handle(request, headers, strict.getData(), started);
        }
        boolean expectsContinue = request.getHeader("Expect").map(expect -> expect.value().equalsIgnoreCase("100-continue")).orElse(false);
        MemoryBudget.Reservation reservation = memory.bodies().reservation();
        return StreamedBody.read(request.entity(), expectsContinue, STREAMED_BODY_TIMEOUT, reservation, materializer)
                .handle((body, failure) -> failure != null
                        ? CompletableFuture.completedFuture(refused(headers, reservation.waited()
                                // kept waiting for memory: the server's fault, and worth a retry (the SDKs retry a 500)
                                ? new DynamoException(ErrorCode.InternalServerError, "The server has no memory free for the request body now")
                                // cut off or too slow
                                : DynamoException.serialization("Unable to read the request body"), started))
                        : body.isEmpty()
                        ? CompletableFuture.completedFuture(refused(headers, GzipCoding.tooLarge(), started))
                        : handle(request, headers, body.get(), started))
                .thenCompose(response -> response)
                .whenComplete((response, failure) -> reservation.close());
    }

    /** DynamoDB's answer to a GET of /: "healthy: " and the host it was addressed as (ScyllaDB's tests, run against it). */
    private static byte[] healthLine(HttpRequest request) {
        String host = request.getHeader("Host").map(org.apache.pekko.http.javadsl.model.HttpHeader::value).orElse("");
        return ("healthy: " + host + " \n").getBytes(StandardCharsets.UTF_8);
    }

    /** Every X-Forwarded-For header's value, in order, joined with commas; null when there is none. */
    private static String forwardedFor(HttpRequest request) {
        StringBuilder hops = null;
        for (HttpHeader header : request.getHeaders()) {
            if (!header.is("x-forwarded-for")) continue;
            hops = hops == null ? new StringBuilder(header.value()) : hops.append(',').append(header.value());
        }
        return hops == null ? null : hops.toString();
    }

    /** The TCP peer's address; null when the server did not record it. */
    private static String sourceIp(HttpRequest request) {
        return request.getAttribute(AttributeKeys.remoteAddress).flatMap(RemoteAddress::getAddress)
                .map(java.net.InetAddress::getHostAddress).orElse(null);
    }

    private HttpResponse refused(RequestHeaders headers, DynamoException error, long started) {
        Route route = route(headers.target());
        return failed(route == null ? metrics.unknownOperation() : route.metrics(), started,
                WireProtocol.AMZ_JSON_1_0, error, headers.responseCoding());
    }

    private CompletionStage<HttpResponse> handle(HttpRequest request, RequestHeaders headers, ByteString body, long started) {
        MediaType mediaType = request.entity().getContentType().mediaType();
        boolean amzJson = mediaType.subType().equals("x-amz-json-1.0") && mediaType.mainType().equals("application");
        if (!body.isEmpty() && !amzJson && !mediaType.equals(MediaTypes.APPLICATION_JSON)) {
            return CompletableFuture.completedFuture(unknownOperation404());
        }
        ContentType responseType = amzJson || body.isEmpty() ? WireProtocol.AMZ_JSON_1_0 : WireProtocol.JSON;
        ResponseCoding coding = headers.responseCoding();
        // Known before any check, so that a request refused for its body still counts as its operation.
        Route route = route(headers.target());
        OperationMetrics measured = route == null ? metrics.unknownOperation() : route.metrics();
        long parsedSize;
        try {
            parsedSize = GzipCoding.parsedSize(headers.contentEncoding(), body);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(failed(measured, started, responseType, asDynamoException(e), coding));
        }
        if (verifier != null) {
            DynamoException refusal = signatureRefusal(request, headers, body, route, parsedSize);
            if (refusal != null) return CompletableFuture.completedFuture(failed(measured, started, responseType, refusal, coding));
        }
        // Reserved before the parse, and held until the answer: the tree and what the operation decodes from it live that long.
        MemoryBudget.Reservation reservation = memory.parsed().reservation();
        CompletionStage<HttpResponse> response;
        try {
            CompletableFuture<Void> granted = reservation.growTo(parsedSize).toCompletableFuture();
            response = granted.isDone()
                    ? handleParsed(request, headers, body, route, measured, responseType, started)
                    : granted.copy().orTimeout(memory.parseWait().toMillis(), TimeUnit.MILLISECONDS)
                            .handleAsync((ok, timedOut) -> timedOut == null
                                    ? handleParsed(request, headers, body, route, measured, responseType, started)
                                    : CompletableFuture.completedFuture(failed(measured, started, responseType,
                                            new DynamoException(ErrorCode.InternalServerError, "The server has no memory free for the request now"),
                                            coding)), materializer.executionContext())
                            .thenCompose(handled -> handled);
        } catch (Throwable e) {
            reservation.close();
            throw e;
        }
        return response.whenComplete((answered, failure) -> reservation.close());
    }

    private CompletionStage<HttpResponse> handleParsed(HttpRequest request, RequestHeaders headers, ByteString body, Route route,
                                                       OperationMetrics measured, ContentType responseType, long started) {
        ResponseCoding coding = headers.responseCoding();
        try {
            body = GzipCoding.decoded(headers.contentEncoding(), body);
            JsonNode json = body.isEmpty() ? null : parse(body);
            if (route == null) throw new DynamoException(ErrorCode.UnknownOperationException, null);
            // With credentials, the signature was verified before the parse (signatureRefusal).
            SigV4Authorization authorization = SigV4Authorization.parse(headers.authorization(), headers.signingDate());
            if (headers.target().startsWith(HttpReplicaLink.TARGET_PREFIX)) {
                // Replication writes items unchecked and changes tables: only another region's node, with its own key.
                String source = json == null ? null : json.path("SourceRegion").asText(null);
                String key = source == null ? null : regions.peer(source).map(ReplicaRegions.Peer::acceptKey).orElse(null);
                if (verifier != null && !authorization.accessKeyId().equals(key)) {
                    throw new DynamoException(ErrorCode.AccessDeniedException, "The access key " + authorization.accessKeyId()
                            + " is not the accept-key of region " + source + " in eddy.replication.regions: it may not call "
                            + headers.target());
                }
            } else if (policy != null) {
                policy.check(authorization.accessKeyId(), sourceIp(request),
                        forwardedFor(request),
                        headers.target().substring(headers.target().indexOf('.') + 1), json);
            }
            if (json == null) throw DynamoException.serialization("No content to map due to end-of-input");
            if (!json.isObject()) throw DynamoException.serialization("Start of list found where not expected");
            CompletionStage<byte[]> result;
            try {
                result = route.operation().handle(new RequestBody(json));
            } catch (RuntimeException | StackOverflowError e) {
                // Most validation fails before any future exists. A stack overflow (a recursion as deep as
                // some input) is this request's alone: escaping, Pekko would take it as fatal and stop the JVM.
                result = CompletableFuture.failedFuture(e);
            }
            return result.handle((bytes, failure) -> failure == null
                    ? succeeded(measured, started, WireProtocol.response(200, responseType, bytes, coding))
                    : failed(measured, started, responseType, asDynamoException(failure), coding));
        } catch (RuntimeException | StackOverflowError e) {
            return CompletableFuture.completedFuture(failed(measured, started, responseType, asDynamoException(e), coding));
        }
    }

    /**
     * With credentials configured, the signature is verified before the body is parsed, so that a
     * request not signed with a configured key never waits for parse memory nor builds a tree. What
     * DynamoDB reports before a bad signature still comes first: a body that is not JSON (found by
     * a pass over its tokens that builds nothing, within the parse budget if it has room for the
     * body's {@code parsedSize} now: the pass still holds names and strings one at a time; without
     * room, the pass is left out and the signature's refusal given), then an unknown operation.
     *
     * @return the refusal, or null for a request signed with a configured key
     */
    private DynamoException signatureRefusal(HttpRequest request, RequestHeaders headers, ByteString body, Route route, long parsedSize) {
        try {
            SigV4Authorization authorization = SigV4Authorization.parse(headers.authorization(), headers.signingDate());
            verifier.verify(authorization, headers.signingDate(), signed(request, body), Instant.now());
            return null;
        } catch (DynamoException refused) {
            MemoryBudget.Reservation reservation = memory.parsed().reservation();
            try {
                if (reservation.tryGrowTo(parsedSize)) checkSyntax(headers.contentEncoding(), body);
            } catch (DynamoException malformed) {
                return malformed;
            } finally {
                reservation.close();
            }
            return route == null ? new DynamoException(ErrorCode.UnknownOperationException, null) : refused;
        }
    }

    /** Reads the body's JSON value token by token, keeping none of it: {@link #parse}'s SerializationException for a body that is not JSON. */
    private static void checkSyntax(String contentEncoding, ByteString body) {
        if (body.isEmpty()) return;
        readingJson(body, () -> {
            // As long as the limit: a parser of its own, whose field names stay out of the table parses share.
            try (InputStream in = GzipCoding.decodedStream(contentEncoding, body);
                 JsonParser parser = RequestParsers.of(in, GzipCoding.MAX_REQUEST_BYTES)) {
                if (parser.nextToken() != null) parser.skipChildren();
            }
            return null;
        });
    }

    /** A read of a request body's JSON. */
    private interface JsonRead<T> {
        T read() throws java.io.IOException;
    }

    /**
     * Runs {@code read}, its failures answered as DynamoDB answers them: a SerializationException for
     * a body that is not JSON; an InternalServerError for a body the heap has no room for. The tree of
     * a body of many small tokens is many times its size: the parse budget keeps others from parsing
     * beside it, but on a small heap one alone may not fit (architecture.md, known gaps). Then this
     * request fails, and what it was building is garbage; escaping, Pekko would take the error for
     * fatal and stop the JVM.
     */
    private static <T> T readingJson(ByteString body, JsonRead<T> read) {
        try {
            return read.read();
        } catch (JsonProcessingException e) {
            throw DynamoException.serialization(e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw DynamoException.serialization("Unable to read request body");
        } catch (OutOfMemoryError e) {
            log.error("no heap left to read a request body of {} bytes", body.size());
            throw new DynamoException(ErrorCode.InternalServerError, "Internal server error");
        }
    }

    private static HttpResponse succeeded(OperationMetrics measured, long started, HttpResponse response) {
        measured.succeeded(started);
        return response;
    }

    private static HttpResponse failed(OperationMetrics measured, long started, ContentType responseType, DynamoException error,
                                       ResponseCoding coding) {
        HttpResponse response = WireProtocol.error(responseType, error, coding);
        measured.failed(error.code(), started);
        return response;
    }

    private static JsonNode parse(ByteString body) {
        return readingJson(body, () -> {
            // Jackson only reads the bytes: a body in one array of its own is parsed in place.
            try (JsonParser parser = body.isCompact() ? RequestParsers.of(body.toArrayUnsafe()) : RequestParsers.of(body.asInputStream(), body.size())) {
                JsonNode json = Json.MAPPER.readTree(parser);
                // A body of white space only: what readTree(byte[]) answers for it.
                return json == null ? MissingNode.getInstance() : json;
            }
        });
    }

    /**
     * With credentials configured, the admin endpoints (which make the node call out to URLs) take
     * SigV4-signed requests only, as {@code curl --aws-sigv4 "aws:amz:<region>:dynamodb" --user key:secret} sends,
     * and each needs its action in the signing key's permissions ({@link AdminHttpHandler}).
     */
    private CompletionStage<HttpResponse> verifiedAdmin(HttpRequest request, RequestHeaders headers) {
        return request.entity().toStrict(STREAMED_BODY_TIMEOUT.toMillis(), materializer).thenCompose(strict -> {
            SigV4Authorization authorization;
            try {
                authorization = SigV4Authorization.parse(headers.authorization(), headers.signingDate());
                verifier.verify(authorization, headers.signingDate(), signed(request, strict.getData()), Instant.now());
            } catch (DynamoException refused) {
                return CompletableFuture.completedFuture(WireProtocol.error(WireProtocol.AMZ_JSON_1_0, refused));
            }
            String peer = sourceIp(request);
            String forwardedFor = forwardedFor(request);
            return admin.handle(request.withEntity(strict), policy == null ? AdminHttpHandler.Authorizer.ANYONE
                    : (action, resource) -> policy.checkAdmin(authorization.accessKeyId(), peer, forwardedFor, action, resource));
        });
    }

    /** The request as SigV4 signed it: Pekko keeps Content-Type and Content-Length with the entity, not the headers. */
    private static SigV4Verifier.SignedRequest signed(HttpRequest request, ByteString body) {
        return new SigV4Verifier.SignedRequest(request.method().value(), request.getUri().getPathString(),
                request.getUri().rawQueryString().orElse(""), name -> {
                    // A header sent more than once is signed as its values joined by commas (SigV4's canonical form).
                    List<String> values = new ArrayList<>();
                    for (HttpHeader header : request.getHeaders()) {
                        if (header.lowercaseName().equals(name)) values.add(header.value().trim());
                    }
                    if (!values.isEmpty()) return String.join(",", values);
                    return switch (name) {
                        case "content-type" -> request.entity().getContentType().toString();
                        case "content-length" -> Integer.toString(body.size());
                        case "host" -> request.getUri().getHost().address()
                                + (request.getUri().getPort() > 0 ? ":" + request.getUri().getPort() : "");
                        default -> null;
                    };
                }, body);
    }

    /** The operation an X-Amz-Target names, null for none or one not served. */
    private Route route(String target) {
        return target == null ? null : routes.get(target);
    }

    private static DynamoException asDynamoException(Throwable failure) {
        Throwable cause = Failures.cause(failure);
        if (cause instanceof DynamoException e) return e;
        if (cause instanceof TimeoutException) {
            log.warn("request timed out: {}", cause.getMessage());
        } else {
            log.error("internal error", cause);
        }
        return new DynamoException(ErrorCode.InternalServerError, "Internal server error");
    }

    /** What DynamoDB sends for a request that is not a JSON POST. */
    private static HttpResponse unknownOperation404() {
        return WireProtocol.response(404, ContentTypes.TEXT_XML_UTF8,
                "<UnknownOperationException/>\n".getBytes(StandardCharsets.UTF_8));
    }
}
