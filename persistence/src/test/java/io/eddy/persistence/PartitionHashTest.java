package io.eddy.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.eddy.model.AttributeValue;

class PartitionHashTest {
    private static final BigInteger TWO_TO_64 = BigInteger.ONE.shiftLeft(64);

    /** XXH64 (seed 0) of bytes (i*7+3) for i < length, computed with the reference libxxhash 0.8.1. */
    private static final Map<Integer, Long> REFERENCE = Map.ofEntries(
            Map.entry(0, 0xEF46DB3751D8E999L),
            Map.entry(1, 0x1F25C8D0BC1F4BB6L),
            Map.entry(2, 0xF5BEDEC232706303L),
            Map.entry(3, 0x31D2363F52E564C9L),
            Map.entry(4, 0x9BB64B7D66EE9FDAL),
            Map.entry(5, 0xC7608EFDDB7051FEL),
            Map.entry(7, 0x9A7B149959CE60D8L),
            Map.entry(8, 0xDAB99D95C6F90092L),
            Map.entry(9, 0x170BB6BF975B4C02L),
            Map.entry(11, 0x7A52CC9457CF1A1FL),
            Map.entry(12, 0xD52E407833AF5133L),
            Map.entry(15, 0x1B47CB8243CC8E32L),
            Map.entry(16, 0x434850232B787BE2L),
            Map.entry(31, 0xA2AA5F33CC4A6119L),
            Map.entry(32, 0x23C3C17EF790FD97L),
            Map.entry(33, 0x50A7CFC7BA588784L),
            Map.entry(39, 0x880BBEEA606E4B37L),
            Map.entry(40, 0xB620306B253D76B6L),
            Map.entry(63, 0x5E3E54B431C7493CL),
            Map.entry(64, 0x0EB64B3EF6EEB01FL),
            Map.entry(65, 0xA383B724B2BD12F1L),
            Map.entry(100, 0xA61F8D4C170FE531L),
            Map.entry(257, 0xB7B604F7E4F822FAL));

    @Test
    void matchesReferenceXxh64OnEveryCodePath() {
        REFERENCE.forEach((length, expected) -> {
            byte[] input = new byte[length];
            for (int i = 0; i < length; i++) input[i] = (byte) (i * 7 + 3);
            assertEquals(expected.longValue(), PartitionHash.hash(input), () -> "length " + length);
        });
        assertEquals(0xD24EC4F1A98C6E5BL, PartitionHash.hash("a".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(0x44BC2CF5AD770999L, PartitionHash.hash("abc".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void sequentialKeysSpreadEvenlyOverPartitions() {
        int partitions = 64, keys = 200_000;
        int[] strings = new int[partitions], numbers = new int[partitions];
        for (int i = 0; i < keys; i++) {
            strings[PartitionHash.partitionOf(PartitionHash.hash(KeyEncoding.encode(AttributeValue.s("user#" + i))), partitions)]++;
            numbers[PartitionHash.partitionOf(PartitionHash.hash(KeyEncoding.encode(AttributeValue.n(Integer.toString(i)))), partitions)]++;
        }
        // chi-square with 63 degrees of freedom: 103.4 is the 0.1% critical value
        assertTrue(chiSquare(strings, keys) < 103.4, "strings: " + chiSquare(strings, keys));
        assertTrue(chiSquare(numbers, keys) < 103.4, "numbers: " + chiSquare(numbers, keys));
    }

    private static double chiSquare(int[] counts, int total) {
        double expected = (double) total / counts.length, sum = 0;
        for (int c : counts) sum += (c - expected) * (c - expected) / expected;
        return sum;
    }

    @Test
    void flippingOneInputBitFlipsAboutHalfTheOutputBits() {
        Random rnd = new Random(11);
        long flipped = 0, trials = 0;
        for (int t = 0; t < 2000; t++) {
            byte[] input = new byte[1 + rnd.nextInt(48)];
            rnd.nextBytes(input);
            long base = PartitionHash.hash(input);
            int bit = rnd.nextInt(input.length * 8);
            input[bit / 8] ^= (byte) (1 << (bit % 8));
            flipped += Long.bitCount(base ^ PartitionHash.hash(input));
            trials++;
        }
        double mean = (double) flipped / trials;
        assertTrue(mean > 31 && mean < 33, "mean flipped bits " + mean);
    }

    @Test
    void partitionOfIsFloorOfHashTimesCountOverTwoToThe64() {
        Random rnd = new Random(3);
        int[] counts = {1, 2, 3, 7, 10, 64, 1000, 65_537, Integer.MAX_VALUE};
        for (int i = 0; i < 50_000; i++) {
            long hash = rnd.nextLong();
            int n = counts[rnd.nextInt(counts.length)];
            int expected = unsigned(hash).multiply(BigInteger.valueOf(n)).divide(TWO_TO_64).intValueExact();
            assertEquals(expected, PartitionHash.partitionOf(hash, n), () -> Long.toHexString(hash) + " of " + n);
        }
        assertEquals(0, PartitionHash.partitionOf(0, 8));
        assertEquals(4, PartitionHash.partitionOf(Long.MIN_VALUE, 8));
        assertEquals(7, PartitionHash.partitionOf(-1L, 8));
    }

    @Test
    void rangesAreContiguousAndCoverTheHashSpace() {
        for (int n : new int[] {1, 2, 3, 5, 7, 64, 100, 1023}) {
            assertEquals(0L, PartitionHash.rangeStart(0, n));
            assertEquals(-1L, PartitionHash.rangeLast(n - 1, n));
            for (int i = 0; i < n; i++) {
                long start = PartitionHash.rangeStart(i, n), last = PartitionHash.rangeLast(i, n);
                assertTrue(Long.compareUnsigned(start, last) <= 0);
                assertEquals(i, PartitionHash.partitionOf(start, n));
                assertEquals(i, PartitionHash.partitionOf(last, n));
                if (i > 0) {
                    assertEquals(i - 1, PartitionHash.partitionOf(start - 1, n));
                    assertEquals(PartitionHash.rangeLast(i - 1, n) + 1, start);
                }
            }
        }
    }

    @Test
    void splittingAPartitionGivesItsTwoHalves() {
        Random rnd = new Random(17);
        for (int n : new int[] {1, 3, 5, 64, 1000}) {
            for (int i = 0; i < n; i++) {
                assertEquals(PartitionHash.rangeStart(i, n), PartitionHash.rangeStart(2 * i, 2 * n));
                assertEquals(PartitionHash.rangeLast(i, n), PartitionHash.rangeLast(2 * i + 1, 2 * n));
            }
            for (int t = 0; t < 10_000; t++) {
                long hash = rnd.nextLong();
                assertEquals(PartitionHash.partitionOf(hash, n), PartitionHash.partitionOf(hash, 2 * n) / 2);
            }
        }
    }

    @Test
    void rejectsBadPartitionArguments() {
        assertThrows(IllegalArgumentException.class, () -> PartitionHash.partitionOf(1, 0));
        assertThrows(IllegalArgumentException.class, () -> PartitionHash.rangeStart(4, 4));
        assertThrows(IllegalArgumentException.class, () -> PartitionHash.rangeLast(-1, 4));
    }

    private static BigInteger unsigned(long value) {
        BigInteger v = BigInteger.valueOf(value);
        return value >= 0 ? v : v.add(TWO_TO_64);
    }
}
