package io.eddy.model.expression;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.eddy.model.AttributeValue;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConditionPathsTest {

    @Test
    void everyPathInTextOrder() {
        Condition condition = ConditionExpressionParser.parse(
                "NOT (a.b[1] = :v OR size(#c) > :v) AND attribute_exists(d) AND e IN (:v, f) AND begins_with(g, :v)"
                        + " AND h BETWEEN :v AND i AND contains(j, :v) AND attribute_type(k, :t) AND attribute_not_exists(l)",
                "FilterExpression",
                new ExpressionAttributes(Map.of("#c", "c"), Map.of(":v", AttributeValue.s("x"), ":t", AttributeValue.s("S"))));
        List<String> attributes = ConditionPaths.of(condition).stream().map(DocumentPath::attribute).toList();
        assertEquals(List.of("a", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"), attributes);
        assertEquals(3, ConditionPaths.of(condition).get(0).depth());
    }
}
