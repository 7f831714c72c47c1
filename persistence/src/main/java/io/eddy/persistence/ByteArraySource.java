package io.eddy.persistence;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * An InputStream over a byte array. Unlike ByteArrayInputStream its reads are not synchronized:
 * decoding an item reads byte by byte and each stream is used by one thread.
 */
final class ByteArraySource extends InputStream {
    private final byte[] data;
    private int pos;

    ByteArraySource(byte[] data) {
        this.data = data;
    }

    @Override
    public int read() {
        return pos < data.length ? data[pos++] & 0xFF : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (len == 0) return 0;
        if (pos >= data.length) return -1;
        int n = Math.min(len, data.length - pos);
        System.arraycopy(data, pos, b, off, n);
        pos += n;
        return n;
    }

    /** The next {@code length} bytes as UTF-8, decoded from the array itself rather than a copy of them. */
    String readUtf8(int length) throws EOFException {
        if (length > data.length - pos) throw new EOFException();
        String s = new String(data, pos, length, StandardCharsets.UTF_8);
        pos += length;
        return s;
    }

    /** Skips the next {@code length} bytes, all of them or none. */
    void skipExactly(int length) throws EOFException {
        if (length > data.length - pos) throw new EOFException();
        pos += length;
    }

    @Override
    public int available() {
        return data.length - pos;
    }

    /** The offset in the array of the next byte to read. */
    int position() {
        return pos;
    }

    /** A DataInputStream that reads strings straight from its source (it does not buffer: the position is exact). */
    static final class Input extends DataInputStream {
        Input(ByteArraySource source) {
            super(source);
        }

        String readUtf8(int length) throws EOFException {
            return ((ByteArraySource) in).readUtf8(length);
        }

        void skipExactly(int length) throws EOFException {
            ((ByteArraySource) in).skipExactly(length);
        }

        int position() {
            return ((ByteArraySource) in).position();
        }
    }
}
