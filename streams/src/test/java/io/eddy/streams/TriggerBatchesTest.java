package io.eddy.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A trigger's batch holds one shard's records, as Lambda's do, even when a shard rolls over inside it. */
class TriggerBatchesTest {

    private static ShardRecord record(String shardId, long sequenceNr) {
        return new ShardRecord("arn", shardId, 0, sequenceNr, null);
    }

    @Test
    void aBatchIsCutWhereItsRecordsShardChanges() {
        List<ShardRecord> batch = List.of(record("s0", 1), record("s0", 2), record("s1", 3), record("s1", 4), record("s2", 5));
        assertEquals(List.of(batch.subList(0, 2), batch.subList(2, 4), batch.subList(4, 5)), Triggers.byShard(batch));
        assertEquals(List.of(batch.subList(0, 2)), Triggers.byShard(batch.subList(0, 2)), "one shard: one batch");
    }
}
