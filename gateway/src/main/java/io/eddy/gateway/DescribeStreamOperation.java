package io.eddy.gateway;

import io.eddy.model.KeySchema;
import io.eddy.streams.DynamoStreams;
import io.eddy.streams.DynamoStreams.ShardDescription;
import io.eddy.streams.DynamoStreams.StreamDescription;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** DynamoDB Streams DescribeStream: status, view type, key schema and the shards, paged by ExclusiveStartShardId. */
final class DescribeStreamOperation implements Operation {

    private final DynamoStreams streams;

    DescribeStreamOperation(DynamoStreams streams) {
        this.streams = streams;
    }

    @Override
    public CompletionStage<byte[]> handle(RequestBody request) {
        String arn = request.string("StreamArn");
        Long limit = request.intValue("Limit");
        String startShard = request.string("ExclusiveStartShardId");
        RequestBody filter = request.struct("ShardFilter");
        String filterType = filter == null ? null : filter.string("Type");
        String filterShard = filter == null ? null : filter.string("ShardId");
        Constraints c = new Constraints();
        c.notNull("streamArn", arn);
        StreamOperations.arnLength(c, "streamArn", arn);
        c.atLeast("limit", limit, 1);
        c.atMost("limit", limit, 100);
        StreamOperations.shardIdLength(c, "exclusiveStartShardId", startShard);
        if (filter != null) {
            c.oneOf("shardFilter.type", filterType, List.of("CHILD_SHARDS"));
            StreamOperations.shardIdLength(c, "shardFilter.shardId", filterShard);
        }
        c.throwIfAny();
        // CHILD_SHARDS is the only filter there is: without a ShardId it names no parent, so nothing matches.
        Optional<String> childrenOf = filter == null ? Optional.empty() : Optional.of(filterShard == null ? "" : filterShard);

        StreamDescription d = streams.describeStream(arn, limit == null ? 100 : limit.intValue(), Optional.ofNullable(startShard),
                childrenOf);
        return CompletableFuture.completedFuture(Json.object(g -> {
            g.writeObjectFieldStart("StreamDescription");
            g.writeStringField("StreamArn", d.streamArn());
            g.writeStringField("StreamLabel", d.streamLabel());
            g.writeStringField("StreamStatus", d.enabled() ? "ENABLED" : "DISABLED");
            g.writeStringField("StreamViewType", d.viewType().name());
            g.writeFieldName("CreationRequestDateTime");
            g.writeNumber(Json.epochSeconds(d.creationRequestDateTime().toEpochMilli()));
            g.writeStringField("TableName", d.table().name());
            g.writeArrayFieldStart("KeySchema");
            KeySchema schema = d.table().keySchema();
            writeKey(g, schema.partitionKey().name(), "HASH");
            if (schema.sortKey().isPresent()) writeKey(g, schema.sortKey().get().name(), "RANGE");
            g.writeEndArray();
            g.writeArrayFieldStart("Shards");
            for (ShardDescription shard : d.shards()) {
                g.writeStartObject();
                g.writeStringField("ShardId", shard.shardId());
                g.writeObjectFieldStart("SequenceNumberRange");
                g.writeStringField("StartingSequenceNumber", shard.startingSequenceNumber());
                if (shard.endingSequenceNumber().isPresent()) {
                    g.writeStringField("EndingSequenceNumber", shard.endingSequenceNumber().get());
                }
                g.writeEndObject();
                if (shard.parentShardId().isPresent()) g.writeStringField("ParentShardId", shard.parentShardId().get());
                g.writeEndObject();
            }
            g.writeEndArray();
            if (d.lastEvaluatedShardId().isPresent()) g.writeStringField("LastEvaluatedShardId", d.lastEvaluatedShardId().get());
            g.writeEndObject();
        }));
    }

    private static void writeKey(com.fasterxml.jackson.core.JsonGenerator g, String name, String type) throws java.io.IOException {
        g.writeStartObject();
        g.writeStringField("AttributeName", name);
        g.writeStringField("KeyType", type);
        g.writeEndObject();
    }
}
