package io.eddy.gateway;

import io.eddy.model.DynamoException;
import io.eddy.model.TableOptions.KinesisDestination;
import java.util.concurrent.CompletionStage;

/**
 * UpdateKinesisStreamingDestination: a new ApproximateCreationDateTimePrecision for an ACTIVE
 * destination (none is ACTIVE in Eddy, which has no Kinesis: {@link KinesisDestinations}).
 */
final class UpdateKinesisStreamingDestinationOperation implements Operation {

    private final NodeContext node;

    UpdateKinesisStreamingDestinationOperation(NodeContext node) {
        this.node = node;
    }

    @Override
    public CompletionStage<byte[]> handle(RequestBody request) {
        Constraints c = new Constraints();
        String arn = KinesisDestinations.streamArn(request, c);
        String precision = KinesisDestinations.precision(request, "UpdateKinesisStreamingConfiguration", c);
        c.throwIfAny();

        if (precision == null) {
            throw DynamoException.validation("Streaming destination cannot be updated with given parameters: "
                    + "UpdateKinesisStreamingConfiguration cannot be null or contain only null values");
        }
        node.tableForControl(request.string("TableName"));
        String name = node.changeableName(request.string("TableName"));
        return node.shards().updateTable(name, current -> {
            NodeContext.refuseWhileDeleting(current);
            KinesisDestination active = KinesisDestinations.activeToUpdate(current, arn);
            // Not chosen is MILLISECOND.
            if (precision.equals(active.precision() == null ? "MILLISECOND" : active.precision())) {
                throw DynamoException.validation("Invalid Request: Precision is already set to the desired value of " + precision
                        + " for tableId: " + current.id() + ", kdsArn: " + arn);
            }
            return current.withOptions(current.options().withKinesisDestination(
                    new KinesisDestination(arn, active.status(), null, precision)));
        }).thenApply(updated -> Json.object(g -> {
            g.writeStringField("TableName", updated.name());
            g.writeStringField("StreamArn", arn);
            g.writeStringField("DestinationStatus", "UPDATING");
            g.writeObjectFieldStart("UpdateKinesisStreamingConfiguration");
            g.writeStringField("ApproximateCreationDateTimePrecision", precision);
            g.writeEndObject();
        }));
    }
}
