package io.eddy.streams;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

/**
 * A position in a stream shard, as the opaque ShardIterator string GetShardIterator and
 * GetRecords hand out: the stream ARN (as DynamoDB's iterators start), then the table
 * incarnation, the stream, the partition, the next journal sequence number to read and when the
 * iterator was issued (iterators expire).
 */
record ShardIterator(String streamArn, UUID tableId, long streamEnabledAtMicros, int partition,
                     long position, long issuedAtMillis) {

    private static final String VERSION = "|1|";

    String encode() {
        String body = tableId + "|" + streamEnabledAtMicros + "|" + partition + "|" + position + "|" + issuedAtMillis;
        return streamArn + VERSION + Base64.getUrlEncoder().withoutPadding().encodeToString(body.getBytes(StandardCharsets.UTF_8));
    }

    static Optional<ShardIterator> decode(String text) {
        int split = text.lastIndexOf(VERSION);
        if (split <= 0) return Optional.empty();
        try {
            String body = new String(Base64.getUrlDecoder().decode(text.substring(split + VERSION.length())), StandardCharsets.UTF_8);
            String[] parts = body.split("\\|");
            if (parts.length != 5) return Optional.empty();
            return Optional.of(new ShardIterator(text.substring(0, split), UUID.fromString(parts[0]),
                    Long.parseLong(parts[1]), Integer.parseInt(parts[2]), Long.parseLong(parts[3]), Long.parseLong(parts[4])));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    ShardIterator at(long newPosition, long nowMillis) {
        return new ShardIterator(streamArn, tableId, streamEnabledAtMicros, partition, newPosition, nowMillis);
    }
}
