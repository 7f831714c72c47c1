package io.eddy.gateway;

import java.nio.ByteBuffer;
import org.apache.pekko.util.ByteString;

/**
 * An upper bound on the heap a request takes while it is handled: its decoded body, the JSON tree
 * Jackson builds of it, and the items and values an operation decodes from that tree. The tree and
 * the items are many times the body when its values are small: as measured with Jackson 2.20 and
 * compressed references, a list of empty maps ({@code {"M":{}},} repeated) takes 49 times its
 * bytes, a list of numbers ({@code {"N":"1"},}) 31 times, and {@code [{},{},…]} as a bare tree 28
 * times (architecture.md, "Request memory"). So the bound is counted from the body's structure,
 * in one pass over its bytes: a value starts only at the body's start or after one of
 * <code>{ [ : ,</code> outside strings, and costs at most {@value #PER_VALUE} bytes; every byte (which
 * strings, numbers and binaries hold, once as text and once decoded) at most {@value #PER_BYTE}.
 * For the worst case above that is 61 bytes a body byte against the 49 measured; for items of
 * strings it is a few times what they take.
 */
final class ParsedSize {

    static final long PER_VALUE = 128;
    static final long PER_BYTE = 4;

    private long bytes;
    private long values = 1;
    private boolean inString;
    private boolean escaped;

    /** The bound for a whole decoded body. */
    static long of(ByteString body) {
        ParsedSize size = new ParsedSize();
        if (body.isCompact()) {
            byte[] bytes = body.toArrayUnsafe();
            size.add(bytes, 0, bytes.length);
        } else {
            byte[] scratch = new byte[8192];
            for (ByteBuffer part : body.getByteBuffers()) {
                while (part.hasRemaining()) {
                    int n = Math.min(scratch.length, part.remaining());
                    part.get(scratch, 0, n);
                    size.add(scratch, 0, n);
                }
            }
        }
        return size.bound();
    }

    /** Counts the next {@code length} bytes of the body; its bytes may come in pieces cut anywhere. */
    void add(byte[] data, int offset, int length) {
        int values = 0;
        boolean inString = this.inString;
        boolean escaped = this.escaped;
        for (int i = offset, end = offset + length; i < end; i++) {
            byte b = data[i];
            if (inString) {
                if (escaped) escaped = false;
                else if (b == '\\') escaped = true;
                else if (b == '"') inString = false;
            } else if (b == '"') {
                inString = true;
            } else if (b == '{' || b == '[' || b == ':' || b == ',') {
                values++;
            }
        }
        this.values += values;
        this.inString = inString;
        this.escaped = escaped;
        this.bytes += length;
    }

    /** The bound for the bytes counted so far. */
    long bound() {
        return values * PER_VALUE + bytes * PER_BYTE;
    }
}
