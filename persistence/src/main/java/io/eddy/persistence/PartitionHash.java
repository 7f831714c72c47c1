package io.eddy.persistence;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigInteger;
import java.nio.ByteOrder;

/**
 * The 64-bit hash of an encoded partition key, and the mapping of hashes to partitions.
 *
 * <p>The hash is XXH64 with seed 0 (same output as the reference implementation, so it is
 * checked against known vectors and must never change: it is part of the on-disk key layout).
 *
 * <p>Partition i of N owns the contiguous range [i*2^64/N, (i+1)*2^64/N) of the unsigned hash
 * space, so partition i of N is exactly partitions 2i and 2i+1 of 2N: a partition can be split
 * in two without moving any item to a third.
 */
public final class PartitionHash {
    private static final long P1 = 0x9E3779B185EBCA87L;
    private static final long P2 = 0xC2B2AE3D27D4EB4FL;
    private static final long P3 = 0x165667B19E3779F9L;
    private static final long P4 = 0x85EBCA77C2B2AE63L;
    private static final long P5 = 0x27D4EB2F165667C5L;

    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private PartitionHash() {}

    /** XXH64 (seed 0) of the encoded partition key. */
    public static long hash(byte[] encodedPartitionKey) {
        byte[] in = encodedPartitionKey;
        int len = in.length;
        int pos = 0;
        long h;
        if (len >= 32) {
            long v1 = P1 + P2, v2 = P2, v3 = 0, v4 = -P1;
            int limit = len - 32;
            do {
                v1 = round(v1, (long) LONG_LE.get(in, pos));
                v2 = round(v2, (long) LONG_LE.get(in, pos + 8));
                v3 = round(v3, (long) LONG_LE.get(in, pos + 16));
                v4 = round(v4, (long) LONG_LE.get(in, pos + 24));
                pos += 32;
            } while (pos <= limit);
            h = Long.rotateLeft(v1, 1) + Long.rotateLeft(v2, 7) + Long.rotateLeft(v3, 12) + Long.rotateLeft(v4, 18);
            h = mergeRound(h, v1);
            h = mergeRound(h, v2);
            h = mergeRound(h, v3);
            h = mergeRound(h, v4);
        } else {
            h = P5;
        }
        h += len;
        while (pos + 8 <= len) {
            h ^= round(0, (long) LONG_LE.get(in, pos));
            h = Long.rotateLeft(h, 27) * P1 + P4;
            pos += 8;
        }
        if (pos + 4 <= len) {
            h ^= ((int) INT_LE.get(in, pos) & 0xFFFFFFFFL) * P1;
            h = Long.rotateLeft(h, 23) * P2 + P3;
            pos += 4;
        }
        while (pos < len) {
            h ^= (in[pos] & 0xFFL) * P5;
            h = Long.rotateLeft(h, 11) * P1;
            pos++;
        }
        h ^= h >>> 33;
        h *= P2;
        h ^= h >>> 29;
        h *= P3;
        h ^= h >>> 32;
        return h;
    }

    /** The partition (0..partitionCount-1) whose range holds {@code hash}: floor(hash * N / 2^64). */
    public static int partitionOf(long hash, int partitionCount) {
        requireCount(partitionCount);
        // The high 64 bits of the unsigned 128-bit product hash * N (Java 17 lacks unsignedMultiplyHigh).
        return (int) (Math.multiplyHigh(hash, partitionCount) + ((hash >> 63) & partitionCount));
    }

    /** The first hash (unsigned) owned by {@code partition}: ceil(partition * 2^64 / N). */
    public static long rangeStart(int partition, int partitionCount) {
        requirePartition(partition, partitionCount);
        BigInteger[] qr = BigInteger.valueOf(partition).shiftLeft(64).divideAndRemainder(BigInteger.valueOf(partitionCount));
        BigInteger start = qr[1].signum() == 0 ? qr[0] : qr[0].add(BigInteger.ONE);
        return start.longValue();
    }

    /** The last hash (unsigned, inclusive) owned by {@code partition}; 0xFFFF_FFFF_FFFF_FFFF for the last one. */
    public static long rangeLast(int partition, int partitionCount) {
        requirePartition(partition, partitionCount);
        if (partition == partitionCount - 1) return -1L;
        return rangeStart(partition + 1, partitionCount) - 1;
    }

    private static long round(long acc, long input) {
        acc += input * P2;
        acc = Long.rotateLeft(acc, 31);
        return acc * P1;
    }

    private static long mergeRound(long acc, long val) {
        acc ^= round(0, val);
        return acc * P1 + P4;
    }

    private static void requireCount(int partitionCount) {
        if (partitionCount <= 0) throw new IllegalArgumentException("partition count must be positive: " + partitionCount);
    }

    private static void requirePartition(int partition, int partitionCount) {
        requireCount(partitionCount);
        if (partition < 0 || partition >= partitionCount) {
            throw new IllegalArgumentException("partition " + partition + " not in [0, " + partitionCount + ")");
        }
    }
}
