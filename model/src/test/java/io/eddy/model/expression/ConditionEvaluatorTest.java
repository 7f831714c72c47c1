package io.eddy.model.expression;

import io.eddy.model.AttributeValue;
import io.eddy.model.TestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConditionEvaluatorTest {

    /** An item with one attribute of every type. */
    private static final Map<String, AttributeValue> ITEM = TestSupport.item("{"
            + "'s':{'S':'cat'},'n':{'N':'10'},'b':{'B':'Y2F0'},'t':{'BOOL':true},'z':{'NULL':true},"
            + "'ss':{'SS':['cat','dog']},'ns':{'NS':['1','2']},'bs':{'BS':['Y2F0','ZG9n']},"
            + "'l':{'L':[{'S':'x'},{'N':'1'},{'M':{'k':{'S':'v'}}}]},'m':{'M':{'k':{'S':'v'},'child':{'M':{'deep':{'N':'5'}}}}},"
            + "'e':{'S':''},'u':{'S':'ｕ'},'emoji':{'S':'😀'}}");

    /** Values the expressions below may use. */
    private static final String VALUES = "{"
            + "':cat':{'S':'cat'},':ca':{'S':'ca'},':dog':{'S':'dog'},':a':{'S':'a'},':z':{'S':'z'},':x':{'S':'x'},"
            + "':n1':{'N':'1'},':n2':{'N':'2'},':n5':{'N':'5'},':n10':{'N':'10.0'},':n11':{'N':'11'},':n3':{'N':'3'},"
            + "':bcat':{'B':'Y2F0'},':bca':{'B':'Y2E='},':bat':{'B':'YXQ='},':bdog':{'B':'ZG9n'},':true':{'BOOL':true},"
            + "':null':{'NULL':true},':ss':{'SS':['dog','cat']},':ns':{'NS':['2','1']},':kv':{'M':{'k':{'S':'v'}}},"
            + "':S':{'S':'S'},':N':{'S':'N'},':B':{'S':'B'},':BOOL':{'S':'BOOL'},':NULL':{'S':'NULL'},':SS':{'S':'SS'},"
            + "':NS':{'S':'NS'},':BS':{'S':'BS'},':L':{'S':'L'},':M':{'S':'M'},':empty':{'S':''},':u':{'S':'ｕ'}}";

    private static boolean holds(String expression) {
        return holds(expression, ITEM);
    }

    private static boolean holds(String expression, Map<String, AttributeValue> item) {
        Map<String, AttributeValue> values = TestSupport.item(VALUES);
        Condition condition = ConditionExpressionParser.parse(expression, "ConditionExpression",
                new ExpressionAttributes(Map.of("#t", "t", "#dotted", "a.b"), values));
        return ConditionEvaluator.evaluate(condition, item);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "s = :cat|true", "s = :dog|false", "n = :n10|true", "b = :bcat|true", "#t = :true|true", "z = :null|true",
            "ss = :ss|true", "ns = :ns|true", "m.k = :x|false", "l[2] = :kv|true", "s = n|false", "n = :cat|false",
            "s = s2|false", "q = z2|false",
    })
    void equality(String expression, boolean expected) {
        assertEquals(expected, holds(expression));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "s <> :dog|true", "s <> :cat|false", "n <> :cat|true", "nope <> :cat|true", "q <> z2|true",
            ":cat <> nope|true", "ss <> :ss|false",
    })
    void inequalityHoldsForMissingAndDifferentTypes(String expression, boolean expected) {
        assertEquals(expected, holds(expression));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "n < :n11|true", "n < :n10|false", "n <= :n10|true", "n > :n2|true", "n >= :n11|false",
            "s > :ca|true", "s < :dog|true", "s >= :cat|true",
            "b > :bca|true", "b < :bdog|true",
            "n < :cat|false", "s < :n1|false", "nope < :n1|false", ":n1 < nope|false", "q < z2|false",
            "ss < s|false", "l < n|false", "#t > :n1|false",
            "u > :z|true", "emoji > u|true",
    })
    void ordering(String expression, boolean expected) {
        assertEquals(expected, holds(expression));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "n BETWEEN :n2 AND :n11|true", "n BETWEEN :n10 AND :n10|true", "n BETWEEN :n11 AND :n11|false",
            "s BETWEEN :a AND :z|true", "s BETWEEN :a AND :ca|false", "b BETWEEN :bca AND :bdog|true",
            "nope BETWEEN :a AND :z|false", "s BETWEEN :n1 AND :n2|false", "s BETWEEN :a AND nope|false",
            "l BETWEEN l AND l|false",
    })
    void between(String expression, boolean expected) {
        assertEquals(expected, holds(expression));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "s IN (:dog, :cat)|true", "s IN (:dog)|false", "n IN (:n1, :n10)|true", "n IN (:cat)|false",
            "nope IN (:cat)|false", "s IN (nope, s)|true", "ss IN (:ss)|true",
    })
    void in(String expression, boolean expected) {
        assertEquals(expected, holds(expression));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "attribute_exists(s)|true", "attribute_exists(z)|true", "attribute_exists(nope)|false",
            "attribute_exists(m.child.deep)|true", "attribute_exists(m.nope)|false", "attribute_exists(l[2].k)|true",
            "attribute_exists(l[3])|false", "attribute_exists(s.x)|false", "attribute_exists(m[0])|false",
            "attribute_exists(l.x)|false", "attribute_exists(#dotted)|false",
            "attribute_not_exists(nope)|true", "attribute_not_exists(s)|false", "attribute_not_exists(l[9])|true",
    })
    void existence(String expression, boolean expected) {
        assertEquals(expected, holds(expression));
    }

    @Test
    void dottedNamesFromPlaceholdersAreOneAttribute() {
        assertTrue(holds("attribute_exists(#dotted)", Map.of("a.b", AttributeValue.s("x"))));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "attribute_type(s, :S)|true", "attribute_type(n, :N)|true", "attribute_type(b, :B)|true",
            "attribute_type(#t, :BOOL)|true", "attribute_type(z, :NULL)|true", "attribute_type(ss, :SS)|true",
            "attribute_type(ns, :NS)|true", "attribute_type(bs, :BS)|true", "attribute_type(l, :L)|true",
            "attribute_type(m, :M)|true", "attribute_type(s, :N)|false", "attribute_type(nope, :S)|false",
    })
    void attributeType(String expression, boolean expected) {
        assertEquals(expected, holds(expression));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "begins_with(s, :ca)|true", "begins_with(s, :cat)|true", "begins_with(s, :dog)|false",
            "begins_with(s, :empty)|true", "begins_with(b, :bca)|true", "begins_with(b, :bat)|false",
            "begins_with(nope, :ca)|false", "begins_with(ss, :ca)|false", "begins_with(s, :bca)|false",
            "begins_with(:cat, s)|true",
    })
    void beginsWith(String expression, boolean expected) {
        assertEquals(expected, holds(expression));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "contains(s, :a)|true", "contains(s, :z)|false", "contains(ss, :dog)|true", "contains(ss, :a)|false",
            "contains(ns, :n2)|true", "contains(ns, :n5)|false", "contains(bs, :bdog)|true", "contains(b, :bat)|true",
            "contains(b, :bdog)|false", "contains(l, :x)|true", "contains(l, :n1)|true", "contains(l, :kv)|true",
            "contains(l, :cat)|false", "contains(nope, :a)|false", "contains(ss, nope)|false",
            "contains(ns, :cat)|false", "contains(n, :n1)|false", "contains(m, :x)|false",
    })
    void contains(String expression, boolean expected) {
        assertEquals(expected, holds(expression));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "size(s) = :n3|true", "size(b) = :n3|true", "size(ss) = :n2|true", "size(ns) = :n2|true",
            "size(bs) = :n2|true", "size(l) = :n3|true", "size(m) = :n2|true",
            "size(u) = :n1|true", "size(u) = :n3|false", "size(emoji) = :n2|true", "size(n) = :n2|false", "size(n) <> :n2|true", "size(#t) = :n1|false",
            "size(nope) = :n1|false", "size(:cat) = :n3|true", "size(m.child) = :n1|true",
    })
    /** A string's size is its UTF-16 code units, as DynamoDB counts it (the dynamodb-conformance suite, run against the service). */
    void size(String expression, boolean expected) {
        Map<String, AttributeValue> values = TestSupport.item(VALUES);
        values.put(":n0", AttributeValue.n("0"));
        Condition condition = ConditionExpressionParser.parse(expression, "ConditionExpression",
                new ExpressionAttributes(Map.of("#t", "t"), values));
        assertEquals(expected, ConditionEvaluator.evaluate(condition, ITEM));
    }

    @Test
    void sizeOfEmptyStringIsZero() {
        Map<String, AttributeValue> values = new LinkedHashMap<>();
        values.put(":n0", AttributeValue.n("0"));
        Condition condition = ConditionExpressionParser.parse("size(e) = :n0", "ConditionExpression",
                new ExpressionAttributes(null, values));
        assertTrue(ConditionEvaluator.evaluate(condition, ITEM));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "s = :cat AND n = :n10|true", "s = :cat AND n = :n1|false", "s = :dog OR n = :n10|true",
            "s = :dog OR n = :n1|false", "NOT s = :dog|true", "NOT (s = :cat AND n = :n10)|false",
            "s = :dog OR s = :cat AND n = :n10|true", "(s = :dog OR s = :cat) AND n = :n1|false",
            "NOT attribute_exists(nope) AND NOT contains(ss, :a)|true",
    })
    void booleanStructure(String expression, boolean expected) {
        assertEquals(expected, holds(expression));
    }

    @Test
    void aMissingItemIsAnEmptyMap() {
        assertTrue(holds("attribute_not_exists(s)", Map.of()));
        assertFalse(holds("s = :cat", Map.of()));
        assertTrue(holds("s <> :cat", Map.of()));
    }

    @Test
    void resolveGivesOperandValues() {
        assertEquals(AttributeValue.n("3"), ConditionEvaluator.resolve(
                new Operand.Size(new Operand.Path(DocumentPath.of("s"))), ITEM).orElseThrow());
        assertTrue(ConditionEvaluator.resolve(new Operand.Path(DocumentPath.of("nope")), ITEM).isEmpty());
    }
}
