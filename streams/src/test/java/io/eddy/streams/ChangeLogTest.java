package io.eddy.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.eddy.model.AttributeValue;
import io.eddy.persistence.JournalEnvelope;
import io.eddy.persistence.JournalStore;
import io.eddy.shards.ChangeOrigin;
import io.eddy.shards.PartitionEvent.ItemChanged;
import io.eddy.shards.PartitionId;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.PersistentRepr;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
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
    private ChangeLog log;
    private Serialization serialization;
    private final PartitionId partition = new PartitionId(UUID.randomUUID(), 0);

    @BeforeEach
    void start() throws Exception {
        Config config = ConfigFactory.parseString("""
                pekko.actor.serializers.eddy-partition-event = "io.eddy.shards.PartitionEventSerializer"
                pekko.actor.serialization-bindings { "io.eddy.shards.PartitionEvent" = eddy-partition-event }
                """).withFallback(ConfigFactory.load());
        system = ActorSystem.create(Behaviors.empty(), "change-log-test", config);
        serialization = SerializationExtension.get(Adapter.toClassic(system));
        store = JournalStore.open(dir, 100);
        log = new ChangeLog(store, serialization);
    }

    @AfterEach
    void stop() throws Exception {
        store.close();
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aReaderStoppedWhileWaitingLeavesNothingBehindOnItsPartitionsWait() throws Exception {
        CompletableFuture<List<JournalStore.Event>> wait = store.nextAppend(partition.persistenceId());
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

    @Test
    void aReaderTakesTheEventsOfTheWriteThatWokeItWithoutReadingThemBack() throws Exception {
        GatedReader reader = gatedReaderWaiting();
        append(1, 2, 3);
        // Deleted before the reader goes on: it can only have them from the write that woke it.
        store.deleteTo(partition.persistenceId(), 3).get();
        reader.gate().open();
        awaitCount(reader.changes(), 3);
        assertEquals(List.of(List.of(1L, 2L, 3L)), reader.batches());
        assertEquals(Optional.of(Map.of("pk", AttributeValue.s("k"), "v", AttributeValue.n("2"))), reader.changes().get(1).event().newImage());
        assertEquals(Optional.of(Map.of("pk", AttributeValue.s("k"), "v", AttributeValue.n("1"))), reader.changes().get(1).event().oldImage());
        reader.stop().shutdown();
    }

    @Test
    void aWriteAfterTheOneThatWokeTheReaderIsReadFromTheJournalInOrder() throws Exception {
        GatedReader reader = gatedReaderWaiting();
        append(1, 2);
        append(3, 4);
        reader.gate().open();
        awaitCount(reader.changes(), 4);
        assertEquals(List.of(List.of(1L, 2L), List.of(3L, 4L)), reader.batches(), "the first write handed over, the second read");
        append(5);
        awaitCount(reader.changes(), 5);
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), sequenceNrs(reader.changes()));
        reader.stop().shutdown();
    }

    @Test
    void handedOverEventsAreTakenFromTheReadersNextOnAndUpToAGap() throws Exception {
        List<JournalStore.Event> events = new ArrayList<>();
        for (long n : new long[] {3, 4, 5, 7}) events.add(event(n));
        assertEquals(List.of(4L, 5L), sequenceNrs(log.handedOver(partition, 4, events, false).second()), "from the reader's next, to the gap");
        assertEquals(6L, log.handedOver(partition, 4, events, false).first());
        assertEquals(List.of(), log.handedOver(partition, 2, events, false).second(), "a write that does not go on from the reader's next: read instead");
        assertEquals(2L, log.handedOver(partition, 2, events, false).first());
        assertEquals(List.of(), log.handedOver(partition, 8, events, false).second(), "a write the reader has read already");
        assertEquals(8L, log.handedOver(partition, 8, events, false).first());
        assertEquals(8L, log.handedOver(partition, 7, events, false).first());
    }

    private static List<Long> sequenceNrs(List<ChangeLog.Change> changes) {
        return changes.stream().map(ChangeLog.Change::sequenceNr).toList();
    }

    /** A reader from the partition's start whose continuations wait for its gate, its batches' sequence numbers and its changes. */
    private record GatedReader(GatedExecutor gate, List<List<Long>> batches, List<ChangeLog.Change> changes, UniqueKillSwitch stop) {}

    /** A gated reader, once it waits for the partition's next write. */
    private GatedReader gatedReaderWaiting() throws InterruptedException {
        GatedExecutor gate = new GatedExecutor();
        List<List<Long>> batches = new CopyOnWriteArrayList<>();
        List<ChangeLog.Change> changes = new CopyOnWriteArrayList<>();
        UniqueKillSwitch stop = log.followBatches(partition, 1, gate)
                .viaMat(KillSwitches.single(), Keep.right())
                .to(Sink.foreach(batch -> {
                    if (batch.isEmpty()) return;
                    batches.add(sequenceNrs(batch));
                    changes.addAll(batch);
                }))
                .run(system);
        awaitWaiting();
        return new GatedReader(gate, batches, changes, stop);
    }

    private void awaitWaiting() throws InterruptedException {
        CompletableFuture<List<JournalStore.Event>> wait = store.nextAppend(partition.persistenceId());
        for (int waited = 0; wait.getNumberOfDependents() == 0 && waited < 5000; waited += 5) Thread.sleep(5);
        assertEquals(1, wait.getNumberOfDependents(), "the reader waits for the partition's next write");
    }

    private static void awaitCount(List<?> list, int count) throws InterruptedException {
        for (int waited = 0; list.size() < count && waited < 5000; waited += 5) Thread.sleep(5);
        assertEquals(count, list.size());
    }

    /** Appends, in one durable write, changes of item k whose number v goes from n - 1 to n. */
    private void append(long... sequenceNrs) throws Exception {
        List<JournalStore.Event> events = new ArrayList<>();
        for (long n : sequenceNrs) events.add(event(n));
        store.append(events).get();
    }

    private JournalStore.Event event(long n) {
        ItemChanged changed = new ItemChanged(new byte[] {1},
                n == 1 ? Optional.empty() : Optional.of(Map.of("pk", AttributeValue.s("k"), "v", AttributeValue.n(Long.toString(n - 1)))),
                Optional.of(Map.of("pk", AttributeValue.s("k"), "v", AttributeValue.n(Long.toString(n)))),
                n, ChangeOrigin.REQUEST);
        PersistentRepr repr = PersistentRepr.apply(changed, n, partition.persistenceId(), "", false, ActorRef.noSender(), "w");
        return new JournalStore.Event(partition.persistenceId(), n, JournalEnvelope.write(serialization, repr));
    }

    /** Holds the tasks given to it until opened, then runs them and those after at once. */
    private static final class GatedExecutor implements Executor {
        private final List<Runnable> held = new ArrayList<>();
        private boolean open;

        public void execute(Runnable task) {
            synchronized (this) {
                if (!open) {
                    held.add(task);
                    return;
                }
            }
            task.run();
        }

        void open() {
            List<Runnable> tasks;
            synchronized (this) {
                open = true;
                tasks = new ArrayList<>(held);
                held.clear();
            }
            tasks.forEach(Runnable::run);
        }
    }
}
