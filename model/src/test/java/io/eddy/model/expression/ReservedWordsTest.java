package io.eddy.model.expression;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReservedWordsTest {

    @Test
    void holdsDynamoDbsWholeList() {
        assertEquals(573, ReservedWords.count());
    }

    @Test
    void comparesIgnoringCase() {
        assertTrue(ReservedWords.isReserved("ABORT"));
        assertTrue(ReservedWords.isReserved("abOrT"));
        assertTrue(ReservedWords.isReserved("zone"));
        assertTrue(ReservedWords.isReserved("Size"));
        assertTrue(ReservedWords.isReserved("FLATTERN"));
        assertFalse(ReservedWords.isReserved("things"));
        assertFalse(ReservedWords.isReserved("attribute_exists"));
        assertFalse(ReservedWords.isReserved(""));
    }
}
