package io.eddy.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeletionPaceTest {

    /** A clock that only the sleeps move, plus the time the test says the deletions took. */
    private final long[] now = {1_000};
    private final List<Long> sleeps = new ArrayList<>();

    private DeletionPace pace(long total, Duration budget) {
        return new DeletionPace(total, budget, () -> now[0], nanos -> {
            sleeps.add(nanos);
            now[0] += nanos;
        });
    }

    @Test
    void deletionsAheadOfTheirShareOfTheBudgetWaitForIt() throws Exception {
        DeletionPace pace = pace(1_000, Duration.ofSeconds(10));
        now[0] += 100_000_000; // the first 250 took 0.1 s; their share is 2.5 s
        pace.deleted(250);
        assertEquals(List.of(2_400_000_000L), sleeps);
        pace.deleted(250);
        assertEquals(List.of(2_400_000_000L, 2_500_000_000L), sleeps);
    }

    @Test
    void deletionsBehindThePaceDoNotWait() throws Exception {
        DeletionPace pace = pace(1_000, Duration.ofSeconds(10));
        now[0] += 6_000_000_000L; // slower than the budget allows
        pace.deleted(500);
        now[0] += 1_000_000;
        pace.deleted(100);
        assertEquals(List.of(), sleeps);
        pace.deleted(400); // catches up with the pace, ending with the budget
        assertEquals(List.of(3_999_000_000L), sleeps);
    }

    @Test
    void moreDeletionsThanCountedEndWithTheBudget() throws Exception {
        DeletionPace pace = pace(100, Duration.ofSeconds(1));
        pace.deleted(150);
        pace.deleted(10);
        assertEquals(List.of(1_000_000_000L), sleeps);
        DeletionPace none = pace(0, Duration.ofSeconds(1));
        none.deleted(10);
        assertEquals(1, sleeps.size(), "nothing counted: no pace");
    }
}
