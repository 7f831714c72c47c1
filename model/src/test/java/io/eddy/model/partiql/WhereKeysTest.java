package io.eddy.model.partiql;

import static io.eddy.model.TestSupport.assertValidation;
import static io.eddy.model.TestSupport.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.model.AttributeType;
import io.eddy.model.AttributeValue;
import io.eddy.model.KeySchema;
import io.eddy.model.expression.Condition;
import io.eddy.model.query.KeyOperator;
import io.eddy.model.query.KeyTerm;
import io.eddy.model.query.QuerySchema;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WhereKeysTest {

    private static final String INCOMPLETE = "Where clause does not contain a mandatory equality on all key attributes";
    private static final KeySchema HASH = KeySchema.hash("pk", AttributeType.S);
    /** A string partition key and a number sort key. */
    private static final KeySchema RANGE = KeySchema.hashAndRange("pk", AttributeType.S, "sk", AttributeType.N);
    /** A string partition key and a string sort key. */
    private static final KeySchema STRING_RANGE = KeySchema.hashAndRange("pk", AttributeType.S, "sk", AttributeType.S);
    private static final AttributeValue A = AttributeValue.s("a");

    /** The condition of {@code SELECT * FROM tbl WHERE condition}. */
    private static Condition where(String condition, AttributeValue... parameters) {
        Statement.Select select = (Statement.Select) PartiqlParser.parse("SELECT * FROM tbl WHERE " + condition, List.of(parameters));
        return select.where().orElseThrow();
    }

    private static Map<String, AttributeValue> itemKey(String condition, KeySchema schema, AttributeValue... parameters) {
        return WhereKeys.itemKey(where(condition, parameters), schema);
    }

    private static boolean namesItem(String condition, KeySchema schema) {
        return WhereKeys.namesItem(Optional.of(where(condition)), schema);
    }

    private static Optional<List<KeyTerm>> queryTerms(String condition, KeySchema schema, AttributeValue... parameters) {
        return WhereKeys.queryTerms(Optional.of(where(condition, parameters)), QuerySchema.of(schema));
    }

    private static KeyTerm term(String attribute, KeyOperator operator, AttributeValue... values) {
        return new KeyTerm(attribute, operator, List.of(values));
    }

    private static AttributeValue n(String text) {
        return AttributeValue.n(text);
    }

    @Nested
    class ItemKey {
        @Test
        void hashOnly() {
            assertEquals(map("pk", A), itemKey("pk = 'a'", HASH));
            assertEquals(map("pk", A), itemKey("'a' = pk AND x > 1", HASH));
            assertEquals(map("pk", A), itemKey("x = 1 AND pk = ?", HASH, A));
        }

        @Test
        void hashAndRangeInSchemaOrder() {
            Map<String, AttributeValue> key = itemKey("sk = 2 AND x = 'y' AND pk = 'a'", RANGE);
            assertEquals(map("pk", A, "sk", n("2")), key);
            assertEquals(List.of("pk", "sk"), List.copyOf(key.keySet()));
            assertEquals(map("pk", A, "sk", n("2")), itemKey("2 = sk AND 'a' = pk", RANGE));
        }

        @Test
        void everyKeyAttributeNeedsAnEquality() {
            assertValidation(INCOMPLETE, () -> itemKey("pk = 'a'", RANGE));
            assertValidation(INCOMPLETE, () -> itemKey("sk = 1", RANGE));
            assertValidation(INCOMPLETE, () -> itemKey("x = 'a'", HASH));
            assertValidation(INCOMPLETE, () -> itemKey("pk >= 'a'", HASH));
            assertValidation(INCOMPLETE, () -> itemKey("pk = other", HASH));
            assertValidation(INCOMPLETE, () -> itemKey("pk.x = 'a'", HASH));
            assertValidation(INCOMPLETE, () -> itemKey("pk IN ['a']", HASH));
            assertValidation(INCOMPLETE, () -> itemKey("NOT pk = 'a'", HASH));
            assertValidation(INCOMPLETE, () -> itemKey("PK = 'a'", HASH));
        }

        @Test
        void twoEqualitiesOnOneKey() {
            assertValidation("Multiple conditions on same key pk. Only single item Update/Insert/Delete are supported",
                    () -> itemKey("pk = 'a' AND pk = 'b'", HASH));
            assertValidation("Multiple conditions on same key pk. Only single item Update/Insert/Delete are supported",
                    () -> itemKey("pk = 'a' AND 'a' = pk", HASH));
            assertValidation("Multiple conditions on same key sk. Only single item Update/Insert/Delete are supported",
                    () -> itemKey("pk = 'a' AND sk = 1 AND sk = 2", RANGE));
        }

        @Test
        void anEqualityUnderOrDoesNotCount() {
            assertValidation(INCOMPLETE, () -> itemKey("pk = 'a' OR pk = 'b'", HASH));
            assertValidation(INCOMPLETE, () -> itemKey("(pk = 'a' OR x = 1) AND sk = 1", RANGE));
            assertEquals(map("pk", A), itemKey("pk = 'a' AND (pk = 'b' OR x = 1)", HASH));
            assertEquals(map("pk", A, "sk", n("1")), itemKey("(pk = 'a' AND sk = 1) AND x = 2", RANGE));
        }
    }

    @Nested
    class NamesItem {
        @Test
        void whenEveryKeyAttributeHasOneEquality() {
            assertTrue(namesItem("pk = 'a'", HASH));
            assertTrue(namesItem("pk = 'a' AND sk = 1 AND x > 2", RANGE));
            assertFalse(namesItem("pk = 'a'", RANGE));
            assertFalse(namesItem("pk = 'a' AND pk = 'b'", HASH));
            assertFalse(namesItem("pk = 'a' AND (sk = 1 OR sk = 2)", RANGE));
            assertFalse(namesItem("pk > 'a'", HASH));
            assertFalse(WhereKeys.namesItem(Optional.empty(), HASH));
        }
    }

    @Nested
    class QueryTerms {
        @Test
        void partitionEquality() {
            assertEquals(Optional.of(List.of(term("pk", KeyOperator.EQ, A))), queryTerms("pk = 'a' AND x = 1", HASH));
            assertEquals(Optional.of(List.of(term("pk", KeyOperator.EQ, A))), queryTerms("'a' = pk", RANGE));
        }

        @ParameterizedTest
        @CsvSource({"sk = 5, EQ", "sk < 5, LT", "sk <= 5, LE", "sk > 5, GT", "sk >= 5, GE",
                "5 = sk, EQ", "5 < sk, GT", "5 <= sk, GE", "5 > sk, LT", "5 >= sk, LE"})
        void sortComparisons(String comparison, KeyOperator operator) {
            assertEquals(Optional.of(List.of(term("pk", KeyOperator.EQ, A), term("sk", operator, n("5")))),
                    queryTerms(comparison + " AND pk = 'a'", RANGE));
        }

        @Test
        void sortBetweenAndBeginsWith() {
            assertEquals(Optional.of(List.of(term("pk", KeyOperator.EQ, A), term("sk", KeyOperator.BETWEEN, n("1"), n("9")))),
                    queryTerms("pk = 'a' AND sk BETWEEN 1 AND ?", RANGE, n("9")));
            KeyTerm beginsWith = term("sk", KeyOperator.BEGINS_WITH, AttributeValue.s("x"));
            assertEquals(Optional.of(List.of(term("pk", KeyOperator.EQ, A), beginsWith)),
                    queryTerms("pk = 'a' AND begins_with(sk, 'x')", STRING_RANGE));
        }

        @Test
        void theFirstUsableSortBoundIsPicked() {
            assertEquals(Optional.of(List.of(term("pk", KeyOperator.EQ, A), term("sk", KeyOperator.LT, n("9")))),
                    queryTerms("pk = 'a' AND sk > 'x' AND sk < 9 AND sk > 1", RANGE));
        }

        @Test
        void sortConditionsThatBoundNoRangeAreLeftToTheFilter() {
            Optional<List<KeyTerm>> partitionOnly = Optional.of(List.of(term("pk", KeyOperator.EQ, A)));
            assertEquals(partitionOnly, queryTerms("pk = 'a' AND sk > 'x'", RANGE));
            assertEquals(partitionOnly, queryTerms("pk = 'a' AND sk BETWEEN 1 AND 'z'", RANGE));
            assertEquals(partitionOnly, queryTerms("pk = 'a' AND sk = 5", STRING_RANGE));
            assertEquals(partitionOnly, queryTerms("pk = 'a' AND begins_with(sk, 'x')", RANGE));
            assertEquals(partitionOnly, queryTerms("pk = 'a' AND sk <> 5", RANGE));
            assertEquals(partitionOnly, queryTerms("pk = 'a' AND sk BETWEEN 1 AND x", RANGE));
            assertEquals(partitionOnly, queryTerms("pk = 'a' AND sk IN [1, 2]", RANGE));
            assertEquals(partitionOnly, queryTerms("pk = 'a' AND (sk = 1 OR sk = 2)", RANGE));
            assertEquals(partitionOnly, queryTerms("pk = 'a' AND NOT sk = 1", RANGE));
        }

        @Test
        void noSinglePartitionEqualityLeavesAScan() {
            assertEquals(Optional.empty(), WhereKeys.queryTerms(Optional.empty(), QuerySchema.of(HASH)));
            assertEquals(Optional.empty(), queryTerms("sk = 5", RANGE));
            assertEquals(Optional.empty(), queryTerms("pk > 'a'", HASH));
            assertEquals(Optional.empty(), queryTerms("pk = 'a' OR pk = 'b'", HASH));
            assertEquals(Optional.empty(), queryTerms("(pk = 'a' OR x = 1) AND sk = 5", RANGE));
            assertEquals(Optional.empty(), queryTerms("pk = 'a' AND pk = 'b'", HASH));
        }

        @Test
        void anIndexWithSeveralPartitionAttributes() {
            KeySchema.KeyAttribute g1 = new KeySchema.KeyAttribute("g1", AttributeType.S);
            KeySchema.KeyAttribute g2 = new KeySchema.KeyAttribute("g2", AttributeType.N);
            KeySchema.KeyAttribute s1 = new KeySchema.KeyAttribute("s1", AttributeType.N);
            QuerySchema index = new QuerySchema(List.of(g1, g2), List.of(s1), RANGE);
            List<KeyTerm> terms = List.of(term("g1", KeyOperator.EQ, A), term("g2", KeyOperator.EQ, n("1")),
                    term("s1", KeyOperator.GE, n("3")));
            assertEquals(Optional.of(terms), WhereKeys.queryTerms(Optional.of(where("g2 = 1 AND s1 >= 3 AND g1 = 'a'")), index));
            assertEquals(Optional.empty(), WhereKeys.queryTerms(Optional.of(where("g1 = 'a' AND pk = 'a'")), index));
        }
    }

    @Nested
    class PartitionReads {
        private Optional<List<List<KeyTerm>>> reads(String condition, KeySchema schema) {
            return WhereKeys.partitionReads(Optional.of(where(condition)), QuerySchema.of(schema));
        }

        private List<KeyTerm> partition(String value, KeyTerm... more) {
            List<KeyTerm> terms = new java.util.ArrayList<>(List.of(term("pk", KeyOperator.EQ, AttributeValue.s(value))));
            terms.addAll(List.of(more));
            return terms;
        }

        @Test
        void oneEqualityIsOneQuery() {
            assertEquals(Optional.of(List.of(partition("a"))), reads("pk = 'a' AND x = 1", HASH));
        }

        @Test
        void inListsAndOrBranchesAreReadInKeyOrderOnceEach() {
            assertEquals(Optional.of(List.of(partition("a"), partition("b"), partition("c"))),
                    reads("pk IN ['c', 'a', 'b', 'a']", HASH));
            assertEquals(Optional.of(List.of(partition("a"), partition("b"))),
                    reads("pk = 'b' AND x = 1 OR y = 2 AND pk = 'a'", HASH));
            assertEquals(Optional.of(List.of(partition("a"), partition("b"), partition("c"))),
                    reads("x > 0 AND (pk = 'c' OR pk IN ['a', 'b'])", HASH));
        }

        @Test
        void aTopLevelSortBoundAppliesToEveryPartition() {
            KeyTerm bound = term("sk", KeyOperator.GT, n("3"));
            assertEquals(Optional.of(List.of(partition("a", bound), partition("b", bound))),
                    reads("pk IN ['b', 'a'] AND sk > 3", RANGE));
            assertEquals(Optional.of(List.of(partition("a"), partition("b"))), reads("pk = 'a' AND sk > 3 OR pk = 'b'", RANGE));
        }

        @Test
        void valuesOfAnotherTypeMatchNothing() {
            assertEquals(Optional.of(List.of(partition("a"))), reads("pk IN [1, 'a', TRUE]", HASH));
        }

        @Test
        void aBranchThatDoesNotPinThePartitionKeyLeavesAScan() {
            assertEquals(Optional.empty(), reads("pk = 'a' OR x = 1", HASH));
            assertEquals(Optional.empty(), reads("pk IN ['a', x]", HASH));
            assertEquals(Optional.empty(), reads("NOT pk IN ['a']", HASH));
            assertEquals(Optional.empty(), reads("pk > 'a'", HASH));
        }

        @Test
        void atMostFiftyPartitions() {
            String fifty = String.join(", ", java.util.stream.IntStream.range(0, 50).mapToObj(i -> "'k" + i + "'").toList());
            assertEquals(50, reads("pk IN [" + fifty + "]", HASH).orElseThrow().size());
            assertValidation("Too many decomposed read operations for a given query.",
                    () -> reads("pk IN [" + fifty + ", 'more']", HASH));
        }
    }

    @Nested
    class WithoutKeyEqualities {
        @Test
        void theRestOfTheConditionStays() {
            Condition rest = WhereKeys.withoutKeyEqualities(where("pk = 'a' AND x > 1 AND 2 = sk AND y = 'b'"), RANGE).orElseThrow();
            assertEquals(where("x > 1 AND y = 'b'"), rest);
            assertEquals(Optional.empty(), WhereKeys.withoutKeyEqualities(where("sk = 1 AND 'a' = pk"), RANGE));
            assertEquals(Optional.of(where("pk > 'a'")), WhereKeys.withoutKeyEqualities(where("pk > 'a'"), HASH));
        }
    }
}
