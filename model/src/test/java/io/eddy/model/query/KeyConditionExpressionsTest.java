package io.eddy.model.query;

import static io.eddy.model.TestSupport.assertValidation;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.eddy.model.AttributeValue;
import io.eddy.model.expression.ConditionExpressionParser;
import io.eddy.model.expression.ExpressionAttributes;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class KeyConditionExpressionsTest {

    private static final AttributeValue A = AttributeValue.s("1");
    private static final AttributeValue B = AttributeValue.s("2");

    private static List<KeyTerm> terms(String expression) {
        var attributes = new ExpressionAttributes(Map.of("#k", "key.with.dots"), Map.of(":a", A, ":b", B, ":t", AttributeValue.s("S")));
        return KeyConditionExpressions.terms(ConditionExpressionParser.parse(expression, "KeyConditionExpression", attributes));
    }

    @Test
    void comparisonsBecomeTermsInTextOrder() {
        assertEquals(List.of(new KeyTerm("pk", KeyOperator.EQ, List.of(A)), new KeyTerm("sk", KeyOperator.LE, List.of(B))),
                terms("pk = :a AND sk <= :b"));
        assertEquals(List.of(new KeyTerm("sk", KeyOperator.BETWEEN, List.of(A, B)), new KeyTerm("pk", KeyOperator.EQ, List.of(A))),
                terms("sk BETWEEN :a AND :b and (pk = :a)"));
        assertEquals(List.of(new KeyTerm("pk", KeyOperator.EQ, List.of(A)), new KeyTerm("sk", KeyOperator.BEGINS_WITH, List.of(B))),
                terms("pk = :a and begins_with(sk, :b)"));
        assertEquals(List.of(new KeyTerm("key.with.dots", KeyOperator.EQ, List.of(A))), terms("#k = :a"));
    }

    @ParameterizedTest
    @CsvSource({"':a < sk', GT", "':a <= sk', GE", "':a > sk', LT", "':a >= sk', LE", "':a = sk', EQ"})
    void aValueOnTheLeftTurnsTheComparisonAround(String expression, KeyOperator expected) {
        assertEquals(List.of(new KeyTerm("sk", expected, List.of(A))), terms(expression));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "a > :a and b < :b or a > :b | OR",
            "a in (:a, :b) | IN",
            "attribute_exists(a) | attribute_exists",
            "attribute_not_exists(a) | attribute_not_exists",
            "contains(a, :a) | contains",
            "attribute_type(a, :t) and b = :b | attribute_type",
            "not a > :a | NOT",
            "a <> :a | <>",
            "a = :a and b <> :b | <>"})
    void onlyComparisonsBetweenAndBeginsWithAreKeyConditions(String expression, String operator) {
        assertValidation("Invalid operator used in KeyConditionExpression: " + operator, () -> terms(expression));
    }

    @Test
    void betweenAndBeginsWithNeedTheKeyFirst() {
        assertValidation("Invalid condition in KeyConditionExpression: BETWEEN operator must have the key attribute as its first operand",
                () -> terms(":a between size(b) and size(a) and b > :b"));
        assertValidation("Invalid condition in KeyConditionExpression: begins_with operator must have the key attribute as its first operand",
                () -> terms("begins_with(:a, b) and a > :b"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"size(b) > a AND a.b > b AND b > c", "a > size(b.d)", "a between size(b) and size(a)"})
    void functionsCannotBeNested(String expression) {
        assertValidation("KeyConditionExpressions cannot contain nested operations", () -> terms(expression));
    }

    @ParameterizedTest
    @ValueSource(strings = {"b > a.b", "b between c[1] and d", "a between b and size(a)", "begins_with(a, b)"})
    void oneAttributePerCondition(String expression) {
        assertValidation("Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition",
                () -> terms(expression));
    }

    @ParameterizedTest
    @ValueSource(strings = {"b.d > a AND c.d > e.f", "a.d > c", "b[0] > a"})
    void keysAreTopLevelAttributes(String expression) {
        assertValidation("Invalid KeyConditionExpression: KeyConditionExpressions cannot have conditions on nested attributes", () -> terms(expression));
    }

    @ParameterizedTest
    @ValueSource(strings = {":b > :a AND a < :b", ":a > b AND :a < :b"})
    void everyConditionNamesAKey(String expression) {
        assertValidation("Invalid condition in KeyConditionExpression: No key attribute specified", () -> terms(expression));
    }

    @ParameterizedTest
    @ValueSource(strings = {"b > :a AND b < :a and c = :a and d = :a", "(a > :a and b > :a) and (b > :a and c > :a)"})
    void oneConditionPerKey(String expression) {
        assertValidation("Invalid KeyConditionExpression: KeyConditionExpressions must only contain one condition per key", () -> terms(expression));
    }

    /** How many conditions a Query may have depends on the key schema it reads (QueryKeys): up to eight for multi-attribute keys. */
    @ParameterizedTest
    @ValueSource(strings = {":a = a and b = :a and :a = c", "(a > :a and b > :a) and (c > :a and d > :a) and (e > :a and f > :a)"})
    void moreThanTwoConditionsAreLeftToTheKeySchema(String expression) {
        assertEquals(expression.startsWith(":") ? 3 : 6, terms(expression).size());
    }
}
