package io.eddy.persistence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalMetricsTest {

    @TempDir
    Path dir;

    private static JournalStore.Event event(String id, long seqNr) {
        return new JournalStore.Event(id, seqNr, "payload".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void everySyncedBatchIsRecordedWithItsEventCount() throws Exception {
        try (JournalStore store = JournalStore.open(dir, 1_000)) {
            JournalMetrics.register(store);
            try {
                store.append(List.of(event("a", 1), event("a", 2), event("a", 3))).get();
                store.append(List.of(event("b", 1))).get();
                store.deleteTo("a", 1).get(); // a batch with no events and, emptying no segment, no fsync
                Histogram.Snapshot batches = JournalMetrics.batchEvents();
                assertEquals(2, batches.count());
                assertEquals(4, batches.sum());
                assertArrayEquals(new long[] {1, 1, 2}, java.util.Arrays.copyOf(batches.cumulativeCounts(), 3), "<=1, <=2, <=4");

                // Concurrent appends share fsyncs; whatever the grouping, the histogram agrees with the counters.
                List<CompletableFuture<Void>> appends = new ArrayList<>();
                for (int i = 0; i < 500; i++) appends.add(store.append(List.of(event("p" + i, 1), event("p" + i, 2))));
                CompletableFuture.allOf(appends.toArray(CompletableFuture[]::new)).get();
                batches = JournalMetrics.batchEvents();
                assertEquals(store.syncs(), batches.count());
                assertEquals(store.eventsWritten(), batches.sum());
                assertEquals(JournalMetrics.syncs(), batches.count());
                Histogram.Snapshot durations = JournalMetrics.syncDurations();
                assertEquals(batches.count(), durations.count(), "one duration per synced batch");
                assertTrue(durations.sum() > 0);
            } finally {
                JournalMetrics.unregister(store);
            }
            assertEquals(0, JournalMetrics.batchEvents().count(), "a closed journal leaves the metrics");
            assertEquals(0, JournalMetrics.syncDurations().count());
        }
    }
}
