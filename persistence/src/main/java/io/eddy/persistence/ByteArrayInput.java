package io.eddy.persistence;

import java.io.DataInput;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A {@link DataInput} that reads a byte array in place. Decoding, sizing and writing items as
 * JSON read their encodings byte by byte: a DataInputStream over an InputStream took a virtual
 * {@code read()} per byte, and its constructor allocated ~300 bytes of buffers (for
 * {@code readUTF} and {@code readLong}) for every item walked, a tenth of all a Query allocated.
 * Each input is used by one thread.
 */
final class ByteArrayInput implements DataInput {
    private final byte[] data;
    private int pos;

    ByteArrayInput(byte[] data) {
        this.data = data;
    }

    /** The offset in the array of the next byte to read. */
    int position() {
        return pos;
    }

    int available() {
        return data.length - pos;
    }

    /** Moves past the next {@code n} bytes, all of them or none; returns where they start. */
    private int advance(int n) throws EOFException {
        if (n < 0 || n > data.length - pos) throw new EOFException();
        int at = pos;
        pos += n;
        return at;
    }

    /** The next {@code length} bytes as UTF-8, decoded from the array itself rather than a copy of them. */
    String readUtf8(int length) throws EOFException {
        return new String(data, advance(length), length, StandardCharsets.UTF_8);
    }

    /** Skips the next {@code length} bytes, all of them or none. */
    void skipExactly(int length) throws EOFException {
        advance(length);
    }

    /** What is left, copied. */
    byte[] readRemaining() {
        byte[] rest = Arrays.copyOfRange(data, pos, data.length);
        pos = data.length;
        return rest;
    }

    @Override
    public void readFully(byte[] b) throws IOException {
        readFully(b, 0, b.length);
    }

    @Override
    public void readFully(byte[] b, int off, int len) throws IOException {
        System.arraycopy(data, advance(len), b, off, len);
    }

    @Override
    public int skipBytes(int n) {
        int skipped = Math.max(0, Math.min(n, data.length - pos));
        pos += skipped;
        return skipped;
    }

    @Override
    public boolean readBoolean() throws IOException {
        return readByte() != 0;
    }

    @Override
    public byte readByte() throws IOException {
        if (pos >= data.length) throw new EOFException();
        return data[pos++];
    }

    @Override
    public int readUnsignedByte() throws IOException {
        return readByte() & 0xFF;
    }

    @Override
    public short readShort() throws IOException {
        int at = advance(2);
        return (short) ((data[at] & 0xFF) << 8 | data[at + 1] & 0xFF);
    }

    @Override
    public int readUnsignedShort() throws IOException {
        return readShort() & 0xFFFF;
    }

    @Override
    public char readChar() throws IOException {
        return (char) readShort();
    }

    @Override
    public int readInt() throws IOException {
        int at = advance(4);
        return (data[at] & 0xFF) << 24 | (data[at + 1] & 0xFF) << 16 | (data[at + 2] & 0xFF) << 8 | data[at + 3] & 0xFF;
    }

    @Override
    public long readLong() throws IOException {
        long high = readInt();
        return high << 32 | readInt() & 0xFFFF_FFFFL;
    }

    @Override
    public float readFloat() throws IOException {
        return Float.intBitsToFloat(readInt());
    }

    @Override
    public double readDouble() throws IOException {
        return Double.longBitsToDouble(readLong());
    }

    /** Not part of any of Eddy's encodings. */
    @Override
    public String readLine() {
        throw new UnsupportedOperationException("readLine");
    }

    @Override
    public String readUTF() throws IOException {
        return DataInputStream.readUTF(this);
    }
}
