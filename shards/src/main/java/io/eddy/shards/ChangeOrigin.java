package io.eddy.shards;

/**
 * Who made a change: a client's request, DynamoDB itself deleting an expired item (TTL), or a
 * replica of the table in another region (global tables). Journaled by ordinal: append only.
 */
public enum ChangeOrigin {
    REQUEST, TIME_TO_LIVE, REPLICATION
}
