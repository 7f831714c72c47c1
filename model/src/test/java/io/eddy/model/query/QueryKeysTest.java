package io.eddy.model.query;

import static io.eddy.model.TestSupport.assertValidation;
import static io.eddy.model.TestSupport.item;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.model.AttributeType;
import io.eddy.model.AttributeValue;
import io.eddy.model.KeySchema;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class QueryKeysTest {

    private static final KeySchema HASH = KeySchema.hash("a", AttributeType.S);
    private static final KeySchema RANGE = KeySchema.hashAndRange("a", AttributeType.S, "b", AttributeType.S);
    private static final AttributeValue ONE = AttributeValue.s("1");

    private static KeyTerm term(String attribute, KeyOperator operator, AttributeValue... values) {
        return new KeyTerm(attribute, operator, List.of(values));
    }

    private static KeyCondition resolve(KeySchema schema, String startKey, KeyTerm... terms) {
        return QueryKeys.resolve(List.of(terms), schema, Optional.ofNullable(startKey).map(json -> item(json)));
    }

    @Test
    void partitionEqualityAndAnOptionalSortCondition() {
        assertEquals(new KeyCondition(ONE, Optional.empty()), resolve(HASH, null, term("a", KeyOperator.EQ, ONE)));
        KeyTerm sort = term("b", KeyOperator.BEGINS_WITH, AttributeValue.s("x"));
        assertEquals(new KeyCondition(ONE, Optional.of(sort)), resolve(RANGE, null, sort, term("a", KeyOperator.EQ, ONE)));
        assertEquals(new KeyCondition(ONE, Optional.empty()), resolve(RANGE, null, term("a", KeyOperator.EQ, ONE)));
    }

    @Test
    void aTableOrSingleAttributeIndexTakesOneOrTwoConditions() {
        assertValidation("Conditions can be of length 1 or 2 only", () -> resolve(RANGE, null, term("a", KeyOperator.EQ, ONE),
                term("b", KeyOperator.EQ, ONE), term("c", KeyOperator.EQ, ONE)));
    }

    @Test
    void aKeyConditionExpressionNamesAtMostAsManyConditionsAsTheSchemaHasKeyAttributes() {
        KeyTerm a = term("a", KeyOperator.EQ, ONE);
        KeyTerm b = term("b", KeyOperator.EQ, ONE);
        QueryKeys.checkExpressionConditionCount(List.of(a), QuerySchema.of(HASH));
        QueryKeys.checkExpressionConditionCount(List.of(a, b), QuerySchema.of(RANGE));
        assertValidation("The number of query conditions (2) exceeds the number of key attributes defined in the schema (1)",
                () -> QueryKeys.checkExpressionConditionCount(List.of(a, b), QuerySchema.of(HASH)));
        assertValidation("The number of query conditions (3) exceeds the number of key attributes defined in the schema (2)",
                () -> QueryKeys.checkExpressionConditionCount(List.of(a, b, term("c", KeyOperator.EQ, ONE)), QuerySchema.of(RANGE)));
    }

    @Test
    void thePartitionKeyIsRequired() {
        assertValidation("Query condition missed key schema element: a", () -> resolve(HASH, null, term("z", KeyOperator.EQ, ONE)));
        assertValidation("Query condition missed key schema element: a",
                () -> resolve(RANGE, null, term("b", KeyOperator.BETWEEN, ONE, ONE)));
        assertValidation("Query condition missed key schema element: b",
                () -> resolve(RANGE, null, term("a", KeyOperator.EQ, ONE), term("c", KeyOperator.EQ, ONE)));
    }

    @Test
    void thePartitionKeyTakesEqualityOnly() {
        for (KeyOperator operator : List.of(KeyOperator.LE, KeyOperator.LT, KeyOperator.GE, KeyOperator.GT, KeyOperator.BEGINS_WITH)) {
            assertValidation("Query key condition not supported", () -> resolve(HASH, null, term("a", operator, ONE)));
        }
        assertValidation("Query key condition not supported", () -> resolve(HASH, null, term("a", KeyOperator.BETWEEN, ONE, ONE)));
        assertValidation("Query key condition not supported",
                () -> resolve(HASH, null, term("a", KeyOperator.EQ, ONE), term("b", KeyOperator.EQ, ONE)));
        assertValidation("Query key condition not supported",
                () -> resolve(HASH, null, term("y", KeyOperator.EQ, ONE), term("z", KeyOperator.EQ, ONE)));
    }

    @Test
    void nonIndexableOperatorsAreRefused() {
        assertValidation("Attempted conditional constraint is not an indexable operation",
                () -> resolve(HASH, null, term("a", KeyOperator.NULL)));
        assertValidation("Attempted conditional constraint is not an indexable operation",
                () -> resolve(RANGE, null, term("a", KeyOperator.EQ, ONE), term("b", KeyOperator.CONTAINS, ONE)));
    }

    @Test
    void valuesMustHaveTheKeyType() {
        assertValidation("One or more parameter values were invalid: Condition parameter type does not match schema type",
                () -> resolve(HASH, null, term("a", KeyOperator.LT, AttributeValue.n("1"))));
        assertValidation("One or more parameter values were invalid: Condition parameter type does not match schema type",
                () -> resolve(RANGE, null, term("a", KeyOperator.EQ, ONE), term("b", KeyOperator.GT, AttributeValue.n("1"))));
        assertValidation("One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain "
                + "an empty string value. Key: a", () -> resolve(HASH, null, term("a", KeyOperator.EQ, AttributeValue.s(""))));
    }

    @Test
    void startKeyShape() {
        for (String bad : List.of("{}", "{'b':{'S':'a'}}", "{'a':{'S':'a'},'b':{'S':'a'}}")) {
            assertValidation("The provided starting key is invalid", () -> resolve(HASH, bad, term("z", KeyOperator.EQ, ONE)));
        }
        // A partition value of another type (a 2026 test suite run against DynamoDB); a sort value's is below.
        assertValidation("The provided starting key is invalid",
                () -> resolve(HASH, "{'a':{'N':'1'}}", term("z", KeyOperator.EQ, ONE)));
        // The partition key is checked in full (start key, then condition) before the sort key.
        assertValidation("Query condition missed key schema element: a",
                () -> resolve(RANGE, "{'a':{'S':'a'},'b':{'N':'1'}}", term("z", KeyOperator.BETWEEN, ONE, ONE)));
        assertValidation("The provided key element does not match the schema",
                () -> resolve(RANGE, "{'a':{'S':'a'},'b':{'N':'1'}}", term("a", KeyOperator.EQ, ONE)));
        assertValidation("The provided starting key is invalid: One or more parameter values are not valid. "
                + "The AttributeValue for a key attribute cannot contain an empty string value. Key: a",
                () -> resolve(HASH, "{'a':{'S':''}}", term("a", KeyOperator.EQ, ONE)));
    }

    @Test
    void startKeyMustBeWithinReach() {
        assertEquals(new KeyCondition(AttributeValue.s("b"), Optional.empty()),
                resolve(RANGE, "{'a':{'S':'b'},'b':{'S':'x'}}", term("a", KeyOperator.EQ, AttributeValue.s("b"))));
        assertValidation("The provided starting key is outside query boundaries based on provided conditions",
                () -> resolve(RANGE, "{'a':{'S':'a'},'b':{'S':'a'}}", term("a", KeyOperator.EQ, AttributeValue.s("b"))));
        assertValidation("The provided starting key does not match the range key predicate",
                () -> resolve(RANGE, "{'a':{'S':'a'},'b':{'S':'a'}}", term("a", KeyOperator.EQ, AttributeValue.s("b")),
                        term("b", KeyOperator.GT, AttributeValue.s("b"))));
        assertValidation("The query can return at most one row and cannot be restarted",
                () -> resolve(RANGE, "{'a':{'S':'a'},'b':{'S':'a'}}", term("a", KeyOperator.EQ, AttributeValue.s("b")),
                        term("b", KeyOperator.LT, AttributeValue.s("b"))));
    }

    /** A global index on (h1, h2) with sort attributes (s1, s2, s3), over a table keyed by id. */
    private static final QuerySchema MULTI = new QuerySchema(
            List.of(new KeySchema.KeyAttribute("h1", AttributeType.S), new KeySchema.KeyAttribute("h2", AttributeType.N)),
            List.of(new KeySchema.KeyAttribute("s1", AttributeType.S), new KeySchema.KeyAttribute("s2", AttributeType.S),
                    new KeySchema.KeyAttribute("s3", AttributeType.N)),
            KeySchema.hash("id", AttributeType.S));

    private static KeyCondition multi(String startKey, KeyTerm... terms) {
        return QueryKeys.resolve(List.of(terms), MULTI, Optional.ofNullable(startKey).map(json -> item(json)));
    }

    @Test
    void multiAttributeKeysTakeEqualitiesOnAPrefixAndARangeOnTheLastAttributeNamed() {
        AttributeValue two = AttributeValue.n("2");
        assertEquals(new KeyCondition(List.of(ONE, two), List.of(), Optional.empty()),
                multi(null, term("h2", KeyOperator.EQ, two), term("h1", KeyOperator.EQ, ONE)));
        KeyTerm range = term("s2", KeyOperator.BEGINS_WITH, AttributeValue.s("x"));
        assertEquals(new KeyCondition(List.of(ONE, two), List.of(AttributeValue.s("a")), Optional.of(range)),
                multi(null, range, term("s1", KeyOperator.EQ, AttributeValue.s("a")), term("h1", KeyOperator.EQ, ONE),
                        term("h2", KeyOperator.EQ, two)));
        assertValidation("Query condition missed key schema element: h2", () -> multi(null, term("h1", KeyOperator.EQ, ONE)));
        assertValidation("Query key condition not supported",
                () -> multi(null, term("h1", KeyOperator.EQ, ONE), term("h2", KeyOperator.GT, two)));
        assertValidation("RANGE key attributes s1 must have equality conditions specified in the query because a condition is "
                + "present on key attribute s3", () -> multi(null, term("h1", KeyOperator.EQ, ONE), term("h2", KeyOperator.EQ, two),
                term("s1", KeyOperator.LT, ONE), term("s2", KeyOperator.EQ, ONE), term("s3", KeyOperator.EQ, two)));
        assertValidation("RANGE key attributes s1, s2 must have equality conditions specified in the query because a condition is "
                + "present on key attribute s3", () -> multi(null, term("h1", KeyOperator.EQ, ONE), term("h2", KeyOperator.EQ, two),
                term("s3", KeyOperator.EQ, two)));
        assertValidation("One or more parameter values were invalid: Condition parameter type does not match schema type",
                () -> multi(null, term("h1", KeyOperator.EQ, ONE), term("h2", KeyOperator.EQ, ONE)));
    }

    @Test
    void multiAttributeStartKeysHoldTheTableKeyAndEveryIndexAttribute() {
        AttributeValue two = AttributeValue.n("2");
        String start = "{'id':{'S':'x'},'h1':{'S':'1'},'h2':{'N':'2'},'s1':{'S':'a'},'s2':{'S':'b'},'s3':{'N':'3'}}";
        assertEquals(new KeyCondition(List.of(ONE, two), List.of(), Optional.of(term("s1", KeyOperator.EQ, AttributeValue.s("a")))),
                multi(start, term("h1", KeyOperator.EQ, ONE), term("h2", KeyOperator.EQ, two), term("s1", KeyOperator.EQ, AttributeValue.s("a"))));
        assertValidation("The provided starting key is invalid", () -> multi("{'id':{'S':'x'},'h1':{'S':'1'}}",
                term("h1", KeyOperator.EQ, ONE), term("h2", KeyOperator.EQ, two)));
        assertValidation("The provided starting key is outside query boundaries based on provided conditions", () -> multi(start,
                term("h1", KeyOperator.EQ, ONE), term("h2", KeyOperator.EQ, AttributeValue.n("3"))));
        assertValidation("The provided starting key does not match the range key predicate", () -> multi(start,
                term("h1", KeyOperator.EQ, ONE), term("h2", KeyOperator.EQ, two), term("s1", KeyOperator.EQ, AttributeValue.s("a")),
                term("s2", KeyOperator.GT, AttributeValue.s("c"))));
    }

    @Test
    void termsMatchSortKeys() {
        assertTrue(term("b", KeyOperator.BETWEEN, AttributeValue.n("-1"), AttributeValue.n("1E2")).matches(AttributeValue.n("99.5")));
        assertFalse(term("b", KeyOperator.BETWEEN, AttributeValue.n("-1"), AttributeValue.n("1E2")).matches(AttributeValue.n("101")));
        assertTrue(term("b", KeyOperator.BEGINS_WITH, AttributeValue.b(new byte[] {(byte) 0xFF}))
                .matches(AttributeValue.b(new byte[] {(byte) 0xFF, 0})));
        assertFalse(term("b", KeyOperator.LT, AttributeValue.s("a")).matches(AttributeValue.n("0")));
    }
}
