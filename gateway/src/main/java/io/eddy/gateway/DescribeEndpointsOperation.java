package io.eddy.gateway;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * DescribeEndpoints: the address clients should send requests to (for endpoint discovery), which
 * is this node's own host and port, cached for a day as DynamoDB advises.
 */
final class DescribeEndpointsOperation implements Operation {

    static final long CACHE_PERIOD_MINUTES = 1440;

    private final Supplier<String> address;

    /** @param address the node's {@code host:port}, known once the server is bound */
    DescribeEndpointsOperation(Supplier<String> address) {
        this.address = address;
    }

    @Override
    public CompletionStage<byte[]> handle(RequestBody request) {
        return CompletableFuture.completedFuture(Json.object(g -> {
            g.writeArrayFieldStart("Endpoints");
            g.writeStartObject();
            g.writeStringField("Address", address.get());
            g.writeNumberField("CachePeriodInMinutes", CACHE_PERIOD_MINUTES);
            g.writeEndObject();
            g.writeEndArray();
        }));
    }
}
