package io.eddy.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eddy.streams.TriggerSpec;
import io.eddy.streams.Triggers;
import java.io.IOException;
import java.util.List;
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
 * {@code /admin/triggers/NAME} show and remove one. And what CloudWatch would show of a Contributor
 * Insights rule: {@code GET /admin/contributor-insights/RULE?minutes=60&max=10}, its top keys
 * ({@link KeyContributors#report}). Not part of DynamoDB's API.
 *
 * <p>With credentials, each call needs an action of the signing key's permissions: Eddy's own
 * {@code eddy:ListTriggers} (the list holds the triggers of the tables it is allowed on),
 * {@code eddy:GetTrigger}, {@code eddy:PutTrigger} and {@code eddy:DeleteTrigger} (on the
 * trigger's table, or on {@code table/*} for a trigger that does not exist, so that a refusal
 * does not tell a missing trigger from a forbidden one; a trigger sends its table's stream to a
 * URL, so grant PutTrigger as you would the stream's GetRecords), and DynamoDB's
 * {@code dynamodb:DescribeContributorInsights} on the rule's table or index.
 */
final class AdminHttpHandler {

    /** Whether the request's key may perform an action on a resource. */
    interface Authorizer {
        /** @throws io.eddy.model.DynamoException AccessDeniedException when it may not */
        void check(String action, String resource);

        Authorizer ANYONE = (action, resource) -> { };
    }

    static final String PREFIX = "/admin/";
    private static final String TRIGGERS = "/admin/triggers";
    private static final String INSIGHTS = "/admin/contributor-insights/";
    private static final int MAX_CONTRIBUTORS = 100;
    private static final long BODY_TIMEOUT_MS = 10_000;

    private final Triggers triggers;
    private final Materializer materializer;
    private final NodeContext node;

    AdminHttpHandler(Triggers triggers, Materializer materializer, NodeContext node) {
        this.triggers = triggers;
        this.materializer = materializer;
        this.node = node;
    }

    CompletionStage<HttpResponse> handle(HttpRequest request, Authorizer authorizer) {
        try {
            return route(request, authorizer);
        } catch (io.eddy.model.DynamoException refused) {
            return done(json(403, Triggers.error(refused.getMessage())));
        }
    }

    private CompletionStage<HttpResponse> route(HttpRequest request, Authorizer authorizer) {
        String path = request.getUri().path();
        if (path.startsWith(INSIGHTS)) return done(insights(request, path.substring(INSIGHTS.length()), authorizer));
        if (path.equals(TRIGGERS) || path.equals(TRIGGERS + "/")) {
            if (!request.method().equals(HttpMethods.GET)) return done(json(405, Triggers.error("use GET, or PUT/DELETE on " + TRIGGERS + "/NAME")));
            List<ObjectNode> listed = triggers.list().stream().filter(trigger -> allowed(authorizer, "eddy:ListTriggers",
                    tableArn(trigger.path("table").asText()))).toList();
            return done(json(200, Json.MAPPER.createObjectNode().set("Triggers", Json.MAPPER.valueToTree(listed))));
        }
        if (!path.startsWith(TRIGGERS + "/")) return done(json(404, Triggers.error("no such admin resource: " + path)));
        String name = path.substring(TRIGGERS.length() + 1);
        if (request.method().equals(HttpMethods.GET)) {
            Optional<ObjectNode> existing = triggers.status(name);
            authorizer.check("eddy:GetTrigger", triggerTableArn(existing));
            return done(existing.map(s -> json(200, s)).orElseGet(() -> json(404, Triggers.error("no trigger " + name))));
        }
        if (request.method().equals(HttpMethods.DELETE)) {
            // Checked and deleted under the triggers' lock, so that it is the trigger checked that goes.
            synchronized (triggers) {
                authorizer.check("eddy:DeleteTrigger", triggerTableArn(triggers.status(name)));
                return done(triggers.delete(name) ? json(200, Triggers.error("deleted " + name)) : json(404, Triggers.error("no trigger " + name)));
            }
        }
        if (request.method().equals(HttpMethods.PUT)) {
            return request.entity().toStrict(BODY_TIMEOUT_MS, materializer).thenApply(body -> {
                try {
                    JsonNode json = Json.MAPPER.readTree(body.getData().toArray());
                    TriggerSpec spec = TriggerSpec.fromJson(name, json);
                    TriggerSpec created;
                    synchronized (triggers) {
                        authorizer.check("eddy:PutTrigger", tableArn(spec.table()));
                        // Replacing a trigger of another table changes that table's trigger too.
                        Optional<ObjectNode> existing = triggers.status(name);
                        if (existing.isPresent()) authorizer.check("eddy:PutTrigger", triggerTableArn(existing));
                        created = triggers.create(spec);
                    }
                    return json(200, triggers.status(created.name()).orElse(created.toJson()));
                } catch (IOException e) {
                    return json(400, Triggers.error("malformed JSON: " + e.getMessage()));
                } catch (IllegalArgumentException e) {
                    return json(400, Triggers.error(e.getMessage()));
                } catch (io.eddy.model.DynamoException refused) {
                    return json(403, Triggers.error(refused.getMessage()));
                }
            });
        }
        return done(json(405, Triggers.error("use GET, PUT or DELETE")));
    }

    private String tableArn(String table) {
        return TableArns.arn(node.region(), node.accountId(), table);
    }

    /** The table of a trigger, or every table for one that does not exist. */
    private String triggerTableArn(Optional<ObjectNode> trigger) {
        return tableArn(trigger.map(status -> status.path("table").asText()).orElse("*"));
    }

    private static boolean allowed(Authorizer authorizer, String action, String resource) {
        try {
            authorizer.check(action, resource);
            return true;
        } catch (io.eddy.model.DynamoException refused) {
            return false;
        }
    }

    /** A Contributor Insights rule's report over the last {@code minutes} (1 to 60), its top {@code max} (1 to {@link #MAX_CONTRIBUTORS}) keys. */
    private HttpResponse insights(HttpRequest request, String rule, Authorizer authorizer) {
        if (!request.method().equals(HttpMethods.GET)) return json(405, Triggers.error("use GET"));
        java.util.Collection<io.eddy.model.TableMetadata> tables = node.shards().tables().all().values();
        node.contributors().owner(tables, rule).ifPresent(owner -> authorizer.check(
                "dynamodb:DescribeContributorInsights", owner.index() == null ? node.tableArn(owner.table())
                        : TableArns.indexArn(node.region(), node.accountId(), owner.table().name(), owner.index().name())));
        int minutes;
        int max;
        try {
            minutes = Integer.parseInt(request.getUri().query().get("minutes").orElse("60"));
            max = Integer.parseInt(request.getUri().query().get("max").orElse("10"));
        } catch (NumberFormatException e) {
            return json(400, Triggers.error("minutes and max must be whole numbers"));
        }
        if (minutes < 1 || minutes > KeyContributors.MINUTES || max < 1 || max > MAX_CONTRIBUTORS) {
            return json(400, Triggers.error("minutes must be 1 to " + KeyContributors.MINUTES + ", max 1 to " + MAX_CONTRIBUTORS));
        }
        return node.contributors().report(tables, rule, minutes, max)
                .map(report -> json(200, report))
                .orElseGet(() -> json(404, Triggers.error("no enabled Contributor Insights rule " + rule)));
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
