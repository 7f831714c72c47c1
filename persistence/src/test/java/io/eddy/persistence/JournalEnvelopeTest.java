package io.eddy.persistence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.persistence.PersistentRepr;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.SerializerWithStringManifest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class JournalEnvelopeTest {

    public record Note(String text) {}

    /** Writes a note's text straight into the envelope, and counts how often it was asked for an array instead. */
    public static final class NoteSerializer extends SerializerWithStringManifest implements JournalEnvelope.PayloadWriter {
        static int arrays;

        @Override
        public int identifier() {
            return 9_901;
        }

        @Override
        public String manifest(Object o) {
            return "Note.v1";
        }

        @Override
        public byte[] toBinary(Object o) {
            arrays++;
            return ((Note) o).text().getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public void writePayload(Object payload, DataOutputStream out) throws IOException {
            out.write(((Note) payload).text().getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
            if (!manifest.equals("Note.v1")) throw new NotSerializableException(manifest);
            return new Note(new String(bytes, StandardCharsets.UTF_8));
        }
    }

    private static ActorSystem system;
    private static Serialization serialization;

    @BeforeAll
    static void start() {
        system = ActorSystem.create("journal-envelope", ConfigFactory.parseString("""
                pekko.actor.serializers.note = "io.eddy.persistence.JournalEnvelopeTest$NoteSerializer"
                pekko.actor.serialization-bindings {
                  "io.eddy.persistence.JournalEnvelopeTest$Note" = note
                }
                """).withFallback(ConfigFactory.load()));
        serialization = SerializationExtension.get(system);
    }

    @AfterAll
    static void stop() {
        system.terminate();
    }

    private static PersistentRepr repr(Object payload) {
        return PersistentRepr.apply(payload, 42, "partition|t|3", "event-manifest", false, null, "writer-1")
                .withTimestamp(1_700_000_000_123L);
    }

    private static void assertSameRepr(PersistentRepr expected, PersistentRepr actual) {
        assertEquals(expected.persistenceId(), actual.persistenceId());
        assertEquals(expected.sequenceNr(), actual.sequenceNr());
        assertEquals(expected.manifest(), actual.manifest());
        assertEquals(expected.writerUuid(), actual.writerUuid());
        assertEquals(expected.timestamp(), actual.timestamp());
        assertNull(actual.sender());
        assertTrue(actual.metadata().isEmpty());
    }

    @Test
    void aReprIsWrittenInEddysFormatWithTheEventWrittenInPlaceAndReadBack() {
        PersistentRepr repr = repr(new Note("héllo"));
        int arraysBefore = NoteSerializer.arrays;
        byte[] bytes = JournalEnvelope.write(serialization, repr);
        assertEquals(arraysBefore, NoteSerializer.arrays, "the event went straight into the envelope");
        assertEquals(0, bytes[0]);
        byte[] text = "héllo".getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(text, Arrays.copyOfRange(bytes, bytes.length - text.length, bytes.length), "the event's bytes end it");

        PersistentRepr read = JournalEnvelope.read(serialization, bytes);
        assertSameRepr(repr, read);
        assertEquals(new Note("héllo"), read.payload());
    }

    @Test
    void anEventWhoseSerializerOnlyMakesArraysIsCopiedIn() {
        PersistentRepr repr = repr(new byte[] {0, 1, 2, (byte) 0xFF});
        byte[] bytes = JournalEnvelope.write(serialization, repr);
        assertEquals(0, bytes[0]);
        PersistentRepr read = JournalEnvelope.read(serialization, bytes);
        assertSameRepr(repr, read);
        assertArrayEquals(new byte[] {0, 1, 2, (byte) 0xFF}, (byte[]) read.payload());

        PersistentRepr empty = repr(new byte[0]);
        assertArrayEquals(new byte[0], (byte[]) JournalEnvelope.read(serialization, JournalEnvelope.write(serialization, empty)).payload());
    }

    @Test
    void eventsInPekkosFormatAreStillRead() {
        PersistentRepr repr = repr(new Note("written by an older Eddy"));
        byte[] pekkos = serialization.serialize(repr).get();
        assertNotEquals(0, pekkos[0]);
        PersistentRepr read = JournalEnvelope.read(serialization, pekkos);
        assertSameRepr(repr, read);
        assertEquals(new Note("written by an older Eddy"), read.payload());
    }

    @Test
    void aReprWithMetadataIsWrittenInPekkosFormatAndKeepsIt() {
        PersistentRepr repr = repr(new Note("with metadata")).withMetadata(new Note("meta"));
        byte[] bytes = JournalEnvelope.write(serialization, repr);
        assertNotEquals(0, bytes[0]);
        PersistentRepr read = JournalEnvelope.read(serialization, bytes);
        assertEquals(new Note("with metadata"), read.payload());
        assertEquals(new Note("meta"), read.metadata().get());
    }

    @Test
    void anUnknownVersionOrATruncatedHeaderIsRefused() {
        byte[] bytes = JournalEnvelope.write(serialization, repr(new Note("x")));
        byte[] future = bytes.clone();
        future[1] = 2;
        UncheckedIOException unknown = assertThrows(UncheckedIOException.class, () -> JournalEnvelope.read(serialization, future));
        assertTrue(unknown.getCause() instanceof NotSerializableException, unknown.toString());
        assertThrows(UncheckedIOException.class, () -> JournalEnvelope.read(serialization, Arrays.copyOf(bytes, 12)));
    }
}
