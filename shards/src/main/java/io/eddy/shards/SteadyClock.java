package io.eddy.shards;

import java.util.function.LongSupplier;

/**
 * Epoch milliseconds that do not step while the process runs: the wall clock read once, plus the
 * monotonic clock's progress since. A window measured on it (a ClientRequestToken's ten minutes) is
 * not cut short by a wall clock stepped forward, nor stretched by one stepped back, while the node
 * runs; across a restart it takes up the wall clock again.
 */
public final class SteadyClock {

    /** The process's clock. */
    public static final SteadyClock PROCESS = new SteadyClock(System::currentTimeMillis, System::nanoTime);

    private final LongSupplier nanos;
    private final long startMillis;
    private final long startNanos;

    SteadyClock(LongSupplier wallMillis, LongSupplier nanos) {
        this.nanos = nanos;
        this.startNanos = nanos.getAsLong();
        this.startMillis = wallMillis.getAsLong();
    }

    public long millis() {
        return startMillis + (nanos.getAsLong() - startNanos) / 1_000_000;
    }
}
