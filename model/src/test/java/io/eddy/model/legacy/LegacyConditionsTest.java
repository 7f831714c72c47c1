package io.eddy.model.legacy;

import io.eddy.model.AttributeValue;
import io.eddy.model.TestSupport;
import io.eddy.model.expression.Condition;
import io.eddy.model.expression.ConditionEvaluator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;
import java.util.Optional;

import static io.eddy.model.TestSupport.assertValidation;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LegacyConditionsTest {

    private static final Map<String, AttributeValue> ITEM = TestSupport.item("{'n':{'N':'2'},'s':{'S':'hello'},"
            + "'b':{'B':'aGkgdGhlcmU='},'ns':{'NS':['2','4','7']},'l':{'L':[{'N':'2'},{'N':'4'}]},'m':{'M':{'k':{'S':'v'}}},"
            + "'f':{'L':[{'BOOL':true},{'NULL':true}]}}");

    private static boolean expected(String json, String conditionalOperator) {
        Optional<Condition> condition = LegacyConditions.expected(TestSupport.json(json), conditionalOperator);
        return ConditionEvaluator.evaluate(condition.orElseThrow(), ITEM);
    }

    private static boolean holds(String attribute, String operator, String values) {
        return expected("{'" + attribute + "':{'ComparisonOperator':'" + operator + "','AttributeValueList':" + values + "}}", null);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "n|EQ|[{'N':'2'}]|true", "n|EQ|[{'S':'2'}]|false", "ns|EQ|[{'NS':['7','2','4']}]|true",
            "m|EQ|[{'M':{'k':{'S':'v'}}}]|true", "l|EQ|[{'L':[{'N':'2'},{'N':'4'}]}]|true",
            "n|NE|[{'N':'3'}]|true", "n|NE|[{'S':'2'}]|true", "q|NE|[{'N':'1'}]|true", "n|NE|[{'N':'2'}]|false",
            "n|LE|[{'N':'2'}]|true", "n|LT|[{'N':'2'}]|false", "n|GE|[{'N':'2'}]|true", "n|GT|[{'N':'1'}]|true",
            "n|LT|[{'S':'9'}]|false", "s|GT|[{'S':'aardvark'}]|true",
            "n|NOT_NULL|[]|true", "q|NOT_NULL|[]|false", "n|NULL|[]|false", "q|NULL|[]|true",
            "s|CONTAINS|[{'S':'ell'}]|true", "ns|CONTAINS|[{'N':'4'}]|true", "l|CONTAINS|[{'N':'4'}]|true",
            "b|CONTAINS|[{'B':'dGhlcmU='}]|true", "q|CONTAINS|[{'N':'1'}]|false",
            "s|NOT_CONTAINS|[{'S':'dog'}]|true", "s|NOT_CONTAINS|[{'N':'1'}]|true", "ns|NOT_CONTAINS|[{'N':'4'}]|false",
            "q|NOT_CONTAINS|[{'N':'1'}]|false",
            "f|CONTAINS|[{'BOOL':true}]|true", "f|CONTAINS|[{'BOOL':false}]|false", "s|CONTAINS|[{'BOOL':true}]|false",
            "f|NOT_CONTAINS|[{'NULL':true}]|false", "l|NOT_CONTAINS|[{'BOOL':true}]|true",
            "s|BEGINS_WITH|[{'S':'hell'}]|true", "n|BEGINS_WITH|[{'S':'2'}]|false",
            "n|IN|[{'N':'1'},{'N':'2'}]|true", "ns|IN|[{'N':'2'}]|false", "n|IN|[{'N':'3'}]|false",
            "n|BETWEEN|[{'N':'1'},{'N':'3'}]|true", "n|BETWEEN|[{'N':'2'},{'N':'2'}]|true", "q|BETWEEN|[{'N':'0'},{'N':'9'}]|false",
    })
    void comparisonOperators(String attribute, String operator, String values, boolean holds) {
        assertEquals(holds, holds(attribute, operator, values));
    }

    @Test
    void valueAndExists() {
        assertTrue(expected("{'n':{'Value':{'N':'2'}}}", null));
        assertTrue(expected("{'n':{'Value':{'N':'2'},'Exists':true}}", null));
        assertEquals(false, expected("{'q':{'Value':{'N':'2'}}}", null));
        assertTrue(expected("{'q':{'Exists':false}}", null));
        assertEquals(false, expected("{'n':{'Exists':false}}", null));
        assertTrue(expected("{'n':{'ComparisonOperator':'EQ','Value':{'N':'2'}}}", null));
    }

    @Test
    void conditionalOperator() {
        String twoOfThree = "{'n':{'Value':{'N':'2'}},'s':{'Value':{'S':'nope'}},'q':{'Exists':false}}";
        assertEquals(false, expected(twoOfThree, null));
        assertEquals(false, expected(twoOfThree, "AND"));
        assertTrue(expected(twoOfThree, "OR"));
        assertEquals(Optional.empty(), LegacyConditions.expected(TestSupport.json("{}"), null));
        assertEquals(Optional.empty(), LegacyConditions.expected(null, null));
        assertValidation("ConditionalOperator cannot be used without Filter or Expected",
                () -> LegacyConditions.expected(TestSupport.json("{}"), "OR"));
        assertValidation("ConditionalOperator can only be used when Filter or Expected has two or more elements",
                () -> LegacyConditions.expected(TestSupport.json("{'q':{'Exists':false}}"), "AND"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{'a':{}}|Value must be provided when Exists is null for Attribute: a",
            "{'a':{'Exists':true}}|Value must be provided when Exists is true for Attribute: a",
            "{'a':{'Exists':false,'Value':{'S':'x'}}}|Value cannot be used when Exists is false for Attribute: a",
            "{'a':{'Exists':false,'ComparisonOperator':'EQ'}}|Exists and ComparisonOperator cannot be used together for Attribute: a",
            "{'a':{'Value':{'S':'x'},'AttributeValueList':[{'S':'x'}]}}|Value and AttributeValueList cannot be used together for Attribute: a",
            "{'a':{'AttributeValueList':[{'S':'x'}]}}|AttributeValueList can only be used with a ComparisonOperator for Attribute: a",
            "{'a':{'ComparisonOperator':'EQ'}}|Value or AttributeValueList must be used with ComparisonOperator: EQ for Attribute: a",
            "{'a':{'ComparisonOperator':'BETWEEN','AttributeValueList':[{'S':'x'}]}}|Invalid number of argument(s) for the BETWEEN ComparisonOperator",
            "{'a':{'ComparisonOperator':'NULL','Value':{'S':'x'}}}|Invalid number of argument(s) for the NULL ComparisonOperator",
            "{'a':{'ComparisonOperator':'EQ','AttributeValueList':[{'S':'x'},{'S':'y'}]}}|Invalid number of argument(s) for the EQ ComparisonOperator",
            "{'a':{'ComparisonOperator':'IN','AttributeValueList':[]}}|Invalid number of argument(s) for the IN ComparisonOperator",
            "{'a':{'ComparisonOperator':'IN','AttributeValueList':[{'N':'3'},{'S':'dog'}]}}|AttributeValues inside AttributeValueList must be of same type",
            "{'a':{'ComparisonOperator':'BETWEEN','AttributeValueList':[{'S':'a'},{'SS':['a']}]}}|ComparisonOperator BETWEEN is not valid for SS AttributeValue type",
            "{'a':{'ComparisonOperator':'IN','AttributeValueList':[{'N':'1'},{'NS':['1']}]}}|ComparisonOperator IN is not valid for NS AttributeValue type",
            "{'a':{'ComparisonOperator':'BEGINS_WITH','AttributeValueList':[{'N':'3'}]}}|ComparisonOperator BEGINS_WITH is not valid for N AttributeValue type",
            "{'a':{'ComparisonOperator':'CONTAINS','AttributeValueList':[{'L':[{'N':'1'}]}]}}|ComparisonOperator CONTAINS is not valid for L AttributeValue type",
            "{'a':{'ComparisonOperator':'IN','AttributeValueList':[{'L':[]},{'L':[]}]}}|ComparisonOperator IN is not valid for L AttributeValue type",
            "{'a':{'ComparisonOperator':'BETWEEN','AttributeValueList':[{'NS':['1']},{'NS':['2']}]}}|ComparisonOperator BETWEEN is not valid for NS AttributeValue type",
            "{'a':{'ComparisonOperator':'LT','AttributeValueList':[{'BOOL':true}]}}|ComparisonOperator LT is not valid for BOOL AttributeValue type",
    })
    void malformedEntries(String json, String message) {
        assertValidation("One or more parameter values were invalid: " + message, () -> LegacyConditions.expected(TestSupport.json(json), null));
    }

    @Test
    void thousandsOfEntriesAreEvaluatedWithoutOverflowingTheStack() throws Throwable {
        // Nothing limits the entries of Expected or a filter; a chain as deep as they are many overflowed the stack.
        StringBuilder expected = new StringBuilder("{");
        StringBuilder filter = new StringBuilder("{");
        for (int i = 0; i < 100_000; i++) {
            String comma = i == 0 ? "" : ",";
            expected.append(comma).append("'a").append(i).append("':{'Exists':false}");
            filter.append(comma).append("'a").append(i).append("':{'ComparisonOperator':'NULL'}");
        }
        Condition allAbsent = LegacyConditions.expected(TestSupport.json(expected.append('}').toString()), null).orElseThrow();
        Condition anyNull = LegacyConditions.filter(TestSupport.json(filter.append('}').toString()), "OR").orElseThrow();
        TestSupport.onStack(256, () -> {
            assertTrue(ConditionEvaluator.evaluate(allAbsent, ITEM));
            assertTrue(ConditionEvaluator.evaluate(anyNull, ITEM));
            assertEquals(100_000, io.eddy.model.expression.ConditionPaths.of(anyNull).size());
        });
    }

    @Test
    void betweenBoundsInOrder() {
        assertValidation("The BETWEEN condition was provided a range where the lower bound is greater than the upper bound",
                () -> LegacyConditions.expected(TestSupport.json(
                        "{'a':{'ComparisonOperator':'BETWEEN','AttributeValueList':[{'N':'4'},{'N':'3'}]}}"), null));
    }

    @Test
    void filters() {
        Condition filter = LegacyConditions.filter(TestSupport.json(
                "{'n':{'ComparisonOperator':'GT','AttributeValueList':[{'N':'1'}]},'s':{'ComparisonOperator':'NULL'}}"), "OR").orElseThrow();
        assertTrue(ConditionEvaluator.evaluate(filter, ITEM));
        assertValidation("One or more parameter values were invalid: Invalid number of argument(s) for the GT ComparisonOperator",
                () -> LegacyConditions.filter(TestSupport.json("{'n':{'ComparisonOperator':'GT'}}"), null));
    }
}
