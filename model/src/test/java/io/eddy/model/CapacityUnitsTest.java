package io.eddy.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CapacityUnitsTest {

    /** An item whose accounting size is exactly {@code bytes}: a one-letter name and a string. */
    private static Optional<Map<String, AttributeValue>> itemOf(int bytes) {
        return Optional.of(Map.of("a", AttributeValue.s("x".repeat(bytes - 1))));
    }

    @Test
    void readsRoundUpTo4KBAndEventualReadsCostHalf() {
        assertEquals(1.0, CapacityUnits.readItem(itemOf(4096), true));
        assertEquals(0.5, CapacityUnits.readItem(itemOf(4096), false));
        assertEquals(2.0, CapacityUnits.readItem(itemOf(4097), true));
        assertEquals(1.0, CapacityUnits.readItem(itemOf(4097), false));
        assertEquals(3.0, CapacityUnits.readItem(itemOf(10 * 1024), true));
    }

    @Test
    void aMissingItemStillCostsOneRead() {
        assertEquals(1.0, CapacityUnits.readItem(Optional.empty(), true));
        assertEquals(0.5, CapacityUnits.readItem(Optional.empty(), false));
        assertEquals(0.5, CapacityUnits.read(0, false));
    }

    @Test
    void pagesRoundTheirTotalOnce() {
        assertEquals(1.0, CapacityUnits.read(3 * 1000, true));
        assertEquals(12.5, CapacityUnits.read(100 * 1024, false));
        assertEquals(26.0, CapacityUnits.read(100 * 1024 + 1, true));
    }

    @Test
    void writesRoundUpTo1KBOfTheLargerImage() {
        assertEquals(1.0, CapacityUnits.write(Optional.empty(), itemOf(1024)));
        assertEquals(2.0, CapacityUnits.write(Optional.empty(), itemOf(1025)));
        assertEquals(3.0, CapacityUnits.write(itemOf(2500), itemOf(10)));
        assertEquals(1.0, CapacityUnits.write(Optional.empty(), Optional.empty()));
        assertEquals(2.0, CapacityUnits.write(itemOf(1500), Optional.empty()));
    }
}
