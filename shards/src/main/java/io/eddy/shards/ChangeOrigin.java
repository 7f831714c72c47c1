package io.eddy.shards;

/** Who made a change: a client's request, or DynamoDB itself deleting an expired item (TTL). */
public enum ChangeOrigin {
    REQUEST, TIME_TO_LIVE
}
