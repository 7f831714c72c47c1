package io.eddy.model.expression;

import io.eddy.model.AttributeValue;
import io.eddy.model.TestSupport;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.eddy.model.TestSupport.assertValidation;
import static io.eddy.model.TestSupport.item;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ProjectionTest {

    private static final Map<String, AttributeValue> ITEM = item("{'a':{'S':'x'},"
            + "'b':{'M':{'a':{'S':'a'},'b':{'S':'b'},'c':{'S':'c'}}},"
            + "'c':{'L':[{'S':'a'},{'S':'b'},{'S':'c'}]},"
            + "'d':{'L':[{'M':{'x':{'N':'1'},'y':{'N':'2'}}},{'M':{'x':{'N':'3'}}}]},'g':{'N':'23'}}");

    private static Map<String, AttributeValue> project(String expression) {
        return Projection.apply(ITEM, ProjectionExpressionParser.parse(expression,
                new ExpressionAttributes(Map.of("#b", "b", "#c", "c"), null)));
    }

    @Test
    void topLevelAttributes() {
        assertEquals(item("{'a':{'S':'x'},'g':{'N':'23'}}"), project("a, g, #b.nope, #c[0].nope"));
    }

    @Test
    void keepsNestedStructureAndClosesListGaps() {
        // dynalite's case, verified against DynamoDB: c[0].a resolves to nothing and is left out.
        Map<String, AttributeValue> expected = item("{'b':{'M':{'b':{'S':'b'},'c':{'S':'c'}}},"
                + "'c':{'L':[{'S':'b'},{'S':'c'}]}}");
        assertEquals(expected, project("b.c,c[2],b.b,c[1],c[0].a"));
        assertEquals(expected, project("#b.c,#c[2],#b.b,#c[1],#c[0][1]"));
    }

    @Test
    void listElementsComeInIndexOrder() {
        Map<String, AttributeValue> projected = project("c[2], c[0]");
        assertEquals(TestSupport.value("{'L':[{'S':'a'},{'S':'c'}]}"), projected.get("c"));
    }

    @Test
    void mapsInsideLists() {
        assertEquals(item("{'d':{'L':[{'M':{'y':{'N':'2'}}},{'M':{'x':{'N':'3'}}}]}}"), project("d[1].x, d[0].y"));
        assertEquals(item("{'d':{'L':[{'M':{'x':{'N':'3'}}}]}}"), project("d[1].x, d[1].y"));
    }

    @Test
    void nothingMatchesGivesAnEmptyItem() {
        assertEquals(Map.of(), project("nope, a.b, c[5]"));
    }

    @Test
    void attributesToGet() {
        List<DocumentPath> paths = Projection.fromAttributesToGet(List.of("b", "g", "nope"));
        assertEquals(List.of(DocumentPath.of("b"), DocumentPath.of("g"), DocumentPath.of("nope")), paths);
        assertEquals(Map.of("b", ITEM.get("b"), "g", ITEM.get("g")), Projection.apply(ITEM, paths));
        // Names are taken literally: no placeholders, no nesting, reserved words allowed.
        assertEquals(List.of(DocumentPath.of("a.b"), DocumentPath.of("size")), Projection.fromAttributesToGet(List.of("a.b", "size")));
    }

    @Test
    void attributesToGetRefusesDuplicates() {
        assertValidation("One or more parameter values were invalid: Duplicate value in attribute name: a",
                () -> Projection.fromAttributesToGet(List.of("a", "b", "a")));
    }
}
