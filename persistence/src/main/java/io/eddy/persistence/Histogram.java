package io.eddy.persistence;

import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;

/**
 * A histogram over fixed buckets, in Prometheus's sense: bucket {@code i} counts the values at
 * most {@code upperBounds[i]} and above the bound before it, and one more bucket (+Inf) counts the
 * rest. It is recorded on hot paths from many threads, so recording takes no lock and allocates
 * nothing: one {@link LongAdder} per bucket and one for the sum.
 */
public final class Histogram {

    /** Bucket bounds for durations in nanoseconds: 0.1 ms to 2.5 s, fine enough below a millisecond. */
    public static final long[] DURATION_BOUNDS_NANOS = {
            100_000, 250_000, 500_000, 1_000_000, 2_500_000, 5_000_000, 10_000_000, 25_000_000, 50_000_000,
            100_000_000, 250_000_000, 500_000_000, 1_000_000_000, 2_500_000_000L};

    private final long[] upperBounds;
    private final LongAdder[] buckets;
    private final LongAdder sum = new LongAdder();

    /** @param upperBounds the inclusive upper bounds of the finite buckets, strictly ascending */
    public Histogram(long... upperBounds) {
        if (upperBounds.length == 0) throw new IllegalArgumentException("a histogram needs at least one bucket bound");
        for (int i = 1; i < upperBounds.length; i++) {
            if (upperBounds[i] <= upperBounds[i - 1]) {
                throw new IllegalArgumentException("bucket bounds must be strictly ascending: " + Arrays.toString(upperBounds));
            }
        }
        this.upperBounds = upperBounds.clone();
        this.buckets = new LongAdder[upperBounds.length + 1];
        for (int i = 0; i < buckets.length; i++) buckets[i] = new LongAdder();
    }

    public void record(long value) {
        // A linear scan: the bounds are few, and most values fall in the first buckets.
        int bucket = 0;
        while (bucket < upperBounds.length && value > upperBounds[bucket]) bucket++;
        buckets[bucket].increment();
        sum.add(value);
    }

    /**
     * The counts so far. Each bucket is read once and the count is the last cumulative bucket, so
     * the buckets never decrease and +Inf always equals the count, even while others record; the
     * sum may lag or lead them by the values being recorded at that moment.
     */
    public Snapshot snapshot() {
        long[] cumulative = new long[buckets.length];
        long running = 0;
        for (int i = 0; i < buckets.length; i++) {
            running += buckets[i].sum();
            cumulative[i] = running;
        }
        return new Snapshot(upperBounds.clone(), cumulative, sum.sum());
    }

    /**
     * Cumulative counts: {@code cumulativeCounts[i]} values were at most {@code upperBounds[i]};
     * the last entry (one more than the bounds) is the +Inf bucket, which is every value.
     */
    public record Snapshot(long[] upperBounds, long[] cumulativeCounts, long sum) {

        /** A snapshot of nothing recorded yet. */
        public static Snapshot empty(long... upperBounds) {
            return new Snapshot(upperBounds.clone(), new long[upperBounds.length + 1], 0);
        }

        public long count() {
            return cumulativeCounts[cumulativeCounts.length - 1];
        }

        /** Both histograms' values together; they must have the same bounds. */
        public Snapshot plus(Snapshot other) {
            if (!Arrays.equals(upperBounds, other.upperBounds)) {
                throw new IllegalArgumentException("cannot add histograms with different bucket bounds");
            }
            long[] counts = new long[cumulativeCounts.length];
            for (int i = 0; i < counts.length; i++) counts[i] = cumulativeCounts[i] + other.cumulativeCounts[i];
            return new Snapshot(upperBounds, counts, sum + other.sum);
        }
    }
}
