package io.eddy.streams;

import io.eddy.model.TableMetadata;
import io.eddy.model.TableStream;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names DynamoDB Streams gives things: stream ARNs ({@code arn:aws:dynamodb:REGION:ACCOUNT:
 * table/NAME/stream/LABEL}), shard ids ({@code shardId-NNNNNNNNNNNNNNNNNNNN-XXXXXXXX}) and
 * sequence numbers (decimal strings of at least 21 digits).
 *
 * <p>A stream shard is one partition of the table during one generation of one stream: its id is
 * derived from the time the generation starts (the stream's creation time, plus a shard lifetime a
 * generation), the partition index (so a stream's shards sort by generation, then partition) and a
 * hash of the table incarnation. Its sequence numbers are the partition's journal sequence numbers.
 */
public final class StreamNames {

    private static final Pattern ARN = Pattern.compile("arn:aws:dynamodb:([^:]+):([^:]+):table/([^/]+)/stream/(.+)");
    private static final int SEQUENCE_DIGITS = 21;

    private final String region;
    private final String accountId;

    public StreamNames(String region, String accountId) {
        this.region = region;
        this.accountId = accountId;
    }

    public String streamArn(TableMetadata table, TableStream stream) {
        return "arn:aws:dynamodb:" + region + ":" + accountId + ":table/" + table.name() + "/stream/" + stream.label();
    }

    /** A parsed stream ARN of this region and account. */
    public record StreamRef(String tableName, String label) {}

    public Optional<StreamRef> parseArn(String arn) {
        Matcher m = ARN.matcher(arn);
        if (!m.matches() || !m.group(1).equals(region) || !m.group(2).equals(accountId)) return Optional.empty();
        return Optional.of(new StreamRef(m.group(3), m.group(4)));
    }

    private static final Pattern SHARD_ID = Pattern.compile("shardId-(\\d{20})-[0-9a-f]{8}");

    /**
     * The id of shard {@code generation} of the stream's {@code partition}: the generation's start in
     * epoch milliseconds times 1,000 plus the partition, so ids sort by generation, then partition
     * (for fewer partitions than a shard lifetime has milliseconds times 1,000). The first
     * generation's id is the one a stream's shard had before shards rolled over.
     */
    public static String shardId(TableMetadata table, TableStream stream, int partition, long generation) {
        long ordinal = Math.floorDiv(stream.windowStartMicros(generation), 1000) * 1000 + partition;
        String incarnation = table.id().toString() + "/" + stream.enabledAtMicros() + "/" + partition + (generation == 0 ? "" : "/" + generation);
        return String.format("shardId-%020d-%08x", ordinal, incarnation.hashCode());
    }

    /** The id of the shard of the stream's {@code partition} that a change stamped at {@code timestampMicros} is in. */
    public static String shardIdAt(TableMetadata table, TableStream stream, int partition, long timestampMicros) {
        return shardId(table, stream, partition, stream.generationAt(timestampMicros));
    }

    /** The shard a {@link #shardId} names, if it names one of this stream's. */
    static Optional<DynamoStreams.Shard> parseShardId(TableMetadata table, TableStream stream, String shardId) {
        Matcher m = SHARD_ID.matcher(shardId);
        if (!m.matches()) return Optional.empty();
        long ordinal;
        try {
            ordinal = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        long sinceStream = ordinal - Math.floorDiv(stream.enabledAtMicros(), 1000) * 1000;
        if (sinceStream < 0) return Optional.empty();
        // Ordinals a generation apart: a stream whose shards do not roll over has the one generation.
        long span = stream.shardLifetimeMillis() == null ? Long.MAX_VALUE : stream.shardLifetimeMillis() * 1000;
        long generation = sinceStream / span;
        long partition = sinceStream - generation * span;
        if (partition > Integer.MAX_VALUE) return Optional.empty();
        return shardId(table, stream, (int) partition, generation).equals(shardId)
                ? Optional.of(new DynamoStreams.Shard((int) partition, generation)) : Optional.empty();
    }

    public static String sequenceNumber(long journalSequenceNr) {
        return String.format("%0" + SEQUENCE_DIGITS + "d", journalSequenceNr);
    }

    /** The journal sequence number of a stream sequence number, empty when it is not one. */
    public static Optional<Long> parseSequenceNumber(String sequenceNumber) {
        if (sequenceNumber == null || sequenceNumber.isEmpty() || sequenceNumber.length() > 40) return Optional.empty();
        for (int i = 0; i < sequenceNumber.length(); i++) {
            if (sequenceNumber.charAt(i) < '0' || sequenceNumber.charAt(i) > '9') return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(sequenceNumber));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
