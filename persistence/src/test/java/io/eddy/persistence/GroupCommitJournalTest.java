package io.eddy.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.AbstractActor;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Props;
import org.apache.pekko.persistence.AtomicWrite;
import org.apache.pekko.persistence.JournalProtocol;
import org.apache.pekko.persistence.NonPersistentRepr;
import org.apache.pekko.persistence.Persistence;
import org.apache.pekko.persistence.PersistentEnvelope;
import org.apache.pekko.persistence.PersistentRepr;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.jdk.javaapi.CollectionConverters;

/** The journal plugin's side of Pekko's journal protocol, spoken to it as a persistent actor would. */
class GroupCommitJournalTest {

    private static final int INSTANCE = 7;

    @TempDir
    Path dir;

    private ActorSystem system;
    private ActorRef journal;
    /** Stands in for the persistent actor: everything the journal tells it, in order. */
    private final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
    private ActorRef actor;

    static final class Recorder extends AbstractActor {
        private final BlockingQueue<Object> received;

        Recorder(BlockingQueue<Object> received) {
            this.received = received;
        }

        @Override
        public Receive createReceive() {
            return receiveBuilder().matchAny(received::add).build();
        }
    }

    @BeforeEach
    void start() {
        Config config = ConfigFactory.parseString("""
                eddy.journal {
                  class = "io.eddy.persistence.GroupCommitJournal"
                  plugin-dispatcher = "pekko.actor.default-dispatcher"
                  dir = "%s"
                  max-batch-events = 4096
                  segment-size = 1m
                }
                pekko.persistence.journal.plugin = "eddy.journal"
                pekko.loglevel = WARNING
                """.formatted(dir.toString().replace("\\", "/"))).withFallback(ConfigFactory.load());
        system = ActorSystem.create("journal-test", config);
        journal = Persistence.get(system).journalFor("eddy.journal", ConfigFactory.empty());
        actor = system.actorOf(Props.create(Recorder.class, () -> new Recorder(received)));
    }

    @AfterEach
    void stop() throws Exception {
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static PersistentRepr repr(String id, long seqNr, Object payload) {
        return PersistentRepr.apply(payload, seqNr, id, "", false, ActorRef.noSender(), "writer-1");
    }

    private static AtomicWrite atomic(PersistentRepr... events) {
        return AtomicWrite.apply(CollectionConverters.asScala(List.of(events)).toList());
    }

    private void write(PersistentEnvelope... messages) {
        journal.tell(new JournalProtocol.WriteMessages(CollectionConverters.asScala(List.of(messages)).toList(), actor, INSTANCE),
                ActorRef.noSender());
    }

    private Object next() throws InterruptedException {
        Object message = received.poll(10, TimeUnit.SECONDS);
        assertNotNull(message, "no reply from the journal");
        return message;
    }

    private <T> T next(Class<T> type) throws InterruptedException {
        return assertInstanceOf(type, next());
    }

    private void expectSuccess(long seqNr, Object payload) throws InterruptedException {
        JournalProtocol.WriteMessageSuccess success = next(JournalProtocol.WriteMessageSuccess.class);
        assertEquals(seqNr, success.persistent().sequenceNr());
        assertEquals(payload, success.persistent().payload());
        assertEquals(INSTANCE, success.actorInstanceId());
    }

    /** Replays the id from {@code from} and returns the payloads replayed and, last, the highest sequence number. */
    private List<Object> replay(String id, long from, long to, long max) throws InterruptedException {
        journal.tell(new JournalProtocol.ReplayMessages(from, to, max, id, actor), ActorRef.noSender());
        List<Object> replayed = new java.util.ArrayList<>();
        while (true) {
            Object message = next();
            if (message instanceof JournalProtocol.RecoverySuccess done) {
                replayed.add(done.highestSequenceNr());
                return replayed;
            }
            PersistentRepr repr = assertInstanceOf(JournalProtocol.ReplayedMessage.class, message).persistent();
            assertEquals(id, repr.persistenceId());
            assertSame(ActorRef.noSender(), repr.sender(), "the sender is not stored");
            replayed.add(repr.sequenceNr() + "=" + repr.payload());
        }
    }

    @Test
    void writesAreAcknowledgedInOrderOnceStoredAndReplayedWithoutTheirSender() throws Exception {
        PersistentRepr withSender = PersistentRepr.apply("b", 2, "p", "", false, actor, "writer-1");
        write(atomic(repr("p", 1, "a"), withSender), atomic(repr("p", 3, "c")));
        assertSame(JournalProtocol.WriteMessagesSuccessful$.MODULE$, next());
        expectSuccess(1, "a");
        expectSuccess(2, "b");
        expectSuccess(3, "c");
        assertEquals(List.of("1=a", "2=b", "3=c", 3L), replay("p", 1, Long.MAX_VALUE, Long.MAX_VALUE));
        assertEquals(List.of("2=b", 3L), replay("p", 2, 3, 1), "at most max events, the highest sequence number still");
        assertEquals(List.of(0L), replay("nobody", 1, Long.MAX_VALUE, Long.MAX_VALUE));
    }

    @Test
    void aWriteThatCannotBeSerializedIsRejectedAloneAndNeverReplayed() throws Exception {
        write(atomic(repr("q", 1, new Object()), repr("q", 2, "fine but in the same atomic write")), atomic(repr("q", 3, "ok")));
        assertSame(JournalProtocol.WriteMessagesSuccessful$.MODULE$, next());
        for (long seqNr = 1; seqNr <= 2; seqNr++) {
            JournalProtocol.WriteMessageRejected rejected = next(JournalProtocol.WriteMessageRejected.class);
            assertEquals(seqNr, rejected.message().sequenceNr());
            assertNotNull(rejected.cause());
            assertEquals(INSTANCE, rejected.actorInstanceId());
        }
        expectSuccess(3, "ok");
        assertEquals(List.of("3=ok", 3L), replay("q", 1, Long.MAX_VALUE, Long.MAX_VALUE));
    }

    @Test
    void loopedMessagesComeBackInTheirPlaceAmongTheWrites() throws Exception {
        write(NonPersistentRepr.apply("first", ActorRef.noSender()), atomic(repr("l", 1, "x")), NonPersistentRepr.apply("last", ActorRef.noSender()));
        assertSame(JournalProtocol.WriteMessagesSuccessful$.MODULE$, next());
        assertEquals("first", next(JournalProtocol.LoopMessageSuccess.class).message());
        expectSuccess(1, "x");
        assertEquals("last", next(JournalProtocol.LoopMessageSuccess.class).message());
        // Nothing but loops: answered without a write.
        write(NonPersistentRepr.apply("alone", ActorRef.noSender()));
        assertSame(JournalProtocol.WriteMessagesSuccessful$.MODULE$, next());
        assertEquals("alone", next(JournalProtocol.LoopMessageSuccess.class).message());
    }

    @Test
    void deletedEventsAreNotReplayedAndTheHighestSequenceNumberStays() throws Exception {
        write(atomic(repr("d", 1, "a"), repr("d", 2, "b"), repr("d", 3, "c")));
        assertSame(JournalProtocol.WriteMessagesSuccessful$.MODULE$, next());
        for (long seqNr = 1; seqNr <= 3; seqNr++) next(JournalProtocol.WriteMessageSuccess.class);
        journal.tell(new JournalProtocol.DeleteMessagesTo("d", 2, actor), ActorRef.noSender());
        assertEquals(2, next(org.apache.pekko.persistence.DeleteMessagesSuccess.class).toSequenceNr());
        assertEquals(List.of("3=c", 3L), replay("d", 1, Long.MAX_VALUE, Long.MAX_VALUE));
        journal.tell(new JournalProtocol.DeleteMessagesTo("d", 3, actor), ActorRef.noSender());
        next(org.apache.pekko.persistence.DeleteMessagesSuccess.class);
        assertEquals(List.of(3L), replay("d", 1, Long.MAX_VALUE, Long.MAX_VALUE));
    }

    @Test
    void aWriteTheStoreFailsIsFailedEventByEvent() throws Exception {
        JournalExtension.get(system).store().close();
        write(atomic(repr("f", 1, "a"), repr("f", 2, "b")), NonPersistentRepr.apply("loop", ActorRef.noSender()), atomic(repr("f", 3, "c")));
        JournalProtocol.WriteMessagesFailed failed = next(JournalProtocol.WriteMessagesFailed.class);
        assertEquals(2, failed.writeCount(), "atomic writes");
        assertNotNull(failed.cause());
        for (long seqNr = 1; seqNr <= 2; seqNr++) {
            JournalProtocol.WriteMessageFailure failure = next(JournalProtocol.WriteMessageFailure.class);
            assertEquals(seqNr, failure.message().sequenceNr());
            assertSame(failed.cause(), failure.cause());
        }
        assertEquals("loop", next(JournalProtocol.LoopMessageSuccess.class).message());
        assertEquals(3, next(JournalProtocol.WriteMessageFailure.class).message().sequenceNr());
        assertNull(received.poll(200, TimeUnit.MILLISECONDS), "nothing more");
    }

    @Test
    void eventAdaptersAreRefused() {
        Config plugin = system.settings().config().getConfig("eddy.journal");
        GroupCommitJournal.refuseEventAdapters(plugin);
        GroupCommitJournal.refuseEventAdapters(plugin.withFallback(system.settings().config().getConfig("pekko.persistence.journal-plugin-fallback")));
        Config adapted = ConfigFactory.parseString("event-adapters { a = \"x.Y\" }\nevent-adapter-bindings { \"java.lang.String\" = a }")
                .withFallback(plugin);
        assertThrows(IllegalArgumentException.class, () -> GroupCommitJournal.refuseEventAdapters(adapted));
    }
}
