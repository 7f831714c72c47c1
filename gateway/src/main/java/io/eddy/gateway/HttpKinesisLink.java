package io.eddy.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import io.eddy.streams.KinesisLink;
import io.eddy.streams.KinesisLink.Refused;
import java.net.URI;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.ConnectionContext;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.HttpsConnectionContext;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.headers.Host;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.settings.ConnectionPoolSettings;
import org.apache.pekko.stream.Materializer;

/**
 * Kinesis Data Streams over its JSON protocol (X-Amz-Target Kinesis_20131202.*) at the configured
 * endpoint ({@code eddy.kinesis.endpoint}: Kinesis itself, or a compatible server such as
 * kinesalite or LocalStack), signed with the configured key for the stream ARN's region. Streams
 * are named by the name in their ARN, which every Kinesis-compatible server takes.
 */
final class HttpKinesisLink implements KinesisLink {

    private static final String TARGET_PREFIX = "Kinesis_20131202.";
    private static final ContentType AMZ_JSON_1_1 = ContentTypes.create(MediaTypes.applicationBinary("x-amz-json-1.1", false));
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    private static final Pattern STREAM_ARN = Pattern.compile("arn:[^:]+:kinesis:([^:]+):[^:]*:stream/(.+)");

    private final ActorSystem<?> system;
    private final Materializer materializer;
    private final URI endpoint;
    private final String accessKeyId;
    private final String secretAccessKey;
    private final Duration timeout;
    private final ConnectionPoolSettings pool;
    private final Optional<HttpsConnectionContext> https;

    private HttpKinesisLink(ActorSystem<?> system, URI endpoint, String accessKeyId, String secretAccessKey, Duration timeout,
                            Optional<SSLContext> tls) {
        this.system = system;
        this.materializer = Materializer.matFromSystem(system);
        this.endpoint = endpoint;
        this.accessKeyId = accessKeyId;
        this.secretAccessKey = secretAccessKey;
        this.timeout = timeout;
        // Every feed (a destination's share of a partition) has one call in flight at most: room for many.
        this.pool = ConnectionPoolSettings.create(system.classicSystem()).withMaxRetries(0)
                .withMaxConnections(16).withMaxOpenRequests(1024)
                .withMaxConnectionBackoff(Duration.ofSeconds(5));
        this.https = tls.map(ConnectionContext::httpsClient);
    }

    /**
     * The endpoint {@code eddy.kinesis} names; empty when it names none (then Eddy streams to no Kinesis).
     *
     * @throws IllegalArgumentException when it is not an http or https URL with a host
     */
    static Optional<URI> endpoint(Config kinesis) {
        String endpoint = kinesis.getString("endpoint");
        if (endpoint.isEmpty()) return Optional.empty();
        URI uri;
        try {
            uri = URI.create(endpoint);
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri == null || uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                || uri.getRawUserInfo() != null || !(uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))
                || uri.getRawQuery() != null) {
            throw new IllegalArgumentException("eddy.kinesis.endpoint must be an http or https URL of a host, with no path, such as "
                    + "https://kinesis.us-east-1.amazonaws.com or http://127.0.0.1:4567: " + endpoint);
        }
        return Optional.of(uri);
    }

    /** The link to {@code endpoint}, signing with {@code eddy.kinesis}'s key when it has one. */
    static HttpKinesisLink of(ActorSystem<?> system, URI endpoint, Config kinesis, Optional<SSLContext> tls) {
        String key = kinesis.getString("access-key-id");
        return new HttpKinesisLink(system, endpoint, key.isEmpty() ? null : key, kinesis.getString("secret-access-key"),
                kinesis.getDuration("request-timeout"), tls);
    }

    @Override
    public CompletionStage<Void> check(String streamArn) {
        Matcher arn = STREAM_ARN.matcher(streamArn);
        if (!arn.matches()) return CompletableFuture.failedFuture(new Refused("Not a Kinesis data stream ARN: " + streamArn));
        return call(arn.group(1), "DescribeStreamSummary", Json.object(g -> g.writeStringField("StreamName", arn.group(2))))
                .thenAccept(answer -> {
                    String status = answer.path("StreamDescriptionSummary").path("StreamStatus").asText();
                    if (!status.equals("ACTIVE") && !status.equals("UPDATING")) {
                        throw new Refused("Kinesis stream " + arn.group(2) + " is " + status + ", not ACTIVE");
                    }
                });
    }

    @Override
    public CompletionStage<List<Integer>> putRecords(String streamArn, List<Record> records) {
        Matcher arn = STREAM_ARN.matcher(streamArn);
        if (!arn.matches()) return CompletableFuture.failedFuture(new Refused("Not a Kinesis data stream ARN: " + streamArn));
        Base64.Encoder base64 = Base64.getEncoder();
        return call(arn.group(1), "PutRecords", Json.object(g -> {
            g.writeStringField("StreamName", arn.group(2));
            g.writeArrayFieldStart("Records");
            for (Record record : records) {
                g.writeStartObject();
                g.writeStringField("Data", base64.encodeToString(record.data()));
                g.writeStringField("PartitionKey", record.partitionKey());
                g.writeEndObject();
            }
            g.writeEndArray();
        })).thenApply(answer -> {
            List<Integer> refused = new ArrayList<>();
            JsonNode results = answer.path("Records");
            if (!results.isArray()) throw new IllegalStateException("PutRecords answered without Records: " + answer);
            for (int i = 0; i < records.size(); i++) {
                if (!results.has(i) || results.get(i).hasNonNull("ErrorCode")) refused.add(i);
            }
            return refused;
        });
    }

    /** One Kinesis call; completes with its answer, or fails with Kinesis's error ({@link Refused}: its type and message). */
    private CompletionStage<JsonNode> call(String region, String operation, byte[] body) {
        String target = TARGET_PREFIX + operation;
        String amzDate = ZonedDateTime.now(ZoneOffset.UTC).format(AMZ_DATE);
        Host host = endpoint.getPort() == -1 ? Host.create(endpoint.getHost()) : Host.create(endpoint.getHost(), endpoint.getPort());
        HttpRequest request = HttpRequest.POST(endpoint.resolve("/").toString())
                .withHeaders(List.of(host, RawHeader.create("X-Amz-Target", target), RawHeader.create("X-Amz-Date", amzDate),
                        RawHeader.create("Authorization", SigV4Verifier.authorizationOf(accessKeyId, secretAccessKey, region, "kinesis",
                                amzDate, endpoint.getRawAuthority(), target, body))))
                .withEntity(AMZ_JSON_1_1, body);
        return Http.get(system).singleRequest(request, https.orElseGet(() -> Http.get(system).defaultClientHttpsContext()), pool,
                        system.classicSystem().log())
                .thenCompose(response -> response.entity().toStrict(timeout.toMillis(), materializer).thenApply(strict -> {
                    JsonNode answer = HttpReplicaLink.readAnswer(strict.getData().toArray());
                    if (response.status().intValue() != 200) {
                        String type = answer.path("__type").asText("HTTP " + response.status().intValue());
                        String message = answer.has("message") ? answer.path("message").asText() : answer.path("Message").asText("");
                        // A throttled or failing Kinesis is not a refusal of the stream: asked again.
                        if (response.status().intValue() >= 500 || type.endsWith("LimitExceededException") || type.contains("Throttling")) {
                            throw new IllegalStateException(type.substring(type.indexOf('#') + 1) + ": " + message);
                        }
                        throw new Refused(type.substring(type.indexOf('#') + 1) + ": " + message);
                    }
                    return answer;
                }))
                .toCompletableFuture().orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
