package io.eddy.streams;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Spreads a trimming pass's deletions evenly over a time budget. A deletion is a journal batch of
 * its own, and the appends queued behind it wait for it: deleted back to back, a minute's worth
 * of events kept the journal's writer busy for seconds, and every write then waited behind a
 * deletion. Paced, a deletion takes a small share of the writer's time all along instead.
 */
final class DeletionPace {

    /** Waits; a stand-in for {@link Thread#sleep} in tests. */
    interface Sleeper {
        void sleepNanos(long nanos) throws InterruptedException;
    }

    private final long total;
    private final long budgetNanos;
    private final LongSupplier clock;
    private final Sleeper sleeper;
    private final long start;
    private long done;

    DeletionPace(long total, Duration budget, LongSupplier clock, Sleeper sleeper) {
        this.total = total;
        this.budgetNanos = budget.toNanos();
        this.clock = clock;
        this.sleeper = sleeper;
        this.start = clock.getAsLong();
    }

    /** A pace for {@code total} events over {@code budget} of real time. */
    static DeletionPace of(long total, Duration budget) {
        return new DeletionPace(total, budget, System::nanoTime,
                nanos -> Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000)));
    }

    /**
     * Counts {@code events} as deleted and waits until the pace reaches them: the deletions that
     * follow may not run ahead of their share of the budget. Behind the pace, it does not wait.
     */
    void deleted(long events) throws InterruptedException {
        done += events;
        if (total <= 0) return;
        long due = start + (long) (Math.min(1.0, (double) done / total) * budgetNanos);
        long wait = due - clock.getAsLong();
        if (wait > 0) sleeper.sleepNanos(wait);
    }
}
