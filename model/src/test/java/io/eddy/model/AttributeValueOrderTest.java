package io.eddy.model;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AttributeValueOrderTest {

    @Test
    void numbersCompareNumerically() {
        assertTrue(AttributeValueOrder.compare(AttributeValue.n("9"), AttributeValue.n("10")) < 0);
        assertTrue(AttributeValueOrder.compare(AttributeValue.n("-1"), AttributeValue.n("-2")) > 0);
    }

    @Test
    void stringsCompareByUtf8BytesNotUtf16Units() {
        // U+FF61 encodes in UTF-16 above the surrogate of U+1F600, but below it in UTF-8.
        assertTrue(AttributeValueOrder.compare(AttributeValue.s("\uFF61"), AttributeValue.s("😀")) < 0);
        assertTrue("\uFF61".compareTo("😀") > 0);
        assertTrue(AttributeValueOrder.compare(AttributeValue.s("a"), AttributeValue.s("ab")) < 0);
        assertTrue(AttributeValueOrder.compare(AttributeValue.s("B"), AttributeValue.s("a")) < 0);
    }

    @Test
    void binariesCompareUnsigned() {
        assertTrue(AttributeValueOrder.compare(AttributeValue.b(new byte[]{0x7f}), AttributeValue.b(new byte[]{(byte) 0x80})) < 0);
    }

    @Test
    void onlyScalarsOfOneTypeHaveAnOrder() {
        assertFalse(AttributeValueOrder.isOrderable(AttributeType.BOOL));
        assertThrows(IllegalArgumentException.class,
                () -> AttributeValueOrder.compare(AttributeValue.s("1"), AttributeValue.n("1")));
        assertThrows(IllegalArgumentException.class,
                () -> AttributeValueOrder.compare(AttributeValue.BoolValue.TRUE, AttributeValue.BoolValue.FALSE));
    }
}
