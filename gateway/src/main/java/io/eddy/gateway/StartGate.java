package io.eddy.gateway;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/**
 * The HTTP handler of a node that is still starting. The server is bound early, while the cluster
 * forms and the catalog recovers; a request that arrives before the node serves waits here for the
 * real handler, so none is answered (say, "table not found") before the catalog knows every
 * durable table. Once open, requests go straight through.
 */
final class StartGate implements Function<HttpRequest, CompletionStage<HttpResponse>> {

    private final CompletableFuture<Function<HttpRequest, CompletionStage<HttpResponse>>> opened = new CompletableFuture<>();

    /** Lets the waiting requests and every later one through to {@code handler}. */
    void open(Function<HttpRequest, CompletionStage<HttpResponse>> handler) {
        opened.complete(handler);
    }

    @Override
    public CompletionStage<HttpResponse> apply(HttpRequest request) {
        Function<HttpRequest, CompletionStage<HttpResponse>> open = opened.getNow(null);
        return open != null ? open.apply(request) : opened.thenCompose(h -> h.apply(request));
    }
}
