package io.eddy.model.expression;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static io.eddy.model.TestSupport.assertValidation;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProjectionExpressionParserTest {

    private static List<DocumentPath> parse(String expression, Map<String, String> names) {
        return ProjectionExpressionParser.parse(expression, new ExpressionAttributes(names.isEmpty() ? null : names, null));
    }

    @Test
    void parsesCommaSeparatedPaths() {
        List<DocumentPath> paths = parse("a, #b.c[2] ,d[0][1].e", Map.of("#b", "b"));
        assertEquals(List.of("[a]", "[b, c, [2]]", "[d, [0], [1], e]"), paths.stream().map(DocumentPath::toString).toList());
    }

    @Test
    void marksNamesUsed() {
        ExpressionAttributes attributes = new ExpressionAttributes(Map.of("#b", "b"), null);
        ProjectionExpressionParser.parse("#b", attributes);
        attributes.checkAllUsed();
    }

    @Test
    void emptyExpression() {
        assertValidation("Invalid ProjectionExpression: The expression can not be empty;", () -> parse("", Map.of()));
    }

    @Test
    void expressionOver4KiB() {
        String expression = "a" + ",b".repeat(2048);
        assertValidation("Invalid ProjectionExpression: Expression size has exceeded the maximum allowed size;",
                () -> parse(expression, Map.of()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"whatever(stuff)", ":a", "abort,", "a,,b", "a..b", "a[b]", "(a.b).c", "(a)", "(a),(b)",
            "(a,b)", "a-b", "_a", "a._b", "a[-1]"})
    void syntaxErrors(String expression) {
        var e = assertThrows(io.eddy.model.DynamoException.class, () -> parse(expression, Map.of()));
        assertTrue(e.getMessage().startsWith("Invalid ProjectionExpression: Syntax error; token: \""), e.getMessage());
    }

    @Test
    void syntaxErrorNamesTheToken() {
        assertValidation("Invalid ProjectionExpression: Syntax error; token: \"a\", near: \"[a]\"", () -> parse("l[a]", Map.of()));
        assertValidation("Invalid ProjectionExpression: Syntax error; token: \"<EOF>\", near: \",\"", () -> parse("abort,", Map.of()));
        assertValidation("Invalid ProjectionExpression: Syntax error; token: \"(\", near: \"whatever(stuff\"",
                () -> parse("whatever(stuff)", Map.of()));
    }

    @ParameterizedTest
    @CsvSource({"a.abORt, abORt", "'#a,ABSoLUTE', ABSoLUTE"})
    void reservedWords(String expression, String word) {
        assertValidation("Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: " + word,
                () -> parse(expression, Map.of()));
    }

    @Test
    void undefinedNames() {
        assertValidation("Invalid ProjectionExpression: An expression attribute name used in the document path is not "
                + "defined; attribute name: #a", () -> parse("a,b,a,#a", Map.of()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "b[1], b.a, #a.b, a|[a, b]|[a]",
            "a, #a[1]|[a]|[a, [1]]",
            "a, #a|[a]|[a]",
            "a.b.c, a.b|[a, b, c]|[a, b]",
    })
    void overlappingPaths(String expression, String one, String two) {
        assertValidation("Invalid ProjectionExpression: Two document paths overlap with each other; must remove or "
                + "rewrite one of these paths; path one: " + one + ", path two: " + two, () -> parse(expression, Map.of("#a", "a")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "a.b, #a[1], #b|[a, b]|[a, [1]]",
            "a.b[1], #a[1], #b|[a, b, [1]]|[a, [1]]",
            "a[3].b, #a.#b.b|[a, [3], b]|[a, [3], b]",
    })
    void conflictingPaths(String expression, String one, String two) {
        assertValidation("Invalid ProjectionExpression: Two document paths conflict with each other; must remove or "
                        + "rewrite one of these paths; path one: " + one + ", path two: " + two,
                () -> parse(expression, Map.of("#a", "a", "#b", "[3]")));
    }

    @Test
    void priorities() {
        // reserved word beats undefined name beats overlap beats conflict
        assertValidation("Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: size",
                () -> parse("#x, a, a, size", Map.of()));
        assertValidation("Invalid ProjectionExpression: An expression attribute name used in the document path is not "
                + "defined; attribute name: #x", () -> parse("a.b, a[1], a, #x", Map.of()));
    }

    @Test
    void pathsAtMost32Deep() {
        parse("a" + ".b".repeat(31), Map.of());
        assertValidation("Invalid ProjectionExpression: The document path has too many nesting levels; nesting levels: 33",
                () -> parse("a" + ".b".repeat(32), Map.of()));
    }
}
