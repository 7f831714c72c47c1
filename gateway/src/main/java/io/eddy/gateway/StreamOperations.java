package io.eddy.gateway;

/** Member constraints the DynamoDB Streams operations share. */
final class StreamOperations {

    private StreamOperations() {}

    static void arnLength(Constraints c, String path, String arn) {
        c.stringLengthAtLeast(path, arn, 37);
        c.stringLengthAtMost(path, arn, 1024);
    }

    static void shardIdLength(Constraints c, String path, String shardId) {
        c.stringLengthAtLeast(path, shardId, 28);
        c.stringLengthAtMost(path, shardId, 65);
    }
}
