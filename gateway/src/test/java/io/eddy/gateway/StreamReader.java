package io.eddy.gateway;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.model.DescribeStreamResponse;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/** Reads a whole stream as a consumer does: every shard (DescribeStream pages) from TRIM_HORIZON to its end. */
final class StreamReader {
    private StreamReader() {}

    static List<Shard> shards(DynamoDbStreamsClient streams, String arn) {
        List<Shard> shards = new ArrayList<>();
        String start = null;
        do {
            String from = start;
            DescribeStreamResponse page = streams.describeStream(b -> b.streamArn(arn).exclusiveStartShardId(from));
            shards.addAll(page.streamDescription().shards());
            start = page.streamDescription().lastEvaluatedShardId();
        } while (start != null);
        return shards;
    }

    /** Every record of every shard, shard by shard, reading until a shard has nothing more (or is closed). */
    static List<Record> readAll(DynamoDbStreamsClient streams, String arn, int limit) {
        List<Record> records = new ArrayList<>();
        for (Shard shard : shards(streams, arn)) records.addAll(readShard(streams, arn, shard.shardId(), limit));
        return records;
    }

    static List<Record> readShard(DynamoDbStreamsClient streams, String arn, String shardId, int limit) {
        String iterator = streams.getShardIterator(b -> b.streamArn(arn).shardId(shardId)
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        return drain(streams, iterator, limit);
    }

    /** Records from the iterator until a page comes back empty or the shard ends. */
    static List<Record> drain(DynamoDbStreamsClient streams, String iterator, int limit) {
        List<Record> records = new ArrayList<>();
        while (iterator != null) {
            String current = iterator;
            GetRecordsResponse page = streams.getRecords(b -> b.shardIterator(current).limit(limit));
            records.addAll(page.records());
            if (page.records().isEmpty()) break;
            iterator = page.nextShardIterator();
        }
        return records;
    }
}
