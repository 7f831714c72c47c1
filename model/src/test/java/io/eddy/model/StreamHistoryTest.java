package io.eddy.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class StreamHistoryTest {

    private static final java.time.Duration LIFETIME = java.time.Duration.ofHours(4);

    private static final Instant T = Instant.parse("2026-01-02T03:04:05.678901Z");

    @Test
    void aStreamCoversTheChangesOfItsEnabledInterval() {
        StreamHistory history = StreamHistory.NONE.enable(StreamViewType.NEW_IMAGE, T, LIFETIME);
        TableStream stream = history.current().orElseThrow();
        assertEquals("2026-01-02T03:04:05.678", stream.label());
        long enabled = TableStream.micros(T);
        assertFalse(stream.covers(enabled - 1));
        assertTrue(stream.covers(enabled));
        assertTrue(stream.covers(Long.MAX_VALUE));

        StreamHistory disabled = history.disable(T.plusSeconds(1));
        assertTrue(disabled.current().isEmpty());
        TableStream closed = disabled.latest().orElseThrow();
        assertTrue(closed.covers(enabled + 999_999));
        assertFalse(closed.covers(enabled + 1_000_000));
        assertThrows(IllegalStateException.class, () -> history.enable(StreamViewType.KEYS_ONLY, T, LIFETIME));
        assertThrows(IllegalStateException.class, () -> disabled.disable(T));
    }

    @Test
    void reEnablingInTheSameMillisecondStillGetsANewLabel() {
        StreamHistory cycled = StreamHistory.NONE.enable(StreamViewType.KEYS_ONLY, T, LIFETIME).disable(T).enable(StreamViewType.KEYS_ONLY, T, LIFETIME);
        assertEquals(2, cycled.streams().size());
        assertNotEquals(cycled.streams().get(0).label(), cycled.streams().get(1).label());
        assertTrue(cycled.streams().get(1).enabledAtMicros() >= cycled.streams().get(0).disabledAtMicros());
    }

    @Test
    void disabledStreamsPastRetentionAreDroppedButTheLatestStays() {
        StreamHistory history = StreamHistory.NONE.enable(StreamViewType.KEYS_ONLY, T, LIFETIME).disable(T.plusSeconds(1))
                .enable(StreamViewType.NEW_IMAGE, T.plusSeconds(2), LIFETIME).disable(T.plusSeconds(3));
        StreamHistory kept = history.withoutExpired(T.plusSeconds(10));
        assertEquals(1, kept.streams().size());
        assertEquals(history.latest(), kept.latest());
    }

    @Test
    void closingATablesStreamsDisablesTheEnabledOneAndLeavesTheRest() {
        StreamHistory enabled = StreamHistory.NONE.enable(StreamViewType.KEYS_ONLY, T, LIFETIME);
        StreamHistory closed = enabled.closed(T.plusSeconds(5));
        assertTrue(closed.current().isEmpty());
        assertEquals(TableStream.micros(T.plusSeconds(5)), closed.latest().orElseThrow().disabledAtMicros());
        StreamHistory disabled = enabled.disable(T.plusSeconds(1));
        assertEquals(disabled, disabled.closed(T.plusSeconds(5)));
        assertEquals(StreamHistory.NONE, StreamHistory.NONE.closed(T));
    }

    @Test
    void aStreamsShardsRollOverOnItsLifetimeAndAStreamJournaledBeforeHasOneGeneration() {
        TableStream stream = StreamHistory.NONE.enable(StreamViewType.KEYS_ONLY, T, LIFETIME).current().orElseThrow();
        long enabled = TableStream.micros(T);
        long lifetime = LIFETIME.toMillis() * 1000;
        assertEquals(LIFETIME.toMillis(), stream.shardLifetimeMillis());
        assertEquals(0, stream.generationAt(enabled - 1), "before the stream: its first");
        assertEquals(0, stream.generationAt(enabled + lifetime - 1));
        assertEquals(1, stream.generationAt(enabled + lifetime));
        assertEquals(enabled + 2 * lifetime, stream.windowStartMicros(2));
        assertEquals(enabled + 3 * lifetime, stream.windowEndMicros(2));
        assertEquals(LIFETIME.toMillis(), stream.disable(enabled + 5).shardLifetimeMillis(), "kept when disabled");

        TableStream before = new TableStream(enabled, StreamViewType.KEYS_ONLY, null, null);
        assertEquals(0, before.generationAt(enabled + 100 * lifetime));
        assertEquals(enabled, before.windowStartMicros(0));
        assertEquals(Long.MAX_VALUE, before.windowEndMicros(0));
        assertThrows(IllegalArgumentException.class, () -> StreamHistory.NONE.enable(StreamViewType.KEYS_ONLY, T,
                java.time.Duration.ofMillis(999)));
    }
}
