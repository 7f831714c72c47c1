package io.eddy.persistence;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Objects;

/**
 * An OutputStream into a growable byte array, unsynchronized, kept per thread between uses.
 *
 * <p>Every write encodes something into bytes: the item for the item store, the event for the
 * journal (with the old and new images inside it), the response's JSON. Each used to grow a fresh
 * ByteArrayOutputStream from a few hundred bytes, copying at every doubling, and then copy the
 * result out: a 1 KB item was copied about five times per encoding. A sink kept by the thread has
 * already grown, so only the copy of the result remains. Encodings nest (an event's images are
 * encoded while the event is), so each thread keeps a few.
 */
public final class ByteArraySink extends OutputStream {

    /** What writes the bytes; {@code out} is the sink itself, {@link #data()} the same as a DataOutput. */
    @FunctionalInterface
    public interface Body {
        void write(ByteArraySink out) throws IOException;
    }

    /** A sink that grew past this is not kept: one large item must not pin its size in every thread. */
    private static final int KEPT_CAPACITY = 64 << 10;
    private static final int INITIAL_CAPACITY = 1 << 10;
    /** Nesting deeper than this (not done today) gets fresh sinks. */
    private static final int KEPT_PER_THREAD = 3;
    private static final ThreadLocal<ByteArraySink[]> KEPT = ThreadLocal.withInitial(() -> new ByteArraySink[KEPT_PER_THREAD]);

    private byte[] buffer = new byte[INITIAL_CAPACITY];
    private int count;
    private boolean inUse;
    private final DataOutputStream data = new DataOutputStream(this);

    private ByteArraySink() {}

    /** Runs {@code body} against a sink and returns a copy of what it wrote. */
    public static byte[] collect(Body body) {
        ByteArraySink sink = acquire();
        try {
            body.write(sink);
            return Arrays.copyOf(sink.buffer, sink.count);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // only if the body throws it: the sink itself never does
        } finally {
            sink.release();
        }
    }

    private static ByteArraySink acquire() {
        ByteArraySink[] kept = KEPT.get();
        for (int i = 0; i < kept.length; i++) {
            if (kept[i] == null) kept[i] = new ByteArraySink();
            if (!kept[i].inUse) {
                kept[i].inUse = true;
                return kept[i];
            }
        }
        ByteArraySink fresh = new ByteArraySink();
        fresh.inUse = true;
        return fresh;
    }

    private void release() {
        count = 0;
        if (buffer.length > KEPT_CAPACITY) buffer = new byte[INITIAL_CAPACITY];
        inUse = false;
    }

    /** The sink as a DataOutput (big-endian numbers, as {@link DataOutputStream} writes them). */
    public DataOutputStream data() {
        return data;
    }

    @Override
    public void write(int b) {
        ensureCapacity(count + 1);
        buffer[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        ensureCapacity(count + len);
        System.arraycopy(b, off, buffer, count, len);
        count += len;
    }

    private void ensureCapacity(int needed) {
        if (needed < 0) throw new OutOfMemoryError("encoding larger than 2 GB");
        if (needed > buffer.length) buffer = Arrays.copyOf(buffer, Math.max(needed, buffer.length << 1));
    }
}
