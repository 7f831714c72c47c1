package io.eddy.model;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A table's DynamoDB streams, oldest first: the last one may be enabled, the others are disabled
 * and stay readable until their records are past retention.
 */
public record StreamHistory(List<TableStream> streams) {

    public static final StreamHistory NONE = new StreamHistory(List.of());

    public StreamHistory {
        streams = streams == null ? List.of() : List.copyOf(streams);
    }

    /** The newest stream, enabled or not: DescribeTable's LatestStreamArn. */
    public Optional<TableStream> latest() {
        return streams.isEmpty() ? Optional.empty() : Optional.of(streams.get(streams.size() - 1));
    }

    /** The enabled stream, if any. */
    public Optional<TableStream> current() {
        return latest().filter(TableStream::enabled);
    }

    public Optional<TableStream> withLabel(String label) {
        return streams.stream().filter(s -> s.label().equals(label)).findFirst();
    }

    /**
     * A new stream enabled at {@code now}, its shards rolling over every {@code shardLifetime} (at
     * least a second; whole milliseconds); its label (creation time to the millisecond) is kept
     * distinct from the previous stream's by starting a millisecond later when they would collide.
     */
    public StreamHistory enable(StreamViewType viewType, Instant now, Duration shardLifetime) {
        if (shardLifetime.toMillis() < 1000) throw new IllegalArgumentException("a shard lifetime under a second: " + shardLifetime);
        if (current().isPresent()) throw new IllegalStateException("a stream is already enabled");
        long at = TableStream.micros(now);
        if (latest().isPresent()) {
            long previousMillis = Math.floorDiv(latest().get().enabledAtMicros(), 1000);
            long previousEnd = latest().get().disabledAtMicros();
            at = Math.max(at, Math.max((previousMillis + 1) * 1000, previousEnd));
        }
        List<TableStream> next = new ArrayList<>(streams);
        next.add(new TableStream(at, viewType, null, shardLifetime.toMillis()));
        return new StreamHistory(next);
    }

    public StreamHistory disable(Instant now) {
        TableStream enabled = current().orElseThrow(() -> new IllegalStateException("no stream is enabled"));
        List<TableStream> next = new ArrayList<>(streams);
        next.set(next.size() - 1, enabled.disable(Math.max(TableStream.micros(now), enabled.enabledAtMicros())));
        return new StreamHistory(next);
    }

    /** As {@link #disable}, or unchanged when no stream is enabled: a deleted table's streams from then on. */
    public StreamHistory closed(Instant now) {
        return current().isPresent() ? disable(now) : this;
    }

    /** Without the disabled streams whose last record is older than {@code retainedSince}. */
    public StreamHistory withoutExpired(Instant retainedSince) {
        long cutoff = TableStream.micros(retainedSince);
        List<TableStream> kept = new ArrayList<>();
        for (TableStream s : streams) {
            if (s.retainedAfter(cutoff) || s == latest().orElse(null)) kept.add(s);
        }
        return new StreamHistory(kept);
    }
}
