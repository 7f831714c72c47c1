package io.eddy.persistence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ByteArraySinkTest {

    @Test
    void collectsWhatTheBodyWroteAsAFreshArray() {
        byte[] first = ByteArraySink.collect(out -> {
            out.write(1);
            out.data().writeInt(0x02030405);
            out.write(new byte[] {9, 6, 7, 9}, 1, 2);
        });
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6, 7}, first);
        byte[] second = ByteArraySink.collect(out -> out.write(8));
        // the same per-thread sink, emptied: nothing of the first use is left, and the first result is untouched
        assertArrayEquals(new byte[] {8}, second);
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6, 7}, first);
        assertNotSame(first, second);
    }

    @Test
    void growsPastItsInitialCapacityAndBackAfterALargeEncoding() {
        byte[] large = new byte[200_000];
        Arrays.fill(large, (byte) 3);
        byte[] written = ByteArraySink.collect(out -> {
            for (int i = 0; i < large.length; i += 1000) out.write(large, i, 1000);
        });
        assertArrayEquals(large, written);
        assertArrayEquals(new byte[] {1, 2}, ByteArraySink.collect(out -> out.write(new byte[] {1, 2})));
    }

    @Test
    void nestedCollectsUseSeparateSinks() {
        byte[] outer = ByteArraySink.collect(out -> {
            out.write(1);
            byte[] inner = ByteArraySink.collect(in -> {
                in.write(2);
                byte[] innermost = ByteArraySink.collect(x -> ByteArraySink.collect(y -> y.write(5)));
                assertArrayEquals(new byte[0], innermost);
                byte[] deepest = ByteArraySink.collect(a -> a.write(ByteArraySink.collect(b -> b.write(ByteArraySink.collect(c -> c.write(4))))));
                in.write(deepest);
            });
            out.write(inner);
            out.write(3);
        });
        assertArrayEquals(new byte[] {1, 2, 4, 3}, outer);
    }

    @Test
    void aFailingBodyLeavesNothingBehind() {
        assertThrows(IllegalStateException.class, () -> ByteArraySink.collect(out -> {
            out.write(new byte[] {1, 2, 3});
            throw new IllegalStateException("bad");
        }));
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> ByteArraySink.collect(out -> {
            out.write(7);
            throw new IOException("io");
        }));
        assertEquals("io", e.getCause().getMessage());
        assertArrayEquals(new byte[] {4}, ByteArraySink.collect(out -> out.write(4)));
    }

    @Test
    void outOfRangeWritesAreRefused() {
        assertThrows(IndexOutOfBoundsException.class, () -> ByteArraySink.collect(out -> out.write(new byte[2], 1, 2)));
        assertEquals(0, ByteArraySink.collect(out -> out.write(new byte[2], 2, 0)).length);
    }
}
