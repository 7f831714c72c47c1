package io.eddy.persistence;

import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.apache.pekko.persistence.AtomicWrite;
import org.apache.pekko.persistence.PersistentRepr;
import org.apache.pekko.persistence.journal.japi.AsyncWriteJournal;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import scala.concurrent.Future;
import scala.jdk.javaapi.CollectionConverters;
import scala.jdk.javaapi.FutureConverters;

/**
 * Eddy's Pekko Persistence journal: events go to a {@link JournalStore}, whose single writer folds
 * the appends of all persistent actors waiting at the same moment into one fsynced LevelDB batch.
 * Pekko's own LevelDB journal writes one request at a time, so its throughput is bounded by one
 * fsync per request; here it is bounded by one fsync per burst.
 *
 * <p>Configured under its plugin path with {@code dir} and {@code max-batch-events}; the store
 * itself belongs to the {@link JournalExtension}, so that change streams can read it.
 */
public final class GroupCommitJournal extends AsyncWriteJournal {

    private final JournalStore store;
    private final Serialization serialization = SerializationExtension.get(context().system());
    /** Replays and highest-sequence reads block on LevelDB; keep them off the journal actor. */
    private final ExecutorService readers = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "eddy-journal-reader");
        t.setDaemon(true);
        return t;
    });

    public GroupCommitJournal(Config config) {
        // Shared with the change-stream readers; the extension closes it when the system terminates.
        this.store = JournalExtension.get(context().system()).open(config);
    }

    @Override
    public Future<Iterable<Optional<Exception>>> doAsyncWriteMessages(Iterable<AtomicWrite> messages) {
        List<Optional<Exception>> results = new ArrayList<>();
        List<JournalStore.Event> events = new ArrayList<>();
        for (AtomicWrite write : messages) {
            try {
                List<JournalStore.Event> serialized = new ArrayList<>();
                for (PersistentRepr repr : CollectionConverters.asJava(write.payload())) {
                    byte[] bytes = JournalEnvelope.write(serialization, repr);
                    serialized.add(new JournalStore.Event(repr.persistenceId(), repr.sequenceNr(), bytes));
                }
                events.addAll(serialized);
                results.add(Optional.empty());
            } catch (Exception e) {
                // A write that cannot be serialised is rejected alone; the others go ahead.
                results.add(Optional.of(e));
            }
        }
        CompletableFuture<Iterable<Optional<Exception>>> done = store.append(events).thenApply(ignored -> results);
        return FutureConverters.asScala(done);
    }

    @Override
    public Future<Void> doAsyncDeleteMessagesTo(String persistenceId, long toSequenceNr) {
        return FutureConverters.asScala(store.deleteTo(persistenceId, toSequenceNr));
    }

    @Override
    public Future<Void> doAsyncReplayMessages(String persistenceId, long fromSequenceNr, long toSequenceNr, long max,
                                              Consumer<PersistentRepr> replayCallback) {
        return FutureConverters.asScala(CompletableFuture.runAsync(() ->
                store.replay(persistenceId, fromSequenceNr, toSequenceNr, max, event ->
                        replayCallback.accept(JournalEnvelope.read(serialization, event.payload()))),
                readers));
    }

    @Override
    public Future<Long> doAsyncReadHighestSequenceNr(String persistenceId, long fromSequenceNr) {
        return FutureConverters.asScala(CompletableFuture.supplyAsync(() -> store.highestSequenceNr(persistenceId), readers));
    }

    @Override
    public void postStop() throws Exception {
        readers.shutdown();
        super.postStop();
    }
}
