package io.eddy.shards;

import io.eddy.persistence.ByteArraySink;
import io.eddy.persistence.JournalEnvelope;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.UncheckedIOException;
import org.apache.pekko.serialization.SerializerWithStringManifest;

/**
 * The framing the journal's event serializers share: an event is written to and read from a
 * {@link DataOutputStream}/{@link DataInputStream}, its manifest says which event (and format
 * version) the bytes hold. The journal has them write an event straight into its envelope
 * ({@link JournalEnvelope.PayloadWriter}).
 */
abstract class BinaryEventSerializer extends SerializerWithStringManifest implements JournalEnvelope.PayloadWriter {

    interface Body {
        void write(DataOutputStream out) throws IOException;
    }

    /** Writes {@code event}'s fields; throws IllegalArgumentException for an object it does not know. */
    protected abstract void write(Object event, DataOutputStream out) throws IOException;

    /** Reads the event that {@code manifest} names; throws NotSerializableException for an unknown one. */
    protected abstract Object read(String manifest, DataInputStream in) throws IOException;

    @Override
    public final byte[] toBinary(Object event) {
        return bytes(out -> write(event, out));
    }

    @Override
    public final void writePayload(Object event, DataOutputStream out) throws IOException {
        write(event, out);
    }

    @Override
    public final Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
        try {
            return read(manifest, new DataInputStream(new ByteArrayInputStream(bytes)));
        } catch (NotSerializableException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] bytes(Body body) {
        return ByteArraySink.collect(sink -> body.write(sink.data()));
    }
}
