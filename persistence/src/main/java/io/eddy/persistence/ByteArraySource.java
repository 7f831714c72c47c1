package io.eddy.persistence;

import java.io.InputStream;

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

    @Override
    public int available() {
        return data.length - pos;
    }
}
