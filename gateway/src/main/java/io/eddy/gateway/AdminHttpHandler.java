package io.eddy.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eddy.streams.TriggerSpec;
import io.eddy.streams.Triggers;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.stream.Materializer;

/**
 * The admin API of triggers, under {@code /admin/triggers}: GET lists them with their state,
 * {@code PUT /admin/triggers/NAME} creates or replaces one from a JSON body, GET and DELETE of
 * {@code /admin/triggers/NAME} show and remove one. Not part of DynamoDB's API.
 */
final class AdminHttpHandler {

    static final String PREFIX = "/admin/";
    private static final String TRIGGERS = "/admin/triggers";
    private static final long BODY_TIMEOUT_MS = 10_000;

    private final Triggers triggers;
    private final Materializer materializer;

    AdminHttpHandler(Triggers triggers, Materializer materializer) {
        this.triggers = triggers;
        this.materializer = materializer;
    }

    CompletionStage<HttpResponse> handle(HttpRequest request) {
        String path = request.getUri().path();
        if (path.equals(TRIGGERS) || path.equals(TRIGGERS + "/")) {
            if (!request.method().equals(HttpMethods.GET)) return done(json(405, Triggers.error("use GET, or PUT/DELETE on " + TRIGGERS + "/NAME")));
            return done(json(200, Json.MAPPER.createObjectNode().set("Triggers", Json.MAPPER.valueToTree(triggers.list()))));
        }
        if (!path.startsWith(TRIGGERS + "/")) return done(json(404, Triggers.error("no such admin resource: " + path)));
        String name = path.substring(TRIGGERS.length() + 1);
        if (request.method().equals(HttpMethods.GET)) {
            Optional<ObjectNode> status = triggers.status(name);
            return done(status.map(s -> json(200, s)).orElseGet(() -> json(404, Triggers.error("no trigger " + name))));
        }
        if (request.method().equals(HttpMethods.DELETE)) {
            return done(triggers.delete(name) ? json(200, Triggers.error("deleted " + name)) : json(404, Triggers.error("no trigger " + name)));
        }
        if (request.method().equals(HttpMethods.PUT)) {
            return request.entity().toStrict(BODY_TIMEOUT_MS, materializer).thenApply(body -> {
                try {
                    JsonNode spec = Json.MAPPER.readTree(body.getData().toArray());
                    TriggerSpec created = triggers.create(TriggerSpec.fromJson(name, spec));
                    return json(200, triggers.status(created.name()).orElse(created.toJson()));
                } catch (IOException e) {
                    return json(400, Triggers.error("malformed JSON: " + e.getMessage()));
                } catch (IllegalArgumentException e) {
                    return json(400, Triggers.error(e.getMessage()));
                }
            });
        }
        return done(json(405, Triggers.error("use GET, PUT or DELETE")));
    }

    private static CompletionStage<HttpResponse> done(HttpResponse response) {
        return CompletableFuture.completedFuture(response);
    }

    private static HttpResponse json(int status, JsonNode body) {
        try {
            return WireProtocol.response(status, ContentTypes.APPLICATION_JSON, Json.MAPPER.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
