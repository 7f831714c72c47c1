package io.eddy.model;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * One DynamoDB stream of a table: enabled at {@code enabledAtMicros} with a fixed view type, and
 * (once disabled) closed at {@code disabledAtMicros}. Every change a partition journals with a
 * timestamp in [enabled, disabled) belongs to this stream, so what a stream holds is decided by
 * the time of each write, and a write made while no stream was enabled belongs to none.
 * Disabling and enabling again makes a new stream with a new label and ARN.
 *
 * <p>Its shards roll over every {@code shardLifetimeMillis} (fixed when the stream is enabled, as
 * DynamoDB rolls its shards every few hours): generation g of a partition's shard holds the changes
 * stamped in [enabled + g × lifetime, enabled + (g + 1) × lifetime). A stream journaled before
 * shards rolled over has none, and one shard a partition for its whole life.
 *
 * <p>Times are epoch microseconds, so a write and an UpdateTable in the same millisecond are
 * still ordered. Journaled as JSON inside {@link TableOptions}.
 */
public record TableStream(long enabledAtMicros, StreamViewType viewType, Long disabledAtMicros, Long shardLifetimeMillis) {

    private static final DateTimeFormatter LABEL = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS")
            .withZone(ZoneOffset.UTC);

    /** DynamoDB's StreamLabel: the stream's creation time, UTC, to the millisecond. */
    public String label() {
        return LABEL.format(enabledAt());
    }

    public Instant enabledAt() {
        return Instant.EPOCH.plusNanos(enabledAtMicros * 1000);
    }

    public Optional<Instant> disabledAt() {
        return Optional.ofNullable(disabledAtMicros).map(micros -> Instant.EPOCH.plusNanos(micros * 1000));
    }

    public boolean enabled() {
        return disabledAtMicros == null;
    }

    /** Whether a change journaled at {@code timestampMicros} belongs to this stream. */
    public boolean covers(long timestampMicros) {
        return timestampMicros >= enabledAtMicros && (disabledAtMicros == null || timestampMicros < disabledAtMicros);
    }

    /** Whether any of its records may still be returned when records before {@code cutoffMicros} are past retention. */
    public boolean retainedAfter(long cutoffMicros) {
        return disabledAtMicros == null || disabledAtMicros >= cutoffMicros;
    }

    public TableStream disable(long atMicros) {
        return new TableStream(enabledAtMicros, viewType, atMicros, shardLifetimeMillis);
    }

    /** This stream as if its shards did not roll over: one generation for its whole life. */
    public TableStream withoutRollOver() {
        return new TableStream(enabledAtMicros, viewType, disabledAtMicros, null);
    }

    /** The generation of the stream's shards a change stamped at {@code timestampMicros} falls in. */
    public long generationAt(long timestampMicros) {
        if (shardLifetimeMillis == null) return 0;
        return Math.max(0, Math.floorDiv(timestampMicros - enabledAtMicros, shardLifetimeMillis * 1000));
    }

    /** When generation {@code generation}'s window starts, epoch microseconds. */
    public long windowStartMicros(long generation) {
        return shardLifetimeMillis == null ? enabledAtMicros : enabledAtMicros + generation * shardLifetimeMillis * 1000;
    }

    /** When generation {@code generation}'s window ends (exclusive); never for a stream whose shards do not roll over. */
    public long windowEndMicros(long generation) {
        return shardLifetimeMillis == null ? Long.MAX_VALUE : windowStartMicros(generation + 1);
    }

    public static long micros(Instant time) {
        return Math.addExact(Math.multiplyExact(time.getEpochSecond(), 1_000_000L), time.getNano() / 1000);
    }
}
