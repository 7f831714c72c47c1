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
 * <p>Times are epoch microseconds, so a write and an UpdateTable in the same millisecond are
 * still ordered. Journaled as JSON inside {@link TableOptions}.
 */
public record TableStream(long enabledAtMicros, StreamViewType viewType, Long disabledAtMicros) {

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
        return new TableStream(enabledAtMicros, viewType, atMicros);
    }

    public static long micros(Instant time) {
        return Math.addExact(Math.multiplyExact(time.getEpochSecond(), 1_000_000L), time.getNano() / 1000);
    }
}
