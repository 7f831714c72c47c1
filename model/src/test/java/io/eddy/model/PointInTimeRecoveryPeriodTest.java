package io.eddy.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A changed recovery period never reaches back before the window in force, whose older changes may be trimmed. */
class PointInTimeRecoveryPeriodTest {

    private static final long DAY = Duration.ofDays(1).toMillis();

    @Test
    void aLongerPeriodStartsFromTheCurrentWindow() {
        long now = 100 * DAY;
        // Enabled 10 days ago with one day kept: only the last day is restorable (and kept).
        TableOptions.PointInTimeRecovery oneDay = new TableOptions.PointInTimeRecovery(1, now - 10 * DAY);
        assertEquals(now - DAY, oneDay.earliestRestorableMillis(now));

        TableOptions.PointInTimeRecovery longer = oneDay.withPeriod(35, now);
        assertEquals(35, longer.recoveryPeriodInDays());
        assertEquals(now - DAY, longer.earliestRestorableMillis(now), "not back to the enabling time");
        assertEquals(now - DAY, longer.earliestRestorableMillis(now + 20 * DAY), "the window grows as time passes");
        assertEquals(now + DAY, longer.earliestRestorableMillis(now + 36 * DAY));
    }

    @Test
    void aShorterPeriodShrinksTheWindowAtOnce() {
        long now = 100 * DAY;
        TableOptions.PointInTimeRecovery month = new TableOptions.PointInTimeRecovery(35, now - 50 * DAY);
        assertEquals(now - 7 * DAY, month.withPeriod(7, now).earliestRestorableMillis(now));
        TableOptions.PointInTimeRecovery recent = new TableOptions.PointInTimeRecovery(35, now - 2 * DAY);
        assertEquals(now - 2 * DAY, recent.withPeriod(7, now).earliestRestorableMillis(now), "still from the enabling time");
    }
}
