package io.eddy.gateway;

import io.eddy.streams.DynamoStreams;
import io.eddy.streams.DynamoStreams.RecordPage;
import io.eddy.streams.StreamRecord;
import io.eddy.streams.StreamRecordJson;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** DynamoDB Streams GetRecords: up to Limit (1000) records of a shard from an iterator, and the next iterator. */
final class GetRecordsOperation implements Operation {

    private final DynamoStreams streams;
    private final StreamRecordJson json;

    GetRecordsOperation(DynamoStreams streams, StreamRecordJson json) {
        this.streams = streams;
        this.json = json;
    }

    @Override
    public CompletionStage<byte[]> handle(RequestBody request) {
        String iterator = request.string("ShardIterator");
        Long limit = request.intValue("Limit");
        Constraints c = new Constraints();
        c.notNull("shardIterator", iterator);
        c.stringLengthAtLeast("shardIterator", iterator, 1);
        c.stringLengthAtMost("shardIterator", iterator, 2048);
        c.atLeast("limit", limit, 1);
        c.atMost("limit", limit, 1000);
        c.throwIfAny();

        // A bounded read of one partition's journal (at most 1000 events), like a GetItem's store read.
        RecordPage page = streams.getRecords(iterator, limit == null ? 1000 : limit.intValue());
        return CompletableFuture.completedFuture(Json.object(g -> {
            g.writeArrayFieldStart("Records");
            for (StreamRecord record : page.records()) json.write(g, record, StreamRecordJson.Shape.STREAMS_API, null);
            g.writeEndArray();
            if (page.nextShardIterator().isPresent()) g.writeStringField("NextShardIterator", page.nextShardIterator().get());
        }));
    }
}
