package io.eddy.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static io.eddy.model.TestSupport.assertValidation;
import static io.eddy.model.TestSupport.item;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ItemKeysTest {

    private static final KeySchema HASH = KeySchema.hash("a", AttributeType.S);
    private static final KeySchema RANGE = KeySchema.hashAndRange("a", AttributeType.S, "b", AttributeType.S);
    private static final KeySchema RANGE_B = KeySchema.hashAndRange("a", AttributeType.S, "b", AttributeType.B);
    private static final KeySchema NUMERIC = KeySchema.hashAndRange("n", AttributeType.N, "s", AttributeType.S);
    private static final String MISMATCH = "The provided key element does not match the schema";

    @Test
    void keyOfItemReturnsPartitionThenSort() {
        Map<String, AttributeValue> key = ItemKeys.keyOfItem(item("{'c':{'S':'x'},'b':{'S':'2'},'a':{'S':'1'}}"), RANGE);
        assertEquals(List.of("a", "b"), List.copyOf(key.keySet()));
        assertEquals(AttributeValue.s("1"), key.get("a"));
        assertEquals(AttributeValue.s("2"), key.get("b"));
    }

    @Test
    void keyOfItemRefusesMissingKeys() {
        assertValidation("One or more parameter values were invalid: Missing the key a in the item",
                () -> ItemKeys.keyOfItem(item("{'b':{'S':'a'}}"), HASH));
        assertValidation("One or more parameter values were invalid: Missing the key b in the item",
                () -> ItemKeys.keyOfItem(item("{'a':{'S':'a'}}"), RANGE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{'B':'abcd'}", "{'N':'1'}", "{'BOOL':true}", "{'NULL':true}", "{'SS':['a']}",
            "{'NS':['1']}", "{'BS':['aaaa']}", "{'M':{}}", "{'L':[]}"})
    void keyOfItemRefusesWrongTypes(String value) {
        AttributeValue actual = TestSupport.value(value);
        assertValidation("One or more parameter values were invalid: Type mismatch for key a expected: S actual: "
                + actual.type(), () -> ItemKeys.keyOfItem(Map.of("a", actual), HASH));
    }

    @Test
    void keyOfItemRefusesEmptyKeys() {
        assertValidation("One or more parameter values are not valid. "
                        + "The AttributeValue for a key attribute cannot contain an empty string value. Key: a",
                () -> ItemKeys.keyOfItem(item("{'a':{'S':''}}"), HASH));
        assertValidation("One or more parameter values are not valid. "
                        + "The AttributeValue for a key attribute cannot contain an empty binary value. Key: b",
                () -> ItemKeys.keyOfItem(item("{'a':{'S':'a'},'b':{'B':''}}"), RANGE_B));
    }

    @Test
    void keyOfItemLimitsKeySizes() {
        ItemKeys.keyOfItem(Map.of("a", AttributeValue.s("x".repeat(2048))), HASH);
        assertValidation("One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes",
                () -> ItemKeys.keyOfItem(Map.of("a", AttributeValue.s("x".repeat(2049))), HASH));
        // Bytes, not characters: 683 three-byte characters are 2049 bytes.
        assertValidation("One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes",
                () -> ItemKeys.keyOfItem(Map.of("a", AttributeValue.s("€".repeat(683))), HASH));
        ItemKeys.keyOfItem(Map.of("a", AttributeValue.s("a"), "b", AttributeValue.s("x".repeat(1024))), RANGE);
        assertValidation("One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes",
                () -> ItemKeys.keyOfItem(Map.of("a", AttributeValue.s("a"), "b", AttributeValue.s("x".repeat(1025))), RANGE));
        assertValidation("One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes",
                () -> ItemKeys.keyOfItem(Map.of("a", AttributeValue.s("a"), "b", AttributeValue.b(new byte[1025])), RANGE_B));
    }

    @Test
    void numericKeysHaveNoSizeOrEmptinessProblem() {
        Map<String, AttributeValue> key = ItemKeys.keyOfItem(item("{'n':{'N':'0'},'s':{'S':'x'}}"), NUMERIC);
        assertEquals(AttributeValue.n("0"), key.get("n"));
    }

    @Test
    void validateKeyOrdersAndAcceptsAMatchingKey() {
        Map<String, AttributeValue> key = ItemKeys.validateKey(item("{'b':{'S':'2'},'a':{'S':'1'}}"), RANGE);
        assertEquals(List.of("a", "b"), List.copyOf(key.keySet()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{'b':{'S':'a'}}", "{'a':{'S':'a'},'b':{'S':'a'}}", "{'a':{'B':'abcd'}}",
            "{'a':{'N':'1'}}", "{'a':{'BOOL':true}}", "{'a':{'NULL':true}}", "{'a':{'SS':['a']}}", "{'a':{'NS':['1']}}",
            "{'a':{'BS':['aaaa']}}", "{'a':{'M':{}}}", "{'a':{'L':[]}}"})
    void validateKeyRefusesKeysNotMatchingTheSchema(String key) {
        assertValidation(MISMATCH, () -> ItemKeys.validateKey(item(key), HASH));
    }

    @Test
    void validateKeyRefusesMissingSortKey() {
        assertValidation(MISMATCH, () -> ItemKeys.validateKey(item("{'a':{'S':'a'}}"), RANGE));
        assertValidation(MISMATCH, () -> ItemKeys.validateKey(item("{'a':{'S':'a'},'c':{'S':'a'}}"), RANGE));
    }

    @Test
    void validateKeyRefusesEmptyKeys() {
        assertValidation("One or more parameter values are not valid. "
                        + "The AttributeValue for a key attribute cannot contain an empty string value. Key: a",
                () -> ItemKeys.validateKey(item("{'a':{'S':''}}"), HASH));
        assertValidation("One or more parameter values are not valid. "
                        + "The AttributeValue for a key attribute cannot contain an empty binary value. Key: b",
                () -> ItemKeys.validateKey(item("{'a':{'S':'a'},'b':{'B':''}}"), RANGE_B));
    }

    @Test
    void validateKeyLimitsKeySizes() {
        assertValidation("One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes",
                () -> ItemKeys.validateKey(Map.of("a", AttributeValue.s("x".repeat(2049))), HASH));
        assertValidation("One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes",
                () -> ItemKeys.validateKey(Map.of("a", AttributeValue.s("a"), "b", AttributeValue.s("x".repeat(1025))), RANGE));
    }

    @Test
    void checkItemSizeAllowsExactly400KiB() {
        // name "a" (1) + key "k" (1) + name "b" (1) + value
        ItemKeys.checkItemSize(Map.of("a", AttributeValue.s("k"), "b", AttributeValue.s("x".repeat(409_600 - 3))));
        assertValidation("Item size has exceeded the maximum allowed size",
                () -> ItemKeys.checkItemSize(Map.of("a", AttributeValue.s("k"), "b", AttributeValue.s("x".repeat(409_600 - 2)))));
    }

    private static final SecondaryIndex BY_TEAM = new SecondaryIndex("byTeam", java.util.UUID.randomUUID(), SecondaryIndex.Kind.GLOBAL,
            List.of(new KeySchema.KeyAttribute("team", AttributeType.S)), List.of(new KeySchema.KeyAttribute("nick", AttributeType.B)),
            new IndexProjection(IndexProjection.ProjectionType.ALL, List.of()), SecondaryIndex.Status.ACTIVE, null, null);

    private static TableMetadata tableWith(SecondaryIndex index) {
        return new TableMetadata("Players", java.util.UUID.randomUUID(), HASH,
                List.of(new TableMetadata.AttributeDefinition("a", AttributeType.S), new TableMetadata.AttributeDefinition("team", AttributeType.S),
                        new TableMetadata.AttributeDefinition("nick", AttributeType.B)),
                TableMetadata.BillingMode.PAY_PER_REQUEST, TableMetadata.Throughput.ON_DEMAND, java.time.Instant.EPOCH,
                java.util.Optional.empty(), TableMetadata.TableStatus.ACTIVE, 4, TableOptions.DEFAULTS.withIndexes(List.of(index)));
    }

    /** An index's key values are bounded as the table's: 2,048 bytes in its partition key, 1,024 in its sort key. */
    @Test
    void indexKeysAreLimitedInSize() {
        TableMetadata table = tableWith(BY_TEAM);
        AttributeValue longestNick = AttributeValue.b(new byte[1024]);
        Map<String, AttributeValue> fits = Map.of("a", AttributeValue.s("p"), "team", AttributeValue.s("é".repeat(1024)), "nick", longestNick);
        ItemKeys.checkIndexKeys(fits, java.util.Optional.empty(), table);

        Map<String, AttributeValue> longTeam = Map.of("a", AttributeValue.s("p"), "team", AttributeValue.s("é".repeat(1024) + "x"));
        assertValidation("One or more parameter values were invalid: Size limit exceeded for Index Key team Actual Size: 2049 bytes "
                + "Max Size: 2048 bytes IndexName: byTeam", () -> ItemKeys.checkIndexKeys(longTeam, java.util.Optional.empty(), table));
        // Written before the index was added, such an item stays writable.
        ItemKeys.checkIndexKeys(longTeam, java.util.Optional.of(longTeam), table);

        Map<String, AttributeValue> longNick = Map.of("a", AttributeValue.s("p"), "nick", AttributeValue.b(new byte[1025]));
        assertValidation("One or more parameter values were invalid: Size limit exceeded for Index Key nick Actual Size: 1025 bytes "
                + "Max Size: 1024 bytes IndexName: byTeam", () -> ItemKeys.checkIndexKeys(longNick, java.util.Optional.empty(), table));
    }
}
