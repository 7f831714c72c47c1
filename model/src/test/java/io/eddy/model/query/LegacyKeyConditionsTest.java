package io.eddy.model.query;

import static io.eddy.model.TestSupport.assertValidation;
import static io.eddy.model.TestSupport.value;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.eddy.model.AttributeValue;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class LegacyKeyConditionsTest {

    private static final AttributeValue S = AttributeValue.s("a");

    @ParameterizedTest
    @EnumSource(value = KeyOperator.class, names = {"EQ", "NE", "LE", "LT", "GE", "GT", "CONTAINS", "NOT_CONTAINS", "BEGINS_WITH"})
    void oneValueOperators(KeyOperator operator) {
        assertEquals(List.of(S), LegacyKeyConditions.term("a", operator, List.of(S)).values());
        for (List<AttributeValue> wrong : List.of(List.<AttributeValue>of(), List.of(S, S))) {
            assertValidation("One or more parameter values were invalid: Invalid number of argument(s) for the "
                    + operator + " ComparisonOperator", () -> LegacyKeyConditions.term("a", operator, wrong));
        }
    }

    @Test
    void otherArities() {
        LegacyKeyConditions.term("a", KeyOperator.NULL, List.of());
        LegacyKeyConditions.term("a", KeyOperator.IN, List.of(S, AttributeValue.s("b"), AttributeValue.s("c")));
        LegacyKeyConditions.term("a", KeyOperator.BETWEEN, List.of(S, AttributeValue.s("b")));
        assertValidation("One or more parameter values were invalid: Invalid number of argument(s) for the NOT_NULL ComparisonOperator",
                () -> LegacyKeyConditions.term("a", KeyOperator.NOT_NULL, List.of(S)));
        assertValidation("One or more parameter values were invalid: Invalid number of argument(s) for the IN ComparisonOperator",
                () -> LegacyKeyConditions.term("a", KeyOperator.IN, List.of()));
        assertValidation("One or more parameter values were invalid: Invalid number of argument(s) for the BETWEEN ComparisonOperator",
                () -> LegacyKeyConditions.term("a", KeyOperator.BETWEEN, List.of(S, S, S)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{'BOOL':true}", "{'NULL':true}", "{'SS':['a']}", "{'NS':['1']}", "{'BS':['abcd']}", "{'M':{}}", "{'L':[]}"})
    void orderingOperatorsTakeScalars(String json) {
        for (KeyOperator operator : List.of(KeyOperator.LT, KeyOperator.GE, KeyOperator.IN)) {
            assertValidation("One or more parameter values were invalid: ComparisonOperator " + operator + " is not valid for "
                    + value(json).type() + " AttributeValue type", () -> LegacyKeyConditions.term("a", operator, List.of(value(json))));
        }
        assertValidation("One or more parameter values were invalid: ComparisonOperator BETWEEN is not valid for "
                + value(json).type() + " AttributeValue type",
                () -> LegacyKeyConditions.term("a", KeyOperator.BETWEEN, List.of(value(json), value(json))));
    }

    @Test
    void beginsWithTakesStringsAndBinaries() {
        LegacyKeyConditions.term("a", KeyOperator.BEGINS_WITH, List.of(value("{'B':'YQ=='}")));
        assertValidation("One or more parameter values were invalid: ComparisonOperator BEGINS_WITH is not valid for N AttributeValue type",
                () -> LegacyKeyConditions.term("a", KeyOperator.BEGINS_WITH, List.of(value("{'N':'1'}"))));
        LegacyKeyConditions.term("a", KeyOperator.EQ, List.of(value("{'SS':['x']}")));
    }

    @Test
    void valuesOfOneTypeAndBoundsInOrder() {
        assertValidation("One or more parameter values were invalid: AttributeValues inside AttributeValueList must be of same type",
                () -> LegacyKeyConditions.term("a", KeyOperator.IN, List.of(AttributeValue.s("b"), AttributeValue.n("1"))));
        assertValidation("The BETWEEN condition was provided a range where the lower bound is greater than the upper bound",
                () -> LegacyKeyConditions.term("a", KeyOperator.BETWEEN, List.of(AttributeValue.s("b"), AttributeValue.s("a"))));
        LegacyKeyConditions.term("a", KeyOperator.BETWEEN, List.of(AttributeValue.n("-10"), AttributeValue.n("2")));
    }

    @Test
    void oneOrTwoConditions() {
        KeyTerm term = LegacyKeyConditions.term("a", KeyOperator.EQ, List.of(S));
        LegacyKeyConditions.checkCount(List.of(term));
        LegacyKeyConditions.checkCount(List.of(term, term));
        assertValidation("Conditions can be of length 1 or 2 only", () -> LegacyKeyConditions.checkCount(List.of()));
        assertValidation("Conditions can be of length 1 or 2 only", () -> LegacyKeyConditions.checkCount(List.of(term, term, term)));
    }
}
