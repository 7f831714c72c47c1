package io.eddy.persistence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class HistogramTest {

    @Test
    void aValueEqualToABoundCountsInThatBucketAndLargerOnesInPlusInf() {
        Histogram histogram = new Histogram(1, 10, 100);
        for (long value : new long[] {0, 1, 2, 10, 11, 100, 101, 5_000}) histogram.record(value);
        Histogram.Snapshot snapshot = histogram.snapshot();
        assertArrayEquals(new long[] {1, 10, 100}, snapshot.upperBounds());
        // <=1: 0 and 1; <=10: also 2 and 10; <=100: also 11 and 100; +Inf: also 101 and 5000.
        assertArrayEquals(new long[] {2, 4, 6, 8}, snapshot.cumulativeCounts());
        assertEquals(8, snapshot.count());
        assertEquals(0 + 1 + 2 + 10 + 11 + 100 + 101 + 5_000, snapshot.sum());
    }

    @Test
    void emptyHistogramHasZeroEverywhere() {
        Histogram.Snapshot snapshot = new Histogram(5).snapshot();
        assertArrayEquals(new long[] {0, 0}, snapshot.cumulativeCounts());
        assertEquals(0, snapshot.count());
        assertEquals(0, snapshot.sum());
        assertArrayEquals(snapshot.cumulativeCounts(), Histogram.Snapshot.empty(5).cumulativeCounts());
    }

    @Test
    void snapshotsAddBucketByBucket() {
        Histogram a = new Histogram(1, 2);
        Histogram b = new Histogram(1, 2);
        a.record(1);
        a.record(3);
        b.record(2);
        Histogram.Snapshot sum = a.snapshot().plus(b.snapshot());
        assertArrayEquals(new long[] {1, 2, 3}, sum.cumulativeCounts());
        assertEquals(6, sum.sum());
        assertThrows(IllegalArgumentException.class, () -> a.snapshot().plus(new Histogram(1, 3).snapshot()));
    }

    @Test
    void boundsMustBeGivenAndStrictlyAscending() {
        assertThrows(IllegalArgumentException.class, Histogram::new);
        assertThrows(IllegalArgumentException.class, () -> new Histogram(2, 1));
        assertThrows(IllegalArgumentException.class, () -> new Histogram(1, 1));
    }

    @Test
    void boundsAreCopied() {
        long[] bounds = {1, 2};
        Histogram histogram = new Histogram(bounds);
        bounds[0] = 5;
        histogram.record(1);
        assertArrayEquals(new long[] {1, 1, 1}, histogram.snapshot().cumulativeCounts());
        histogram.snapshot().upperBounds()[0] = 7;
        assertArrayEquals(new long[] {1, 2}, histogram.snapshot().upperBounds());
    }

    @Test
    void concurrentRecordingLosesNothing() throws Exception {
        Histogram histogram = new Histogram(10, 100);
        int threads = 4;
        int perThread = 20_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> recorders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread recorder = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                for (int i = 0; i < perThread; i++) histogram.record(i % 200); // 0..199: 11, 90 and 99 of every 200
            });
            recorder.start();
            recorders.add(recorder);
        }
        start.countDown();
        for (Thread recorder : recorders) recorder.join();
        Histogram.Snapshot snapshot = histogram.snapshot();
        long rounds = (long) threads * perThread / 200;
        assertArrayEquals(new long[] {11 * rounds, 101 * rounds, 200 * rounds}, snapshot.cumulativeCounts());
        assertEquals(rounds * (199L * 200 / 2), snapshot.sum());
    }
}
