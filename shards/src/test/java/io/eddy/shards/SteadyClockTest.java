package io.eddy.shards;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The clock of the idempotency window follows the monotonic clock, not a wall clock that steps. */
class SteadyClockTest {

    @Test
    void aWallClockSteppedWhileTheProcessRunsDoesNotMoveIt() {
        AtomicLong wall = new AtomicLong(1_700_000_000_000L);
        AtomicLong nanos = new AtomicLong(42);
        SteadyClock clock = new SteadyClock(wall::get, nanos::get);
        assertEquals(1_700_000_000_000L, clock.millis(), "starts at the wall clock");

        nanos.addAndGet(Duration.ofSeconds(3).toNanos());
        wall.addAndGet(Duration.ofHours(1).toMillis()); // stepped forward
        assertEquals(1_700_000_003_000L, clock.millis(), "three seconds on, not an hour");
        wall.addAndGet(-Duration.ofHours(2).toMillis()); // and back
        nanos.addAndGet(Duration.ofMillis(1).toNanos());
        assertEquals(1_700_000_003_001L, clock.millis());
    }
}
