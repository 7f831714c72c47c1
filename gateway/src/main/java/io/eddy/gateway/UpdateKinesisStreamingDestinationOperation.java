package io.eddy.gateway;

import io.eddy.model.DynamoException;
import io.eddy.model.TableOptions.KinesisDestination;
import java.util.concurrent.CompletionStage;

/**
 * UpdateKinesisStreamingDestination: a new ApproximateCreationDateTimePrecision for an ACTIVE
 * destination, answered UPDATING; the records put from the next batch on carry it
 * ({@link KinesisDestinations}).
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
        return KinesisDestinations.change(node, request.string("TableName"), arn, current -> {
            KinesisDestination active = KinesisDestinations.activeToUpdate(current, arn);
            // Not chosen is MILLISECOND.
            if (precision.equals(active.precision() == null ? "MILLISECOND" : active.precision())) {
                throw DynamoException.validation("Invalid Request: Precision is already set to the desired value of " + precision
                        + " for tableId: " + current.id() + ", kdsArn: " + arn);
            }
            return current.withOptions(current.options().withKinesisDestination(
                    new KinesisDestination(arn, active.status(), null, precision)));
        }, KinesisDestination.UPDATING, "UpdateKinesisStreamingConfiguration", precision);
    }
}
