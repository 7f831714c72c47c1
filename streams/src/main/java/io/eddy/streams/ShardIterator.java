package io.eddy.streams;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

/**
 * A position in a stream shard, as the opaque ShardIterator string GetShardIterator and
 * GetRecords hand out: the stream ARN (as DynamoDB's iterators start), then the table
 * incarnation, the stream, the partition and the shard's generation, the next journal sequence
 * number to read and when the iterator was issued (iterators expire).
 */
record ShardIterator(String streamArn, UUID tableId, long streamEnabledAtMicros, int partition, long generation,
                     long position, long issuedAtMillis) {

    private static final String VERSION = "|2|";
    /** Iterators issued before shards rolled over: without a generation, so the first. */
    private static final String FIRST_GENERATION_ONLY = "|1|";

    String encode() {
        String body = tableId + "|" + streamEnabledAtMicros + "|" + partition + "|" + generation + "|" + position + "|" + issuedAtMillis;
        return streamArn + VERSION + Base64.getUrlEncoder().withoutPadding().encodeToString(body.getBytes(StandardCharsets.UTF_8));
    }

    static Optional<ShardIterator> decode(String text) {
        boolean withGeneration = text.lastIndexOf(VERSION) > 0;
        int split = withGeneration ? text.lastIndexOf(VERSION) : text.lastIndexOf(FIRST_GENERATION_ONLY);
        if (split <= 0) return Optional.empty();
        try {
            String body = new String(Base64.getUrlDecoder().decode(text.substring(split + VERSION.length())), StandardCharsets.UTF_8);
            String[] parts = body.split("\\|");
            if (parts.length != (withGeneration ? 6 : 5)) return Optional.empty();
            int next = 0;
            UUID tableId = UUID.fromString(parts[next++]);
            long enabledAt = Long.parseLong(parts[next++]);
            int partition = Integer.parseInt(parts[next++]);
            long generation = withGeneration ? Long.parseLong(parts[next++]) : 0;
            return Optional.of(new ShardIterator(text.substring(0, split), tableId, enabledAt, partition, generation,
                    Long.parseLong(parts[next++]), Long.parseLong(parts[next])));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    ShardIterator at(long newPosition, long nowMillis) {
        return new ShardIterator(streamArn, tableId, streamEnabledAtMicros, partition, generation, newPosition, nowMillis);
    }
}
