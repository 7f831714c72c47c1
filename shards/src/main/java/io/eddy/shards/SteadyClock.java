package io.eddy.shards;

import java.util.function.LongSupplier;

/**
 * Two readings of now in epoch milliseconds, the wall clock and the wall clock as it was at start
 * plus the monotonic clock's progress since: one of them is right if the wall clock was right
 * either at start or now, so the true time lies between the earlier and the later of them,
 * whichever way the wall clock was stepped while the process ran (at start, before NTP had set
 * it; later, set forward or back). A window that must not end early (a ClientRequestToken's ten
 * minutes) starts at {@link #latestMillis} and is measured to {@link #earliestMillis}: a step
 * while the node runs can only lengthen it.
 */
public final class SteadyClock {

    /** The process's clock. */
    public static final SteadyClock PROCESS = new SteadyClock(System::currentTimeMillis, System::nanoTime);

    private final LongSupplier wallMillis;
    private final LongSupplier nanos;
    private final long startMillis;
    private final long startNanos;

    SteadyClock(LongSupplier wallMillis, LongSupplier nanos) {
        this.wallMillis = wallMillis;
        this.nanos = nanos;
        this.startNanos = nanos.getAsLong();
        this.startMillis = wallMillis.getAsLong();
    }

    /** Now, at the latest. */
    public long latestMillis() {
        return Math.max(wallMillis.getAsLong(), sinceStart());
    }

    /** Now, at the earliest. */
    public long earliestMillis() {
        return Math.min(wallMillis.getAsLong(), sinceStart());
    }

    private long sinceStart() {
        return startMillis + (nanos.getAsLong() - startNanos) / 1_000_000;
    }
}
