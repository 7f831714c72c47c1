package io.eddy.model.legacy;

import io.eddy.model.AttributeValue;
import io.eddy.model.TestSupport;
import io.eddy.model.expression.DocumentPath;
import io.eddy.model.expression.SetValue;
import io.eddy.model.expression.Update;
import io.eddy.model.expression.UpdateAction;
import io.eddy.model.expression.UpdateEvaluator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.eddy.model.TestSupport.assertValidation;
import static org.junit.jupiter.api.Assertions.assertEquals;

class LegacyAttributeUpdatesTest {

    private static Update parse(String json) {
        return LegacyAttributeUpdates.parse(TestSupport.json(json));
    }

    @Test
    void actionsBecomeUpdateActions() {
        Update update = parse("{'p':{'Value':{'S':'x'}},'q':{'Action':'PUT','Value':{'N':'1'}},'r':{'Action':'DELETE'},"
                + "'s':{'Action':'DELETE','Value':{'SS':['a']}},'t':{'Action':'ADD','Value':{'N':'5'}},'u':null}");
        assertEquals(List.of(
                new UpdateAction.SetAction(DocumentPath.of("p"), new SetValue.Constant(null, AttributeValue.s("x"))),
                new UpdateAction.SetAction(DocumentPath.of("q"), new SetValue.Constant(null, AttributeValue.n("1"))),
                new UpdateAction.RemoveAction(DocumentPath.of("r")),
                new UpdateAction.DeleteAction(DocumentPath.of("s"), TestSupport.value("{'SS':['a']}")),
                new UpdateAction.AddAction(DocumentPath.of("t"), AttributeValue.n("5"))), update.actions());
        assertEquals(Update.Source.ATTRIBUTE_UPDATES, update.source());
    }

    @Test
    void appliedTogether() {
        Map<String, AttributeValue> key = TestSupport.item("{'id':{'S':'k'}}");
        Update update = parse("{'b':{'Action':'DELETE'},'c':{'Action':'DELETE','Value':{'SS':['a','b']}},"
                + "'d':{'Action':'ADD','Value':{'N':'5'}},'e':{'Action':'ADD','Value':{'SS':['a','b']}},"
                + "'f':{'Action':'ADD','Value':{'L':[{'S':'a'}]}}}");
        assertEquals(TestSupport.item("{'id':{'S':'k'},'d':{'N':'5'},'e':{'SS':['a','b']},'f':{'L':[{'S':'a'}]}}"),
                UpdateEvaluator.apply(update, key, Optional.empty()).item());
    }

    @Test
    void aValueIsNeededExceptToDelete() {
        assertValidation("One or more parameter values were invalid: Only DELETE action is allowed when no attribute value is specified",
                () -> parse("{'a':{'Action':'ADD'}}"));
        assertValidation("One or more parameter values were invalid: Only DELETE action is allowed when no attribute value is specified",
                () -> parse("{'a':{}}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{'S':'1'}", "{'N':'1'}", "{'B':'Yg=='}", "{'NULL':true}", "{'BOOL':true}", "{'M':{}}", "{'L':[]}"})
    void deleteTakesOnlySets(String value) {
        String type = TestSupport.value(value).type().name();
        assertValidation("One or more parameter values were invalid: DELETE action with value is not supported for the type " + type,
                () -> parse("{'a':{'Action':'DELETE','Value':" + value + "}}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{'S':'1'}", "{'B':'Yg=='}", "{'NULL':true}", "{'BOOL':true}", "{'M':{}}"})
    void addTakesNumbersSetsAndLists(String value) {
        String type = TestSupport.value(value).type().name();
        assertValidation("One or more parameter values were invalid: ADD action is not supported for the type " + type,
                () -> parse("{'a':{'Action':'ADD','Value':" + value + "}}"));
    }
}
