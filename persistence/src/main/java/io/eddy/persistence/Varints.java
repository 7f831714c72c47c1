package io.eddy.persistence;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.StreamCorruptedException;

/** Unsigned LEB128 variable-length integers: 7 bits a byte, high bit set on all but the last. */
final class Varints {
    private Varints() {}

    static void writeUnsigned(DataOutput out, long value) throws IOException {
        while ((value & ~0x7FL) != 0) {
            out.writeByte((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.writeByte((int) value);
    }

    static long readUnsigned(DataInput in) throws IOException {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = in.readByte() & 0xFF;
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) return value;
        }
        throw new StreamCorruptedException("varint longer than 10 bytes");
    }

    /** Zigzag, so that small negative numbers (like a BigDecimal scale) stay short. */
    static void writeSigned(DataOutput out, long value) throws IOException {
        writeUnsigned(out, (value << 1) ^ (value >> 63));
    }

    static long readSigned(DataInput in) throws IOException {
        long z = readUnsigned(in);
        return (z >>> 1) ^ -(z & 1);
    }

    /** A length or count, bounded so that a corrupt prefix cannot make us allocate gigabytes. */
    static int readLength(DataInput in, int max) throws IOException {
        long n = readUnsigned(in);
        if (n < 0 || n > max) throw new StreamCorruptedException("length " + Long.toUnsignedString(n) + " exceeds " + max);
        return (int) n;
    }
}
