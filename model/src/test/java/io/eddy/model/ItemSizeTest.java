package io.eddy.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.util.Map;

import static io.eddy.model.TestSupport.item;
import static io.eddy.model.TestSupport.value;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ItemSizeTest {

    @Test
    void maxItemSizeIs400KiB() {
        assertEquals(409_600, ItemSize.MAX_ITEM_SIZE);
    }

    @Test
    void scalarsAndNames() {
        assertEquals(1 + 3, ItemSize.of(item("{'a':{'S':'abc'}}")));
        assertEquals(2 + 2, ItemSize.of(item("{'ab':{'B':'AQI='}}")));
        assertEquals(1 + 1, ItemSize.of(item("{'a':{'BOOL':false}}")));
        assertEquals(1 + 1, ItemSize.of(item("{'a':{'NULL':true}}")));
        assertEquals(0, ItemSize.of(item("{}")));
    }

    @Test
    void stringsAndNamesCountUtf8Bytes() {
        assertEquals(2 + 3 + 4, ItemSize.of(Map.of("é", AttributeValue.s("€𝄞"))));
    }

    @ParameterizedTest
    @CsvSource({
            "0, 1",
            "1, 2",
            "12.3456, 4",
            "-12.3456, 5",
            "1.23456, 5",
            "10, 2",
            "100, 2",
            "0.001, 2",
            // dynalite's item-limit tests: 1 followed by 125 zeros and similar
            "1e125, 2",
            "11e124, 2",
            "11111e121, 4",
            "111111e120, 4",
            "1111111e119, 5",
            "11111111111111111111111111111111111111e88, 20",
    })
    void numbersTakeAboutOneBytePerTwoDigits(String number, long size) {
        assertEquals(size, ItemSize.ofNumber(new BigDecimal(number)));
        assertEquals(size, ItemSize.of(AttributeValue.n(number)));
    }

    @Test
    void setsAreTheSumOfTheirMembers() {
        assertEquals(3 + 2, ItemSize.of(value("{'SS':['abc','de']}")));
        assertEquals(4 + 2, ItemSize.of(value("{'NS':['12.3456','1']}")));
        assertEquals(2 + 1 + 1, ItemSize.of(value("{'BS':['AQI=','Ag==','AQ==']}")));
    }

    @Test
    void documentsAddThreeBytesAndOnePerElement() {
        assertEquals(3, ItemSize.of(value("{'L':[]}")));
        assertEquals(3, ItemSize.of(value("{'M':{}}")));
        // 3 + (1+1) + (1+2) + (1+2) + (1+3)
        assertEquals(15, ItemSize.of(value("{'L':[{'S':'a'},{'S':'aa'},{'S':'bb'},{'S':'ccc'}]}")));
        // 3 + 2 entries + (2+2) + (3+3)
        assertEquals(15, ItemSize.of(value("{'M':{'aa':{'S':'aa'},'bbb':{'S':'bbb'}}}")));
    }

    /** Items from dynalite's capacity tests, which sit exactly on the 4 KB read-unit boundary. */
    @Test
    void matchesDynamoDbCapacityBoundaries() {
        String a = "'a':{'S':'0123456789'}";
        assertEquals(4096, ItemSize.of(item("{" + a + ",'b':{'S':'" + "b".repeat(4071) + "'},'c':{'N':'12.3456'},"
                + "'d':{'B':'AQI='},'e':{'BS':['AQI=','Ag==','AQ==']}}")));
        assertEquals(4096, ItemSize.of(item("{" + a + ",'bb':{'S':'" + "b".repeat(3999) + "'},'ccc':{'N':'12.3456'},"
                + "'dddd':{'B':'AQI='},'eeeee':{'BS':['AQI=','Ag==','AQ==']},'ffffff':{'NULL':true},"
                + "'ggggggg':{'BOOL':false},'hhhhhhhh':{'L':[{'S':'a'},{'S':'aa'},{'S':'bb'},{'S':'ccc'}]},"
                + "'iiiiiiiii':{'M':{'aa':{'S':'aa'},'bbb':{'S':'bbb'}}}}")));
        assertEquals(4097, ItemSize.of(item("{" + a + ",'ab':{'S':'" + "b".repeat(4027) + "'},'abc':{'NULL':true},"
                + "'abcd':{'BOOL':true},'abcde':{'L':[{'S':'aa'},{'N':'12.3456'},{'B':'AQI='}]},"
                + "'abcdef':{'M':{'aa':{'S':'aa'},'bbb':{'N':'12.3456'},'cccc':{'B':'AQI='}}}}")));
    }

    @Test
    void utf8LengthHandlesSurrogates() {
        assertEquals(4, ItemSize.utf8Length("𝄞"));
        assertEquals(3, ItemSize.utf8Length("\uD800"));
        assertEquals(0, ItemSize.utf8Length(""));
    }
}
