package io.eddy.streams;

/** A stream record with where it is: its shard (a partition of the table) and its journal sequence number there. */
public record ShardRecord(String streamArn, String shardId, int partition, long sequenceNr, StreamRecord record) {}
