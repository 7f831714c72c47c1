package io.eddy.gateway;

import io.eddy.model.TableOptions.KinesisDestination;
import java.util.concurrent.CompletionStage;

/**
 * EnableKinesisStreamingDestination: recorded in the catalog, and answered ENABLING as DynamoDB
 * answers before it has tried the stream. With a Kinesis endpoint configured, the node's
 * deliveries then try the stream ({@code io.eddy.streams.KinesisDeliveries}); without one, the
 * destination is ENABLE_FAILED at once ({@link KinesisDestinations}).
 */
final class EnableKinesisStreamingDestinationOperation implements Operation {

    private final NodeContext node;
    private final boolean kinesisConfigured;

    EnableKinesisStreamingDestinationOperation(NodeContext node, boolean kinesisConfigured) {
        this.node = node;
        this.kinesisConfigured = kinesisConfigured;
    }

    @Override
    public CompletionStage<byte[]> handle(RequestBody request) {
        Constraints c = new Constraints();
        String arn = KinesisDestinations.streamArn(request, c);
        String precision = KinesisDestinations.precision(request, "EnableKinesisStreamingConfiguration", c);
        c.throwIfAny();

        return KinesisDestinations.change(node, request.string("TableName"), arn, current -> KinesisDestinations.enabled(current, arn, precision, kinesisConfigured),
                KinesisDestination.ENABLING, "EnableKinesisStreamingConfiguration", precision);
    }
}
