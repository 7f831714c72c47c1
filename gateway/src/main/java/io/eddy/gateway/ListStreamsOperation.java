package io.eddy.gateway;

import io.eddy.streams.DynamoStreams;
import io.eddy.streams.DynamoStreams.StreamList;
import io.eddy.streams.DynamoStreams.StreamSummary;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** DynamoDB Streams ListStreams: the streams of one table or of all, paged by ExclusiveStartStreamArn. */
final class ListStreamsOperation implements Operation {

    private final DynamoStreams streams;

    ListStreamsOperation(DynamoStreams streams) {
        this.streams = streams;
    }

    @Override
    public CompletionStage<byte[]> handle(RequestBody request) {
        String tableName = request.string("TableName");
        Long limit = request.intValue("Limit");
        String startArn = request.string("ExclusiveStartStreamArn");
        Constraints c = new Constraints();
        c.tableName("tableName", tableName);
        c.atLeast("limit", limit, 1);
        c.atMost("limit", limit, 100);
        StreamOperations.arnLength(c, "exclusiveStartStreamArn", startArn);
        c.throwIfAny();

        StreamList list = streams.listStreams(Optional.ofNullable(tableName), limit == null ? 100 : limit.intValue(),
                Optional.ofNullable(startArn));
        return CompletableFuture.completedFuture(Json.object(g -> {
            g.writeArrayFieldStart("Streams");
            for (StreamSummary s : list.streams()) {
                g.writeStartObject();
                g.writeStringField("StreamArn", s.streamArn());
                g.writeStringField("TableName", s.tableName());
                g.writeStringField("StreamLabel", s.streamLabel());
                g.writeEndObject();
            }
            g.writeEndArray();
            if (list.lastEvaluatedStreamArn().isPresent()) {
                g.writeStringField("LastEvaluatedStreamArn", list.lastEvaluatedStreamArn().get());
            }
        }));
    }
}
