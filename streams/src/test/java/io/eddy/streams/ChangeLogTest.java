package io.eddy.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.persistence.JournalStore;
import io.eddy.shards.PartitionId;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChangeLogTest {

    @TempDir
    Path dir;

    private ActorSystem<Void> system;
    private JournalStore store;
    /** The partition stays empty, so nothing is read that would need deserializing. */
    private ChangeLog log;
    private final PartitionId partition = new PartitionId(UUID.randomUUID(), 0);

    @BeforeEach
    void start() throws Exception {
        system = ActorSystem.create(Behaviors.empty(), "change-log-test");
        store = JournalStore.open(dir, 100);
        log = new ChangeLog(store, null);
    }

    @AfterEach
    void stop() throws Exception {
        store.close();
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aReaderStoppedWhileWaitingLeavesNothingBehindOnItsPartitionsWait() throws Exception {
        CompletableFuture<Void> wait = store.nextAppend(partition.persistenceId());
        for (int run = 1; run <= 3; run++) {
            UniqueKillSwitch stop = log.followBatches(partition, 1, system.executionContext())
                    .viaMat(KillSwitches.single(), Keep.right())
                    .to(Sink.ignore())
                    .run(system);
            for (int waited = 0; wait.getNumberOfDependents() == 0 && waited < 5000; waited += 5) Thread.sleep(5);
            assertEquals(1, wait.getNumberOfDependents(), "run " + run + " waits on the partition's next write");
            stop.shutdown();
            for (int waited = 0; wait.getNumberOfDependents() > 0 && waited < 5000; waited += 5) Thread.sleep(5);
            assertEquals(0, wait.getNumberOfDependents(), "run " + run + " stopped, its wait is gone");
        }
        assertFalse(wait.isDone());
    }

    @Test
    void aReaderWokenByItsOtherFutureLeavesNothingBehindOnItsPartitionsWait() throws Exception {
        List<CompletableFuture<Void>> others = new CopyOnWriteArrayList<>();
        AtomicInteger emptyBatches = new AtomicInteger();
        UniqueKillSwitch stop = log.followBatches(partition, 1, system.executionContext(), () -> {
                    CompletableFuture<Void> other = new CompletableFuture<>();
                    others.add(other);
                    return other;
                })
                .viaMat(KillSwitches.single(), Keep.right())
                .to(Sink.foreach(batch -> {
                    if (batch.isEmpty()) emptyBatches.incrementAndGet();
                }))
                .run(system);
        for (int i = 1; i <= 50; i++) {
            for (int waited = 0; others.size() < i && waited < 5000; waited += 5) Thread.sleep(5);
            assertEquals(i, others.size(), "waiting again after each wake");
            others.get(i - 1).complete(null);
        }
        for (int waited = 0; others.size() < 51 && waited < 5000; waited += 5) Thread.sleep(5);
        assertEquals(50, emptyBatches.get(), "an empty batch for each wake that found nothing");
        // Fifty waits ended by the other future, one still waiting: only that one is left on the partition's wait.
        int dependents = store.nextAppend(partition.persistenceId()).getNumberOfDependents();
        assertTrue(dependents <= 1, dependents + " callbacks left on the partition's wait");
        stop.shutdown();
    }
}
