package io.eddy.persistence;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.UncheckedIOException;
import org.apache.pekko.persistence.PersistentRepr;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;

/**
 * How the journal stores a {@link PersistentRepr}: a small header of its own followed by the
 * event's bytes, instead of Pekko's protobuf {@code PersistentMessage}. Pekko's serializer has the
 * event serialized into an array, copies that into a payload message and the payload message into
 * the envelope's array: three copies of each event (both item images of a put) where this writes
 * one, and a serializer that is a {@link PayloadWriter} writes the event straight after the header.
 *
 * <p>The format: a 0 byte, the format version (1), the persistence id, the sequence number, the
 * repr's manifest, its writer's uuid, its timestamp, the event serializer's id and the event's
 * manifest (strings as {@link DataOutputStream#writeUTF}, numbers big-endian), then the event's
 * bytes to the end. A protobuf message never starts with a 0 byte (no field is numbered 0), so
 * events written in Pekko's format, by an older Eddy, are still read. A repr that carries what this
 * format has no room for (a sender, metadata) is written in Pekko's format.
 */
public final class JournalEnvelope {

    /** A serializer that writes an object's bytes into a stream rather than into an array of their own. */
    public interface PayloadWriter {
        void writePayload(Object payload, DataOutputStream out) throws IOException;
    }

    private static final byte MARKER = 0;
    private static final byte VERSION = 1;

    private JournalEnvelope() {}

    /** The repr's journal bytes. */
    public static byte[] write(Serialization serialization, PersistentRepr repr) {
        if (repr.sender() != null || repr.metadata().isDefined() || repr.deleted()) {
            return serialization.serialize(repr).get();
        }
        Object payload = repr.payload();
        Serializer serializer = serialization.findSerializerFor(payload);
        String payloadManifest = Serializers.manifestFor(serializer, payload);
        return ByteArraySink.collect(sink -> {
            DataOutputStream out = sink.data();
            out.writeByte(MARKER);
            out.writeByte(VERSION);
            out.writeUTF(repr.persistenceId());
            out.writeLong(repr.sequenceNr());
            out.writeUTF(repr.manifest());
            out.writeUTF(repr.writerUuid());
            out.writeLong(repr.timestamp());
            out.writeInt(serializer.identifier());
            out.writeUTF(payloadManifest);
            if (serializer instanceof PayloadWriter direct) direct.writePayload(payload, out);
            else out.write(serializer.toBinary(payload));
        });
    }

    /** The repr in {@code bytes}, written by {@link #write} or by Pekko's own serializer. */
    public static PersistentRepr read(Serialization serialization, byte[] bytes) {
        if (bytes.length == 0 || bytes[0] != MARKER) return serialization.deserialize(bytes, PersistentRepr.class).get();
        try {
            ByteArrayInput in = new ByteArrayInput(bytes);
            in.readByte();
            byte version = in.readByte();
            if (version != VERSION) throw new NotSerializableException("journal envelope of unknown version " + version);
            String persistenceId = in.readUTF();
            long sequenceNr = in.readLong();
            String manifest = in.readUTF();
            String writerUuid = in.readUTF();
            long timestamp = in.readLong();
            int serializerId = in.readInt();
            String payloadManifest = in.readUTF();
            byte[] payloadBytes = in.readRemaining();
            Object payload = serialization.deserialize(payloadBytes, serializerId, payloadManifest).get();
            return PersistentRepr.apply(payload, sequenceNr, persistenceId, manifest, false, null, writerUuid)
                    .withTimestamp(timestamp);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
