package io.eddy.shards;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The idempotency window runs from the clock's latest now to its earliest now: a wall clock
 * stepped while the process runs, either way, or set right only after the start, cannot end it
 * early, in this process or (for a commit stamped after the step) in the next.
 */
class SteadyClockTest {

    private static final long T = 1_700_000_000_000L;
    private static final long HOUR = Duration.ofHours(1).toMillis();

    @Test
    void aWallClockSteppedForwardWhileTheProcessRunsDoesNotEndTheWindow() {
        AtomicLong wall = new AtomicLong(T);
        AtomicLong nanos = new AtomicLong(42);
        SteadyClock clock = new SteadyClock(wall::get, nanos::get);
        long finished = clock.latestMillis();
        assertEquals(T, finished);

        advance(wall, nanos, 3_000);
        wall.addAndGet(HOUR); // stepped forward
        assertEquals(T + 3_000, clock.earliestMillis(), "three seconds after the commit, not an hour");
        assertEquals(T + 3_000 + HOUR, clock.latestMillis());
    }

    @Test
    void aWallClockSteppedBackDoesNotEndTheWindowOfACommitStampedBefore() {
        AtomicLong wall = new AtomicLong(T);
        AtomicLong nanos = new AtomicLong(0);
        SteadyClock clock = new SteadyClock(wall::get, nanos::get);
        advance(wall, nanos, 5_000);
        wall.addAndGet(-HOUR);
        long finished = clock.latestMillis(); // the monotonic reading: the later of the two
        assertEquals(T + 5_000, finished);
        advance(wall, nanos, 1_000);
        assertEquals(T + 6_000 - HOUR, clock.earliestMillis(), "the window only lengthens");
    }

    @Test
    void aWallClockSetRightAfterTheStartStampsCommitsAtTheRightTimeForTheNextProcess() {
        AtomicLong wall = new AtomicLong(T - HOUR); // an hour behind at start, before NTP set it
        AtomicLong nanos = new AtomicLong(0);
        SteadyClock clock = new SteadyClock(wall::get, nanos::get);
        advance(wall, nanos, 10_000);
        wall.set(T + 10_000); // set right
        long finished = clock.latestMillis();
        assertEquals(T + 10_000, finished, "the wall clock's, not the start's hour behind");
        // The next process starts with the wall clock right: the commit is seconds old there, not an hour.
        SteadyClock next = new SteadyClock(() -> T + 70_000, () -> 0L);
        assertEquals(60_000, next.earliestMillis() - finished);
    }

    private static void advance(AtomicLong wall, AtomicLong nanos, long millis) {
        wall.addAndGet(millis);
        nanos.addAndGet(Duration.ofMillis(millis).toNanos());
    }
}
