package io.eddy.gateway;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eddy.model.AttributeValueJson;
import io.eddy.model.DynamoException;
import io.eddy.model.ErrorCode;
import io.eddy.model.SharedSettingsVersion;
import io.eddy.model.TableMetadata;
import io.eddy.model.TableOptions;
import io.eddy.model.TableOptions.Replica;
import io.eddy.model.TableOptions.ReplicaStatus;
import io.eddy.model.TimeToLive;
import io.eddy.streams.ReplicaLink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import javax.net.ssl.SSLContext;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.ConnectionContext;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.HttpsConnectionContext;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.headers.Host;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.settings.ConnectionPoolSettings;
import org.apache.pekko.stream.Materializer;

/**
 * The node's requests to the replicas of its global tables in other regions: Eddy's replication
 * operations ({@link #TARGET_PREFIX}), on the other node's DynamoDB endpoint, SigV4-signed with the
 * key configured for that region. A refusal there comes back as the same {@link DynamoException}.
 */
final class HttpReplicaLink implements ReplicaLink {

    /** The X-Amz-Target prefix of the operations nodes call on each other for global tables. */
    static final String TARGET_PREFIX = "EddyReplication_20261202.";
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

    private final ActorSystem<?> system;
    private final Materializer materializer;
    private final ReplicaRegions regions;
    private final Duration timeout;
    private final ConnectionPoolSettings pool;
    /** eddy.client-tls's context; empty: Pekko's default, built when first needed (it reads the CA certificates). */
    private final Optional<HttpsConnectionContext> https;

    HttpReplicaLink(ActorSystem<?> system, ReplicaRegions regions, Duration timeout, Optional<SSLContext> tls) {
        this.system = system;
        this.https = tls.map(ConnectionContext::httpsClient);
        // The pool waits longer after each failed connection; capped, so a region back up is reached again soon.
        this.pool = ConnectionPoolSettings.create(system.classicSystem()).withMaxRetries(0)
                .withMaxConnectionBackoff(Duration.ofSeconds(5));
        this.materializer = Materializer.matFromSystem(system);
        this.regions = regions;
        this.timeout = timeout;
        // Once the feeds and announcements have stopped (service-stop), the pools close before the actor system
        // goes: a pool still open then is torn down under it, which Pekko HTTP logs as an error.
        CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(), "close-replica-pools",
                () -> Http.get(system).shutdownAllConnectionPools().thenApply(closed -> Done.getInstance()));
    }

    @Override
    public CompletionStage<Void> replicate(String region, TableMetadata table, List<ReplicatedChange> changes) {
        return call(region, "ReplicateItems", Json.object(g -> {
            g.writeStringField("TableName", table.name());
            g.writeStringField("SourceRegion", regions.localRegion());
            g.writeArrayFieldStart("Changes");
            for (ReplicatedChange change : changes) {
                g.writeStartObject();
                g.writeFieldName("Key");
                AttributeValueJson.writeItem(g, change.key());
                if (change.item().isPresent()) {
                    g.writeFieldName("Item");
                    AttributeValueJson.writeItem(g, change.item().get());
                }
                g.writeNumberField("VersionTime", change.version().timestampMicros());
                g.writeStringField("VersionRegion", change.version().region());
                g.writeEndObject();
            }
            g.writeEndArray();
        })).thenApply(answer -> null);
    }

    @Override
    public CompletionStage<Void> activate(String region, TableMetadata view) {
        return call(region, "UpdateReplicas", viewRequest(view)).thenApply(answer -> null);
    }

    /**
     * Asks the node of {@code region} to create the table's replica, CREATING, to be seeded from
     * here; {@code view} is the table with that replica's entry, which the new replica starts from.
     */
    CompletionStage<Void> createReplica(String region, TableMetadata view, ObjectNode createTable, String creationId) {
        return call(region, "CreateTableReplica", Json.object(g -> {
            g.writeStringField("TableName", view.name());
            g.writeStringField("SourceRegion", regions.localRegion());
            g.writeStringField("CreationId", creationId);
            g.writeFieldName("CreateTable");
            Json.MAPPER.writeTree(g, createTable);
            writeView(g, view);
        })).handle((answer, failure) -> answered(region, failure));
    }

    /**
     * Asks the node of {@code region}, another replica, to delete this region's replica of the
     * table, as UpdateTable ReplicaUpdates Delete naming this region would there: that node then
     * deletes the table here ({@link #remove}) and tells the others. DeleteTable of a global table.
     * Completes with what that node does ({@link RemoveReplicaOperation.Answer}).
     */
    CompletionStage<RemoveReplicaOperation.Answer> leave(String region, TableMetadata table) {
        return call(region, "RemoveReplica", Json.object(g -> {
            g.writeStringField("TableName", table.name());
            g.writeStringField("SourceRegion", regions.localRegion());
        })).thenApply(answer -> RemoveReplicaOperation.Answer.valueOf(answer.path("Answer").asText()));
    }

    /**
     * Sends the node of {@code region} a ReplicaUpdates Update action naming it, which it makes on
     * its replica of the table ({@code UpdateReplica}).
     */
    CompletionStage<Void> updateReplica(String region, TableMetadata table, JsonNode action) {
        return call(region, "UpdateReplica", Json.object(g -> {
            g.writeStringField("TableName", table.name());
            g.writeStringField("SourceRegion", regions.localRegion());
            g.writeFieldName("Update");
            Json.MAPPER.writeTree(g, action);
        })).handle((answer, failure) -> answered(region, failure));
    }

    /** A request a user waits on: the other node's refusal as it is, a region that cannot be reached as a bad request. */
    private Void answered(String region, Throwable failure) {
        if (failure == null) return null;
        if (Failures.cause(failure) instanceof DynamoException refused) throw refused;
        throw unreachable(region);
    }

    /** Refused as a bad request, not a 500: a client would only retry it in vain. */
    DynamoException unreachable(String region) {
        return DynamoException.validation("The replica region " + region + " could not be reached at "
                + regions.peer(region).map(peer -> peer.endpoint().toString()).orElse("?"));
    }

    @Override
    public CompletionStage<Void> remove(String region, TableMetadata table) {
        return call(region, "DeleteTableReplica", Json.object(g -> {
            g.writeStringField("TableName", table.name());
            g.writeStringField("SourceRegion", regions.localRegion());
        })).thenApply(deleted -> null);
    }

    @Override
    public CompletionStage<Void> announce(TableMetadata table) {
        byte[] body = viewRequest(table);
        List<CompletableFuture<String>> calls = new ArrayList<>();
        for (Replica member : table.options().replicas()) {
            if (member.status() == ReplicaStatus.DELETING) continue; // being deleted: nothing it needs to know
            calls.add(call(member.regionName(), "UpdateReplicas", body).handle((answer, failure) ->
                    failure == null ? null : member.regionName() + " (" + Failures.cause(failure) + ")").toCompletableFuture());
        }
        return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).thenApply(all -> {
            List<String> missed = calls.stream().map(CompletableFuture::join).filter(java.util.Objects::nonNull).toList();
            if (!missed.isEmpty()) throw new IllegalStateException("not reached: " + String.join(", ", missed));
            return null;
        });
    }

    private byte[] viewRequest(TableMetadata view) {
        return Json.object(g -> {
            g.writeStringField("TableName", view.name());
            g.writeStringField("SourceRegion", regions.localRegion());
            writeView(g, view);
        });
    }

    /**
     * What the replicas share, as {@code ReplicaMembers} and {@code ReplicaIndexes} read it: every
     * region's entry (this one's, ACTIVE, first), the removed replicas, the TTL setting and the
     * global indexes, each with its version.
     */
    private void writeView(JsonGenerator g, TableMetadata view) throws IOException {
        g.writeArrayFieldStart("Replicas");
        writeEntry(g, regions.localRegion(), ReplicaStatus.ACTIVE.name(), SharedSettingsVersion.NONE,
                TableOptions.ReplicaSettings.of(view.options()));
        for (Replica replica : view.options().replicas()) {
            writeEntry(g, replica.regionName(), replica.status().name(), replica.version(), replica.settings());
        }
        g.writeEndArray();
        g.writeArrayFieldStart("RemovedReplicas");
        for (TableOptions.RemovedReplica removed : view.options().removedReplicas()) {
            writeEntry(g, removed.regionName(), null, removed.version(), null);
        }
        g.writeEndArray();
        TimeToLive ttl = view.options().timeToLive();
        g.writeObjectFieldStart("TimeToLive");
        if (ttl.attributeName() != null) g.writeStringField("AttributeName", ttl.attributeName());
        if (ttl.lastUpdateMillis() != null) g.writeNumberField("LastUpdateMillis", ttl.lastUpdateMillis());
        ReplicaMembers.writeVersion(g, ttl.version());
        g.writeEndObject();
        ReplicaIndexes.write(g, view);
    }

    private static void writeEntry(JsonGenerator g, String region, String status, SharedSettingsVersion version,
                                   TableOptions.ReplicaSettings settings) throws IOException {
        g.writeStartObject();
        g.writeStringField("RegionName", region);
        if (status != null) g.writeStringField("ReplicaStatus", status);
        ReplicaMembers.writeVersion(g, version);
        if (settings != null) ReplicaMembers.writeSettings(g, settings);
        g.writeEndObject();
    }

    /** Calls a replication operation on the node of {@code region}; completes with its answer, or fails with its error. */
    private CompletionStage<JsonNode> call(String region, String operation, byte[] body) {
        ReplicaRegions.Peer peer = regions.peer(region).orElse(null);
        if (peer == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("no endpoint configured for region " + region));
        }
        String host = peer.endpoint().getRawAuthority();
        String target = TARGET_PREFIX + operation;
        String amzDate = ZonedDateTime.now(ZoneOffset.UTC).format(AMZ_DATE);
        // The Host header as signed: the endpoint's authority, with its port only if it names one.
        Host hostHeader = peer.endpoint().getPort() == -1 ? Host.create(peer.endpoint().getHost())
                : Host.create(peer.endpoint().getHost(), peer.endpoint().getPort());
        List<HttpHeader> headers = new ArrayList<>(List.of(hostHeader,
                RawHeader.create("X-Amz-Target", target), RawHeader.create("X-Amz-Date", amzDate)));
        headers.add(RawHeader.create("Authorization", SigV4Verifier.authorizationOf(peer.accessKeyId(), peer.secretAccessKey(), region,
                "dynamodb", amzDate, host, target, body)));
        HttpRequest request = HttpRequest.POST(peer.endpoint().resolve("/").toString()).withHeaders(headers)
                .withEntity(WireProtocol.AMZ_JSON_1_0, body);
        // No retries in the connection pool: a replica that cannot be reached is tried again by its feed.
        return Http.get(system).singleRequest(request, https.orElseGet(() -> Http.get(system).defaultClientHttpsContext()), pool,
                        system.classicSystem().log())
                .thenCompose(response -> response.entity().toStrict(timeout.toMillis(), materializer)
                        .thenApply(strict -> {
                            JsonNode answer = readAnswer(strict.getData().toArray());
                            if (response.status().intValue() != 200) throw refusal(answer, response.status().intValue());
                            return answer;
                        }))
                .toCompletableFuture().orTimeout(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** A JSON answer, or its text as the message of one when it is not JSON. */
    static JsonNode readAnswer(byte[] bytes) {
        try {
            return Json.MAPPER.readTree(bytes);
        } catch (IOException e) {
            return Json.MAPPER.createObjectNode().put("message", new String(bytes, StandardCharsets.UTF_8));
        }
    }

    /** The other node's error as the same DynamoException; one of no known type fails plainly. */
    private static RuntimeException refusal(JsonNode answer, int status) {
        String type = answer.path("__type").asText("");
        String code = type.substring(type.indexOf('#') + 1);
        String message = answer.has("message") ? answer.path("message").asText() : answer.path("Message").asText(null);
        for (ErrorCode known : ErrorCode.values()) {
            if (known.name().equals(code)) return new DynamoException(known, message);
        }
        return new IllegalStateException("replica answered HTTP " + status + ": " + answer);
    }
}
