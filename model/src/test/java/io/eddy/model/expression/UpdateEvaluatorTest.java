package io.eddy.model.expression;

import io.eddy.model.AttributeValue;
import io.eddy.model.TestSupport;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.eddy.model.TestSupport.assertValidation;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UpdateEvaluatorTest {

    private static final Map<String, AttributeValue> KEY = TestSupport.item("{'id':{'S':'k'}}");
    private static final String VALUES = "{':n':{'N':'1'},':two':{'N':'2'},':s':{'S':'x'},':l':{'L':[{'S':'new'}]},"
            + "':ss':{'SS':['b','c']},':ns':{'NS':['1','5']},':bs':{'BS':['AQ==']},':big':{'N':'9E+125'},"
            + "':e50':{'N':'1E+50'},':tiny':{'N':'1E-130'},':tiny2':{'N':'1.5E-130'},':empty':{'L':[]}}";
    private static final String MISSING = "The provided expression refers to an attribute that does not exist in the item";
    private static final String INVALID_PATH = "The document path provided in the update expression is invalid for update";
    private static final String INCORRECT_TYPE = "An operand in the update expression has an incorrect data type";

    /** Applies {@code expression} to {@code item} (JSON, without the key) or to no item when null. */
    private static UpdateEvaluator.Result apply(String expression, String item) {
        Update update = UpdateExpressionParser.parse(expression,
                new ExpressionAttributes(Map.of("#n", "n"), TestSupport.item(VALUES)));
        return UpdateEvaluator.apply(update, KEY, Optional.ofNullable(item).map(UpdateEvaluatorTest::withKey));
    }

    private static Map<String, AttributeValue> withKey(String json) {
        Map<String, AttributeValue> item = new java.util.LinkedHashMap<>(KEY);
        item.putAll(TestSupport.item(json));
        return item;
    }

    /** The item after the update, compared as JSON without the key. */
    private static void assertResult(String expected, String expression, String item) {
        Map<String, AttributeValue> after = new java.util.LinkedHashMap<>(apply(expression, item).item());
        assertEquals(KEY.get("id"), after.remove("id"));
        assertEquals(TestSupport.item(expected), after, expression);
    }

    /** The result of an update that left {@code item}. */
    private static UpdateEvaluator.Result measured(Map<String, AttributeValue> item) {
        return new UpdateEvaluator.Result(item, true, io.eddy.model.ItemSize.of(item));
    }

    private static void assertRefused(String message, String expression, String item) {
        assertValidation(message, () -> apply(expression, item));
    }

    @Nested
    class SetClause {
        @Test
        void constantsCopiesAndMerges() {
            assertResult("{'a':{'N':'1'},'b':{'S':'x'}}", "SET a = :n, b = :s", null);
            assertResult("{'a':{'S':'hi'},'b':{'S':'hi'}}", "SET b = a", "{'a':{'S':'hi'}}");
            assertResult("{'a':{'N':'1'},'z':{'S':'x'}}", "SET a = :n", "{'a':{'S':'old'},'z':{'S':'x'}}");
        }

        @Test
        void valuesAreReadBeforeAnythingIsWritten() {
            assertRefused(MISSING, "SET x = :n, y = x", "{}");
            assertResult("{'b':{'S':'hi'}}", "REMOVE a SET b = a", "{'a':{'S':'hi'}}");
            assertResult("{'a':{'N':'1'},'b':{'N':'1'}}", "SET a = b, b = a", "{'a':{'N':'1'},'b':{'N':'1'}}");
        }

        @Test
        void readingAMissingAttributeFails() {
            assertRefused(MISSING, "SET c = z", "{'a':{'N':'1'}}");
            assertRefused(MISSING, "SET c = z", null);
            assertRefused(MISSING, "SET c = a.b", "{'a':{'N':'1'}}");
        }

        @Test
        void aNewItemStartsFromItsKey() {
            assertResult("{'copied':{'S':'k'}}", "SET copied = id", null);
        }

        @Test
        void nestedMapKeys() {
            assertResult("{'a':{'M':{'b':{'N':'1'},'c':{'S':'x'}}}}", "SET a.c = :s", "{'a':{'M':{'b':{'N':'1'}}}}");
            assertResult("{'a':{'M':{'b':{'S':'x'}}}}", "SET a.b = :s", "{'a':{'M':{'b':{'M':{'deep':{'N':'1'}}}}}}");
            assertResult("{'a':{'L':[{'M':{'x':{'L':[{'N':'3'},{'N':'1'}]}}}]}}", "SET a[0].x[1] = :n",
                    "{'a':{'L':[{'M':{'x':{'L':[{'N':'3'},{'N':'5'}]}}}]}}");
        }

        @ParameterizedTest
        @ValueSource(strings = {"SET a.c = :n", "SET b.c = :n", "SET c.c = :n", "SET a[0] = :n", "SET c[0] = :n",
                "SET m[0] = :n", "SET l.x = :n", "SET l[5].x = :n", "SET m.x.y = :n"})
        void aPathThroughAMissingOrWrongValueIsInvalid(String expression) {
            assertRefused(INVALID_PATH, expression, "{'a':{'S':'hello'},'b':{'L':[{'S':'hi'}]},'m':{'M':{}},'l':{'L':[]}}");
        }

        @Test
        void nestedPathsIntoAMissingItemAreInvalid() {
            assertRefused(INVALID_PATH, "SET c.c = :n", null);
            assertRefused(INVALID_PATH, "SET b[0] = :n", null);
        }

        @Test
        void anIndexPastTheEndAppendsInIndexOrder() {
            assertResult("{'a':{'L':[{'S':'one'},{'S':'x'}]}}", "SET a[7] = :s", "{'a':{'L':[{'S':'one'}]}}");
            assertResult("{'a':{'L':[{'S':'one'},{'N':'2'},{'N':'1'}]}}", "SET a[84] = :n, a[37] = :two",
                    "{'a':{'L':[{'S':'one'}]}}");
            assertResult("{'a':{'L':[{'S':'x'},{'N':'1'}]}}", "SET a[0] = :s, a[1] = :n", "{'a':{'L':[{'S':'one'}]}}");
        }

        @Test
        void ifNotExists() {
            assertResult("{'a':{'N':'1'}}", "SET a = if_not_exists(a, :n)", null);
            assertResult("{'a':{'N':'7'}}", "SET a = if_not_exists(a, :n)", "{'a':{'N':'7'}}");
            assertResult("{'a':{'N':'7'},'b':{'N':'7'}}", "SET b = if_not_exists(a, :n)", "{'a':{'N':'7'}}");
            assertResult("{'b':{'N':'3'}}", "SET b = if_not_exists(b, :n) + :two", null);
        }

        @Test
        void listAppend() {
            assertResult("{'a':{'L':[{'N':'1'},{'S':'new'}]}}", "SET a = list_append(a, :l)", "{'a':{'L':[{'N':'1'}]}}");
            assertResult("{'a':{'L':[{'S':'new'},{'N':'1'}]}}", "SET a = list_append(:l, a)", "{'a':{'L':[{'N':'1'}]}}");
            assertResult("{'a':{'L':[{'S':'new'}]}}", "SET a = list_append(if_not_exists(a, :empty), :l)", null);
            assertRefused(MISSING, "SET a = list_append(b, :l)", "{}");
            assertRefused(INCORRECT_TYPE, "SET a = list_append(b, :l)", "{'b':{'SS':['x']}}");
            assertRefused(INCORRECT_TYPE, "SET a = list_append(:l, b)", "{'b':{'M':{}}}");
        }

        @Test
        void arithmetic() {
            assertResult("{'a':{'N':'3'}}", "SET a = :n + :two", null);
            assertResult("{'a':{'N':'-1'}}", "SET a = :n - :two", null);
            assertResult("{'n':{'N':'10'},'a':{'N':'12'}}", "SET a = #n + :two", "{'n':{'N':'10'}}");
            assertResult("{'b':{'N':'10000000000000000000000'},'a':{'N':'10000000000000000000001'}}", "SET a = :n + b",
                    "{'b':{'N':'10000000000000000000000'}}");
            assertRefused(MISSING, "SET a = b + :n", "{}");
            assertRefused(INCORRECT_TYPE, "SET a = b + :n", "{'b':{'S':'1'}}");
            assertRefused(INCORRECT_TYPE, "SET a = b - :n", "{'b':{'NS':['1']}}");
        }

        @Test
        void arithmeticBeyondDynamoDbNumbersFails() {
            String overflow = "Number overflow. Attempting to store a number with magnitude larger than supported range";
            assertRefused(overflow, "SET a = :big + :big", null);
            // 1E+50 - 1 needs 50 digits; DynamoDB calls that an overflow too.
            assertRefused(overflow, "SET a = :e50 - :n", null);
            assertRefused("Number underflow. Attempting to store a number with magnitude smaller than supported range",
                    "SET a = :tiny2 - :tiny", null);
        }
    }

    @Nested
    class Remove {
        @Test
        void attributesAndNestedValues() {
            assertResult("{'b':{'S':'hi'}}", "REMOVE a", "{'a':{'S':'hello'},'b':{'S':'hi'}}");
            assertResult("{'a':{'M':{}}}", "REMOVE a.b", "{'a':{'M':{'b':{'N':'1'}}}}");
            assertResult("{'a':{'L':[]}}", "REMOVE a[0]", "{'a':{'L':[{'N':'1'}]}}");
        }

        @Test
        void listIndexesAreTheOldPositions() {
            assertResult("{'a':{'L':[{'N':'2'},{'N':'4'},{'N':'1'},{'N':'6'}]}}", "REMOVE a[1] SET a[3] = :n",
                    "{'a':{'L':[{'N':'2'},{'N':'3'},{'N':'4'},{'N':'5'},{'N':'6'}]}}");
            assertResult("{'a':{'L':[{'N':'2'},{'N':'6'}]}}", "REMOVE a[1], a[2], a[3]",
                    "{'a':{'L':[{'N':'2'},{'N':'3'},{'N':'4'},{'N':'5'},{'N':'6'}]}}");
        }

        @Test
        void removingWhatIsNotThereDoesNothing() {
            String item = "{'a':{'M':{'x':{'N':'3'}}},'b':{'L':[{'S':'hi'}]}}";
            assertResult(item, "REMOVE a.y, b[7], c", item);
        }

        @Test
        void aMissingParentIsInvalidUnlessTheItemIsMissing() {
            assertRefused(INVALID_PATH, "REMOVE y.a", "{}");
            assertRefused(INVALID_PATH, "REMOVE s[0]", "{'s':{'S':'x'}}");
            assertRefused(INVALID_PATH, "REMOVE l.x", "{'l':{'L':[]}}");
            assertResult("{}", "REMOVE y.a, z[0]", null);
        }

        @Test
        void onlyRemovingDoesNotCreateAMissingItem() {
            assertTrue(apply("REMOVE a, y.a", null).stored().isEmpty());
            assertTrue(apply("DELETE ss :ss", null).stored().isEmpty());
            assertEquals(Optional.of(withKey("{}")), apply("REMOVE a", "{'a':{'N':'1'}}").stored());
            assertEquals(Optional.of(withKey("{'a':{'N':'1'}}")), apply("REMOVE b SET a = :n", null).stored());
            assertEquals(Optional.of(withKey("{'a':{'N':'1'}}")), apply("ADD a :n", null).stored());
        }
    }

    @Nested
    class AddAndDelete {
        @Test
        void addToNumbers() {
            assertResult("{'a':{'N':'3'}}", "ADD a :two", "{'a':{'N':'1'}}");
            assertResult("{'a':{'N':'2'}}", "ADD a :two", "{}");
            assertResult("{'a':{'N':'2'}}", "ADD a :two", null);
            assertResult("{'m':{'M':{'c':{'N':'2'}}}}", "ADD m.c :two", "{'m':{'M':{}}}");
        }

        @Test
        void addToSetsKeepsSetSemantics() {
            assertResult("{'s':{'SS':['a','b','c']}}", "ADD s :ss", "{'s':{'SS':['a','b']}}");
            assertResult("{'s':{'SS':['b','c']}}", "ADD s :ss", null);
            assertResult("{'s':{'NS':['1','2','5']}}", "ADD s :ns", "{'s':{'NS':['1','2']}}");
            assertResult("{'s':{'BS':['AQ==','Ag==']}}", "ADD s :bs", "{'s':{'BS':['AQ==','Ag==']}}");
        }

        @ParameterizedTest
        @ValueSource(strings = {"ADD s :two", "ADD n :ss", "ADD ss :ns", "ADD l :two", "DELETE ss :ns", "DELETE n :ns",
                "DELETE s :ss"})
        void typeMismatches(String expression) {
            assertRefused(INCORRECT_TYPE, expression, "{'s':{'S':'x'},'n':{'N':'1'},'ss':{'SS':['x']},'l':{'L':[]}}");
        }

        @Test
        void deleteFromSets() {
            assertResult("{'s':{'SS':['a']}}", "DELETE s :ss", "{'s':{'SS':['a','b','c']}}");
            assertResult("{'s':{'NS':['2']}}", "DELETE s :ns", "{'s':{'NS':['1','2']}}");
            assertResult("{'x':{'N':'1'}}", "DELETE s :ss", "{'s':{'SS':['b','c']},'x':{'N':'1'}}");
            assertResult("{}", "DELETE s :ss", "{}");
        }

        @Test
        void pathsThroughMissingParents() {
            assertRefused(INVALID_PATH, "ADD y.a :two", "{}");
            assertRefused(INVALID_PATH, "DELETE y.a :ss", "{}");
        }
    }

    @Nested
    class Limits {
        @Test
        void nestingBeyond32LevelsIsRefused() {
            String deep = "{'M':{}}";
            for (int i = 0; i < 30; i++) deep = "{'M':{'d':" + deep + "}}";
            Map<String, AttributeValue> values = Map.of(":deep", TestSupport.value(deep));
            Update nested = UpdateExpressionParser.parse("SET a.b = :deep", new ExpressionAttributes(null, values));
            Map<String, AttributeValue> item = withKey("{'a':{'M':{}}}");
            // :deep is 31 levels; at a.b it reaches level 32.
            UpdateEvaluator.apply(nested, KEY, Optional.of(item));
            Update deeper = UpdateExpressionParser.parse("SET a.b.c = :deep", new ExpressionAttributes(null, values));
            Map<String, AttributeValue> withB = withKey("{'a':{'M':{'b':{'M':{}}}}}");
            assertValidation("Nesting Levels have exceeded supported limits", () -> UpdateEvaluator.apply(deeper, KEY, Optional.of(withB)));
        }

        @Test
        void theResultMustFit400Kb() {
            String half = "x".repeat(200 * 1024);
            Map<String, AttributeValue> values = Map.of(":half", AttributeValue.s(half));
            Update update = UpdateExpressionParser.parse("SET b = :half", new ExpressionAttributes(null, values));
            UpdateEvaluator.apply(update, KEY, Optional.of(withKey("{}")));
            Map<String, AttributeValue> item = new java.util.LinkedHashMap<>(KEY);
            item.put("a", AttributeValue.s(half));
            assertValidation("Item size to update has exceeded the maximum allowed size",
                    () -> UpdateEvaluator.apply(update, KEY, Optional.of(item)));
        }

        /** UpdateItem's own measure: what it writes plus 3 bytes and a cost per action, not the key nor what it leaves alone. */
        @Test
        void updateItemMeasuresWhatItWritesAndItsActions() {
            // 'b' and its value, plus 3 + 19 for one SET: exactly 409,600 at a value of 409,577 bytes.
            Map<String, AttributeValue> fits = withKey("{}");
            fits.put("b", AttributeValue.s("x".repeat(409_577)));
            Update set = UpdateExpressionParser.parse("SET b = :v", new ExpressionAttributes(null, Map.of(":v", AttributeValue.s("x"))));
            UpdateEvaluator.checkStandaloneSize(set, measured(fits));
            Map<String, AttributeValue> over = withKey("{}");
            over.put("b", AttributeValue.s("x".repeat(409_578)));
            assertValidation("Item size to update has exceeded the maximum allowed size", () -> UpdateEvaluator.checkStandaloneSize(set, measured(over)));
            // An attribute the update leaves alone is out of the figure; a REMOVE costs 2, a SET through a list index 20.
            over.put("untouched", AttributeValue.s("y".repeat(100)));
            assertValidation("Item size to update has exceeded the maximum allowed size", () -> UpdateEvaluator.checkStandaloneSize(set, measured(over)));
            Update setAndRemove = UpdateExpressionParser.parse("SET b = :v REMOVE r",
                    new ExpressionAttributes(null, Map.of(":v", AttributeValue.s("x"))));
            assertValidation("Item size to update has exceeded the maximum allowed size",
                    () -> UpdateEvaluator.checkStandaloneSize(setAndRemove, measured(fits)));
            Map<String, AttributeValue> shorter = withKey("{}");
            shorter.put("b", AttributeValue.s("x".repeat(409_575)));
            UpdateEvaluator.checkStandaloneSize(setAndRemove, measured(shorter));
            // A list attribute measuring 409,578 bytes: a plain SET fits exactly, one through an index is a byte over.
            long emptyList = io.eddy.model.ItemSize.of(Map.of("b", new AttributeValue.ListValue(List.of(AttributeValue.s("")))));
            Map<String, AttributeValue> list = withKey("{}");
            list.put("b", new AttributeValue.ListValue(List.of(AttributeValue.s("x".repeat((int) (409_578 - emptyList))))));
            UpdateEvaluator.checkStandaloneSize(set, measured(list));
            Update throughIndex = UpdateExpressionParser.parse("SET b[0] = :v", new ExpressionAttributes(null, Map.of(":v", AttributeValue.s("x"))));
            assertValidation("Item size to update has exceeded the maximum allowed size",
                    () -> UpdateEvaluator.checkStandaloneSize(throughIndex, measured(list)));
        }
    }

    @Test
    void attributeUpdatesWordTypeErrorsTheirOwnWay() {
        Update legacy = new Update(List.of(new UpdateAction.AddAction(DocumentPath.of("n"), AttributeValue.s("x"))),
                Update.Source.ATTRIBUTE_UPDATES);
        assertValidation("Type mismatch for attribute to update",
                () -> UpdateEvaluator.apply(legacy, KEY, Optional.of(withKey("{'n':{'N':'1'}}"))));
        Update appendList = new Update(List.of(new UpdateAction.AddAction(DocumentPath.of("l"), TestSupport.value("{'L':[{'N':'2'}]}"))),
                Update.Source.ATTRIBUTE_UPDATES);
        assertEquals(TestSupport.value("{'L':[{'N':'1'},{'N':'2'}]}"),
                UpdateEvaluator.apply(appendList, KEY, Optional.of(withKey("{'l':{'L':[{'N':'1'}]}}"))).item().get("l"));
    }
}
