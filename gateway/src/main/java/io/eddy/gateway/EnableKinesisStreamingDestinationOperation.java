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

        node.tableForControl(request.string("TableName"));
        String name = node.changeableName(request.string("TableName"));
        return node.shards().updateTable(name, current -> {
            NodeContext.refuseWhileDeleting(current);
            return KinesisDestinations.enabled(current, arn, precision);
        }).thenApply(updated -> Json.object(g -> {
            g.writeStringField("TableName", updated.name());
            g.writeStringField("StreamArn", arn);
            g.writeStringField("DestinationStatus", KinesisDestinations.ENABLING);
            g.writeObjectFieldStart("EnableKinesisStreamingConfiguration");
            if (precision != null) g.writeStringField("ApproximateCreationDateTimePrecision", precision);
            g.writeEndObject();
        }));
    }
}
