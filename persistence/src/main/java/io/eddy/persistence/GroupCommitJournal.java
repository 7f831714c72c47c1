package io.eddy.persistence;

import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.pekko.actor.AbstractActor;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.persistence.AtomicWrite;
import org.apache.pekko.persistence.DeleteMessagesFailure;
import org.apache.pekko.persistence.DeleteMessagesSuccess;
import org.apache.pekko.persistence.JournalProtocol;
import org.apache.pekko.persistence.NonPersistentRepr;
import org.apache.pekko.persistence.PersistentEnvelope;
import org.apache.pekko.persistence.PersistentRepr;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Eddy's Pekko Persistence journal: events go to a {@link JournalStore}, whose single writer folds
 * the appends of all persistent actors waiting at the same moment into one fsynced batch. Pekko's
 * own LevelDB journal writes one request at a time, so its throughput is bounded by one fsync per
 * request; here it is bounded by one fsync per burst.
 *
 * <p>It speaks Pekko's journal protocol itself rather than through {@code AsyncWriteJournal}:
 * once a write is on disk, one task on the dispatcher tells its persistent actor the results.
 * {@code AsyncWriteJournal} took each write through a circuit breaker (a timer scheduled and
 * cancelled per write), two future callbacks on the dispatcher, and one journal-wide resequencer
 * actor that every reply (one per event) passed through on its way. The resequencer's order is
 * kept without it: a persistent actor has one write in flight at a time, and one task sends that
 * write's replies in order. (Telling the actors straight from the store's writer thread saved as
 * many context switches, but put the dispatcher's wake-ups on the thread every fsync waits for.)
 * A write fails when the store fails it (an I/O error), never on a timer. Event adapters are not
 * applied (Eddy configures none, and the plugin refuses to start with any); replays are not
 * filtered for several writers of one id, which a node's journal cannot have (each partition,
 * catalog and coordinator runs once per node).
 *
 * <p>Configured under its plugin path with {@code dir}, {@code max-batch-events} and
 * {@code segment-size}; the store itself belongs to the {@link JournalExtension}, so that change
 * streams can read it.
 */
public final class GroupCommitJournal extends AbstractActor {

    private final JournalStore store;
    private final Serialization serialization = SerializationExtension.get(getContext().getSystem());
    /** Replays and highest-sequence reads block on LevelDB; keep them off the journal actor. */
    private final ExecutorService readers = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "eddy-journal-reader");
        t.setDaemon(true);
        return t;
    });

    public GroupCommitJournal(Config config) {
        refuseEventAdapters(config);
        // Shared with the change-stream readers; the extension closes it when the system terminates.
        this.store = JournalExtension.get(getContext().getSystem()).open(config);
    }

    /** Pekko's own journals apply the event adapters their configuration binds; this one applies none, so it takes none. */
    static void refuseEventAdapters(Config config) {
        if (config.hasPath("event-adapter-bindings") && !config.getObject("event-adapter-bindings").isEmpty()) {
            throw new IllegalArgumentException("Eddy's journal does not apply event adapters; remove event-adapter-bindings");
        }
    }

    @Override
    public Receive createReceive() {
        return receiveBuilder()
                .match(JournalProtocol.WriteMessages.class, this::write)
                .match(JournalProtocol.ReplayMessages.class, this::replay)
                .match(JournalProtocol.DeleteMessagesTo.class, this::delete)
                .build();
    }

    /** One {@link JournalProtocol.WriteMessages}: its atomic writes, as serialized (or why not). */
    private void write(JournalProtocol.WriteMessages request) {
        List<PersistentEnvelope> messages = CollectionConverters.asJava(request.messages());
        List<JournalStore.Event> events = new ArrayList<>();
        List<Exception> rejections = new ArrayList<>(messages.size());
        for (PersistentEnvelope message : messages) {
            if (!(message instanceof AtomicWrite write)) {
                rejections.add(null);
                continue;
            }
            try {
                List<JournalStore.Event> serialized = new ArrayList<>();
                for (PersistentRepr repr : CollectionConverters.asJava(write.payload())) {
                    // The sender is not stored: it would be a dead reference by the time of a replay.
                    PersistentRepr stored = repr.update(repr.sequenceNr(), repr.persistenceId(), repr.deleted(), ActorRef.noSender(), repr.writerUuid());
                    serialized.add(new JournalStore.Event(repr.persistenceId(), repr.sequenceNr(), JournalEnvelope.write(serialization, stored)));
                }
                events.addAll(serialized);
                rejections.add(null);
            } catch (Exception e) {
                // A write that cannot be serialized is rejected alone; the others go ahead.
                rejections.add(e);
            }
        }
        CompletableFuture<Void> stored = events.isEmpty() ? CompletableFuture.completedFuture(null) : store.append(events);
        ActorRef self = getSelf();
        stored.whenCompleteAsync((ignored, failure) -> reply(request, messages, rejections, failure, self), getContext().getDispatcher());
    }

    private static void reply(JournalProtocol.WriteMessages request, List<PersistentEnvelope> messages, List<Exception> rejections,
                              Throwable cause, ActorRef self) {
        ActorRef actor = request.persistentActor();
        int instance = request.actorInstanceId();
        if (cause == null) {
            actor.tell(JournalProtocol.WriteMessagesSuccessful$.MODULE$, self);
        } else {
            long atomicWrites = messages.stream().filter(AtomicWrite.class::isInstance).count();
            actor.tell(new JournalProtocol.WriteMessagesFailed(cause, (int) atomicWrites), self);
        }
        for (int i = 0; i < messages.size(); i++) {
            PersistentEnvelope message = messages.get(i);
            if (message instanceof NonPersistentRepr loop) {
                actor.tell(new JournalProtocol.LoopMessageSuccess(loop.payload(), instance), loop.sender());
                continue;
            }
            Exception rejected = rejections.get(i);
            for (PersistentRepr repr : CollectionConverters.asJava(((AtomicWrite) message).payload())) {
                Object result = rejected != null ? new JournalProtocol.WriteMessageRejected(repr, rejected, instance)
                        : cause != null ? new JournalProtocol.WriteMessageFailure(repr, cause, instance)
                        : new JournalProtocol.WriteMessageSuccess(repr, instance);
                actor.tell(result, repr.sender());
            }
        }
    }

    /** The id's events from the request's first on, then its highest sequence number; never past that number. */
    private void replay(JournalProtocol.ReplayMessages request) {
        ActorRef actor = request.persistentActor();
        ActorRef self = getSelf();
        CompletableFuture.runAsync(() -> {
            try {
                long highest = store.highestSequenceNr(request.persistenceId());
                long to = Math.min(request.toSequenceNr(), highest);
                if (to > 0 && request.fromSequenceNr() <= to) {
                    store.replay(request.persistenceId(), request.fromSequenceNr(), to, request.max(), event -> {
                        PersistentRepr repr = JournalEnvelope.read(serialization, event.payload());
                        if (!repr.deleted()) actor.tell(new JournalProtocol.ReplayedMessage(repr), ActorRef.noSender());
                    });
                }
                actor.tell(new JournalProtocol.RecoverySuccess(highest), self);
            } catch (RuntimeException e) {
                actor.tell(new JournalProtocol.ReplayMessagesFailure(e), self);
            }
        }, readers);
    }

    private void delete(JournalProtocol.DeleteMessagesTo request) {
        ActorRef actor = request.persistentActor();
        ActorRef self = getSelf();
        long to = request.toSequenceNr();
        store.deleteTo(request.persistenceId(), to).whenComplete((ignored, failure) -> actor.tell(failure == null
                ? new DeleteMessagesSuccess(to)
                : new DeleteMessagesFailure(failure, to), self));
    }

    @Override
    public void postStop() {
        readers.shutdown();
    }
}
