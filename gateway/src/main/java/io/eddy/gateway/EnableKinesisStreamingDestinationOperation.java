package io.eddy.gateway;

import java.util.concurrent.CompletionStage;

/**
 * EnableKinesisStreamingDestination: recorded in the catalog, and answered ENABLING as DynamoDB
 * answers before it has tried the stream; the destination is then ENABLE_FAILED, since Eddy has
 * no Kinesis to stream to ({@link KinesisDestinations}).
 */
final class EnableKinesisStreamingDestinationOperation implements Operation {

    private final NodeContext node;

    EnableKinesisStreamingDestinationOperation(NodeContext node) {
        this.node = node;
    }

    @Override
    public CompletionStage<byte[]> handle(RequestBody request) {
        Constraints c = new Constraints();
        String arn = KinesisDestinations.streamArn(request, c);
        String precision = KinesisDestinations.precision(request, "EnableKinesisStreamingConfiguration", c);
        c.throwIfAny();

        return KinesisDestinations.change(node, request.string("TableName"), arn, current -> KinesisDestinations.enabled(current, arn, precision),
                KinesisDestinations.ENABLING, "EnableKinesisStreamingConfiguration", precision);
    }
}
