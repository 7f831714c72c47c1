package io.eddy.model.expression;

import io.eddy.model.AttributeValue;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.eddy.model.TestSupport.item;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DocumentPathTest {

    private static final Map<String, AttributeValue> ITEM = item(
            "{'a':{'M':{'b':{'L':[{'S':'x'},{'M':{'c':{'N':'1'}}}]}}},'s':{'S':'v'}}");

    @Test
    void getsNestedValues() {
        DocumentPath path = DocumentPath.of("a").child(new DocumentPath.Name("b")).child(new DocumentPath.Index(1))
                .child(new DocumentPath.Name("c"));
        assertEquals(Optional.of(AttributeValue.n("1")), path.get(ITEM));
        assertEquals(Optional.of(AttributeValue.s("v")), DocumentPath.of("s").get(ITEM));
    }

    @Test
    void missingStepsGiveNothing() {
        assertFalse(DocumentPath.of("nope").get(ITEM).isPresent());
        assertFalse(DocumentPath.of("a").child(new DocumentPath.Index(0)).get(ITEM).isPresent());
        assertFalse(DocumentPath.of("a").child(new DocumentPath.Name("b")).child(new DocumentPath.Index(2)).get(ITEM).isPresent());
        assertFalse(DocumentPath.of("a").child(new DocumentPath.Name("b")).child(new DocumentPath.Name("0")).get(ITEM).isPresent());
        assertFalse(DocumentPath.of("s").child(new DocumentPath.Name("x")).get(ITEM).isPresent());
    }

    @Test
    void rendersLikeDynamoDb() {
        DocumentPath path = new DocumentPath(List.of(new DocumentPath.Name("ab"), new DocumentPath.Name("bc"),
                new DocumentPath.Index(1), new DocumentPath.Name("a")));
        assertEquals("[ab, bc, [1], a]", path.toString());
        assertEquals("ab", path.attribute());
        assertEquals(4, path.depth());
        assertFalse(path.isTopLevel());
        assertTrue(DocumentPath.of("x").isTopLevel());
    }

    @Test
    void mustStartWithAName() {
        assertThrows(IllegalArgumentException.class, () -> new DocumentPath(List.of()));
        assertThrows(IllegalArgumentException.class, () -> new DocumentPath(List.of(new DocumentPath.Index(0))));
        assertThrows(IllegalArgumentException.class, () -> new DocumentPath.Index(-1));
    }
}
