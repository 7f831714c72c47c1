package io.eddy.gateway;

import io.eddy.model.DynamoException;
import io.eddy.model.TableMetadata;
import io.eddy.model.TableOptions;
import io.eddy.model.TableOptions.KinesisDestination;
import io.eddy.streams.KinesisLink;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.UnaryOperator;

/**
 * What the Kinesis streaming destination operations share. EnableKinesisStreamingDestination
 * answers ENABLING (DynamoDB checks the stream after answering); with a Kinesis endpoint configured
 * the destination stays ENABLING until the node's deliveries have checked the stream (then ACTIVE,
 * or ENABLE_FAILED with Kinesis's reason), without one the catalog records ENABLE_FAILED at once,
 * with Eddy's reason, as DynamoDB does for a stream it cannot use. DescribeKinesisStreamingDestination
 * lists them. Disable and Update need an ACTIVE destination, and are refused with DynamoDB's
 * messages for one that is not.
 */
final class KinesisDestinations {

    static final List<String> PRECISIONS = List.of("MILLISECOND", "MICROSECOND");
    /** Most destinations a table lists: the oldest ended ones (DISABLED, ENABLE_FAILED) go first. */
    static final int MAX_LISTED = 20;
    /** A destination in one of these is live: a table has at most one. */
    private static final List<String> LIVE = List.of(KinesisDestination.ENABLING, KinesisDestination.ACTIVE, KinesisDestination.UPDATING,
            KinesisDestination.DISABLING);
    private static final String NOT_VALID = "Table is not in a valid state to enable Kinesis Streaming Destination: ";

    private KinesisDestinations() {}

    /** The request's TableName and StreamArn (an ARN of 37 to 1024 characters), checked into {@code c}. */
    static String streamArn(RequestBody request, Constraints c) {
        c.validTableName("tableName", request.string("TableName"));
        String arn = request.string("StreamArn");
        c.notNull("streamArn", arn);
        c.stringLengthAtLeast("streamArn", arn, 37);
        c.stringLengthAtMost("streamArn", arn, 1024);
        return arn;
    }

    /** The ApproximateCreationDateTimePrecision of the request's {@code field} structure, checked into {@code c}; null when absent. */
    static String precision(RequestBody request, String field, Constraints c) {
        RequestBody configuration = request.struct(field);
        String precision = configuration == null ? null : configuration.string("ApproximateCreationDateTimePrecision");
        c.oneOf(Constraints.memberPath(field) + ".approximateCreationDateTimePrecision", precision, PRECISIONS);
        return precision;
    }

    /**
     * Makes {@code change} to the named table in the catalog (refused while the table is being
     * deleted), then answers TableName, StreamArn and {@code status}, and the {@code configuration}
     * structure (with {@code precision} when chosen) when the operation echoes one.
     */
    static CompletionStage<byte[]> change(NodeContext node, String tableName, String arn, UnaryOperator<TableMetadata> change,
                                          String status, String configuration, String precision) {
        node.tableForControl(tableName);
        return node.shards().updateTable(node.changeableName(tableName), current -> {
            NodeContext.refuseWhileDeleting(current);
            return change.apply(current);
        }).thenApply(updated -> Json.object(g -> {
            g.writeStringField("TableName", updated.name());
            g.writeStringField("StreamArn", arn);
            g.writeStringField("DestinationStatus", status);
            if (configuration != null) {
                g.writeObjectFieldStart(configuration);
                if (precision != null) g.writeStringField("ApproximateCreationDateTimePrecision", precision);
                g.writeEndObject();
            }
        }));
    }

    /**
     * Enables {@code arn} on the table: refused while another destination is live; ENABLING when
     * {@code kinesisConfigured}, otherwise ENABLE_FAILED.
     */
    static TableMetadata enabled(TableMetadata table, String arn, String precision, boolean kinesisConfigured) {
        for (KinesisDestination destination : table.options().kinesisDestinations()) {
            if (LIVE.contains(destination.status())) {
                throw DynamoException.validation(NOT_VALID + "EnableKinesisStreamingDestination must be DISABLED or ENABLE_FAILED "
                        + "to perform ENABLE operation.");
            }
        }
        String kept = precision != null ? precision : table.options().kinesisDestination(arn).map(KinesisDestination::precision).orElse(null);
        TableOptions options = table.options().withKinesisDestination(kinesisConfigured ? new KinesisDestination(arn, KinesisDestination.ENABLING, null, kept)
                : new KinesisDestination(arn, KinesisDestination.ENABLE_FAILED, KinesisLink.NO_ENDPOINT, kept));
        // The catalog journals a table's options whole with each change: the oldest ended destinations go past a bound.
        List<KinesisDestination> listed = new java.util.ArrayList<>(options.kinesisDestinations());
        for (int i = listed.size() - 1; i >= 0 && listed.size() > MAX_LISTED; i--) {
            if (!LIVE.contains(listed.get(i).status())) listed.remove(i);
        }
        return table.withOptions(options.withKinesisDestinations(listed));
    }

    /** The ACTIVE destination of {@code arn}, as Disable needs it. */
    static KinesisDestination activeToDisable(TableMetadata table, String arn) {
        return table.options().kinesisDestination(arn).filter(destination -> destination.status().equals(KinesisDestination.ACTIVE))
                .orElseThrow(() -> DynamoException.validation(NOT_VALID + "KinesisStreamingDestination must be ACTIVE to perform "
                        + "DISABLE operation."));
    }

    /** The ACTIVE destination of {@code arn}, as Update needs it. */
    static KinesisDestination activeToUpdate(TableMetadata table, String arn) {
        KinesisDestination destination = table.options().kinesisDestination(arn).orElseThrow(() ->
                DynamoException.validation(NOT_VALID + "No streaming destination with streamArn: " + arn));
        if (!destination.status().equals(KinesisDestination.ACTIVE)) {
            throw DynamoException.validation(NOT_VALID + "Kinesis streaming is not in ACTIVE state. Updates are only allowed in "
                    + "ACTIVE state. TableName: " + table.name() + ", kdsArn: " + arn);
        }
        return destination;
    }
}
