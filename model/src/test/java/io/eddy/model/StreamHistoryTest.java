package io.eddy.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class StreamHistoryTest {

    private static final Instant T = Instant.parse("2026-01-02T03:04:05.678901Z");

    @Test
    void aStreamCoversTheChangesOfItsEnabledInterval() {
        StreamHistory history = StreamHistory.NONE.enable(StreamViewType.NEW_IMAGE, T);
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
        assertThrows(IllegalStateException.class, () -> history.enable(StreamViewType.KEYS_ONLY, T));
        assertThrows(IllegalStateException.class, () -> disabled.disable(T));
    }

    @Test
    void reEnablingInTheSameMillisecondStillGetsANewLabel() {
        StreamHistory cycled = StreamHistory.NONE.enable(StreamViewType.KEYS_ONLY, T).disable(T).enable(StreamViewType.KEYS_ONLY, T);
        assertEquals(2, cycled.streams().size());
        assertNotEquals(cycled.streams().get(0).label(), cycled.streams().get(1).label());
        assertTrue(cycled.streams().get(1).enabledAtMicros() >= cycled.streams().get(0).disabledAtMicros());
    }

    @Test
    void disabledStreamsPastRetentionAreDroppedButTheLatestStays() {
        StreamHistory history = StreamHistory.NONE.enable(StreamViewType.KEYS_ONLY, T).disable(T.plusSeconds(1))
                .enable(StreamViewType.NEW_IMAGE, T.plusSeconds(2)).disable(T.plusSeconds(3));
        StreamHistory kept = history.withoutExpired(T.plusSeconds(10));
        assertEquals(1, kept.streams().size());
        assertEquals(history.latest(), kept.latest());
    }

    @Test
    void closingATablesStreamsDisablesTheEnabledOneAndLeavesTheRest() {
        StreamHistory enabled = StreamHistory.NONE.enable(StreamViewType.KEYS_ONLY, T);
        StreamHistory closed = enabled.closed(T.plusSeconds(5));
        assertTrue(closed.current().isEmpty());
        assertEquals(TableStream.micros(T.plusSeconds(5)), closed.latest().orElseThrow().disabledAtMicros());
        StreamHistory disabled = enabled.disable(T.plusSeconds(1));
        assertEquals(disabled, disabled.closed(T.plusSeconds(5)));
        assertEquals(StreamHistory.NONE, StreamHistory.NONE.closed(T));
    }
}
