package io.eddy.model.partiql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.eddy.model.AttributeValue;
import io.eddy.model.expression.DocumentPath;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SelectProjectionTest {

    private static Optional<List<DocumentPath>> projection(String paths) {
        return ((Statement.Select) PartiqlParser.parse("SELECT " + paths + " FROM tbl", List.of())).projection();
    }

    @Test
    void eachPathIsReturnedUnderItsLastNameWithTheIndexesAfterIt() {
        AttributeValue x = AttributeValue.n("3");
        AttributeValue two = AttributeValue.s("two");
        Map<String, AttributeValue> item = Map.of("pk", AttributeValue.s("a"),
                "m", new AttributeValue.MapValue(Map.of("x", x, "y", new AttributeValue.ListValue(List.of(x, two)))),
                "l", new AttributeValue.ListValue(List.of(new AttributeValue.ListValue(List.of(x, two)))));
        assertEquals(Map.of("x", x, "y[1]", two, "l[0][1]", two, "pk", AttributeValue.s("a")),
                SelectProjection.apply(item, projection("m.x, m.y[1], l[0][1], pk, missing, m.y[7]")));
        assertEquals(item, SelectProjection.apply(item, projection("*")));
    }
}
