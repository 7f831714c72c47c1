package io.eddy.gateway;

import io.eddy.model.TableMetadata;
import io.eddy.model.TableOptions.KinesisDestination;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** DescribeKinesisStreamingDestination: the table's destinations, newest first (an empty list when none). */
final class DescribeKinesisStreamingDestinationOperation implements Operation {

    private final NodeContext node;

    DescribeKinesisStreamingDestinationOperation(NodeContext node) {
        this.node = node;
    }

    @Override
    public CompletionStage<byte[]> handle(RequestBody request) {
        TableMetadata table = node.tableForControl(Constraints.requiredTableName(request));
        return CompletableFuture.completedFuture(Json.object(g -> {
            g.writeStringField("TableName", table.name());
            g.writeArrayFieldStart("KinesisDataStreamDestinations");
            for (KinesisDestination destination : table.options().kinesisDestinations()) {
                g.writeStartObject();
                g.writeStringField("StreamArn", destination.streamArn());
                g.writeStringField("DestinationStatus", destination.status());
                if (destination.statusDescription() != null) g.writeStringField("DestinationStatusDescription", destination.statusDescription());
                if (destination.precision() != null) g.writeStringField("ApproximateCreationDateTimePrecision", destination.precision());
                g.writeEndObject();
            }
            g.writeEndArray();
        }));
    }
}
