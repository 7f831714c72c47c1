package io.eddy.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OpenFileBudgetTest {

    @Test
    void sharesWhatTheLimitLeavesAfterTheReserve() {
        assertEquals(11_385, OpenFileBudget.shareOf(20_000, 60)); // (20,000 - 1,024) * 60%
        assertEquals(307, OpenFileBudget.shareOf(1_024, 60)); // a small limit keeps half of itself
    }

    @Test
    void staysWithinLevelDbsBounds() {
        assertEquals(50_000, OpenFileBudget.shareOf(1L << 20, 60));
        assertEquals(20, OpenFileBudget.shareOf(40, 5));
        assertEquals(20, OpenFileBudget.shareOf(0, 60));
    }

    @Test
    void theDatabasesTogetherLeaveTheReserveFree() {
        // From 512 up: below that, LevelDB's floor of 20 files a database outweighs the shares.
        for (long limit = 512; limit <= 200_000; limit = limit * 3 / 2) {
            long all = OpenFileBudget.shareOf(limit, 60) + OpenFileBudget.shareOf(limit, 15)
                    + OpenFileBudget.shareOf(limit, 5) + OpenFileBudget.shareOf(limit, 5);
            assertTrue(all <= limit - Math.min(1024, limit / 2), "limit " + limit + ": " + all);
        }
    }

    @Test
    void theRunningProcessGetsAtLeastLevelDbsMinimum() {
        assertTrue(OpenFileBudget.itemStore() >= 20);
        assertTrue(OpenFileBudget.journalIndex() >= 20);
        assertTrue(OpenFileBudget.smallDatabase() >= 20);
    }
}
