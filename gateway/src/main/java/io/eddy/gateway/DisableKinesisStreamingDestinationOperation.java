package io.eddy.gateway;

import io.eddy.model.DynamoException;
import io.eddy.model.TableOptions.KinesisDestination;
import java.util.concurrent.CompletionStage;

/** DisableKinesisStreamingDestination: an ACTIVE destination only, turned DISABLED ({@link KinesisDestinations}). */
final class DisableKinesisStreamingDestinationOperation implements Operation {

    private final NodeContext node;

    DisableKinesisStreamingDestinationOperation(NodeContext node) {
        this.node = node;
    }

    @Override
    public CompletionStage<byte[]> handle(RequestBody request) {
        Constraints c = new Constraints();
        String arn = KinesisDestinations.streamArn(request, c);
        KinesisDestinations.precision(request, "EnableKinesisStreamingConfiguration", c);
        c.throwIfAny();

        node.tableForControl(request.string("TableName"));
        if (request.struct("EnableKinesisStreamingConfiguration") != null) {
            throw DynamoException.validation("Stream cannot be disabled using EnableKinesisStreamingConfiguration parameters");
        }
        return KinesisDestinations.change(node, request.string("TableName"), arn, current -> {
            KinesisDestination active = KinesisDestinations.activeToDisable(current, arn);
            return current.withOptions(current.options().withKinesisDestination(
                    new KinesisDestination(arn, KinesisDestination.DISABLED, null, active.precision())));
        }, "DISABLING", null, null);
    }
}
