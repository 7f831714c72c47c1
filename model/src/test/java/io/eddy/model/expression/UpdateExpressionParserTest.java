package io.eddy.model.expression;

import io.eddy.model.AttributeValue;
import io.eddy.model.TestSupport;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static io.eddy.model.TestSupport.assertValidation;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class UpdateExpressionParserTest {

    /** Values every test may use: ':n' 1, ':s' "x", ':l' [1], ':ss' {"x"}, ':ns' {1}, ':bs', ':b', ':m', ':t', ':z'. */
    private static final String VALUES = "{':n':{'N':'1'},':s':{'S':'x'},':l':{'L':[{'N':'1'}]},':ss':{'SS':['x']},"
            + "':ns':{'NS':['1']},':bs':{'BS':['eA==']},':b':{'B':'eA=='},':m':{'M':{}},':t':{'BOOL':true},':z':{'NULL':true}}";

    private static Update parse(String expression) {
        return parse(expression, Map.of("#a", "a", "#dotted", "x.y"));
    }

    private static Update parse(String expression, Map<String, String> names) {
        return UpdateExpressionParser.parse(expression, new ExpressionAttributes(names, TestSupport.item(VALUES)));
    }

    private static void assertInvalid(String message, String expression) {
        assertValidation("Invalid UpdateExpression: " + message, () -> parse(expression));
    }

    private static DocumentPath path(String... names) {
        DocumentPath path = DocumentPath.of(names[0]);
        for (int i = 1; i < names.length; i++) path = path.child(new DocumentPath.Name(names[i]));
        return path;
    }

    private static SetValue.Constant constant(String placeholder) {
        return new SetValue.Constant(placeholder, TestSupport.item(VALUES).get(placeholder));
    }

    @Nested
    class Structure {
        @Test
        void everyClauseInTextOrder() {
            Update update = parse("SET a = :n REMOVE b ADD c :n DELETE d :ss");
            assertEquals(List.of(
                    new UpdateAction.SetAction(path("a"), constant(":n")),
                    new UpdateAction.RemoveAction(path("b")),
                    new UpdateAction.AddAction(path("c"), AttributeValue.n("1")),
                    new UpdateAction.DeleteAction(path("d"), TestSupport.value("{'SS':['x']}"))), update.actions());
            assertEquals(Update.Source.UPDATE_EXPRESSION, update.source());
        }

        @Test
        void severalActionsPerClauseAndKeywordsInAnyCase() {
            Update update = parse("  sEt a=:n,b = :s   remove c,d  ");
            assertEquals(List.of(path("a"), path("b"), path("c"), path("d")), update.paths());
        }

        @Test
        void clausesInAnyOrder() {
            assertEquals(List.of(path("c"), path("a")), parse("DELETE c :ss SET a = :n").paths());
        }

        @Test
        void nestedPathsAndPlaceholders() {
            Update update = parse("SET #a.b[2].#dotted = :n");
            DocumentPath expected = path("a", "b").child(new DocumentPath.Index(2)).child(new DocumentPath.Name("x.y"));
            assertEquals(List.of(expected), update.paths());
        }

        @Test
        void setValues() {
            SetValue.Read readB = new SetValue.Read(path("b"));
            assertEquals(readB, set("SET a = b"));
            assertEquals(new SetValue.Plus(readB, constant(":n")), set("SET a = b + :n"));
            assertEquals(new SetValue.Minus(constant(":n"), readB), set("SET a = :n - b"));
            assertEquals(new SetValue.IfNotExists(path("a"), constant(":n")), set("SET a = if_not_exists(a, :n)"));
            assertEquals(new SetValue.ListAppend(readB, constant(":l")), set("SET a = list_append(b, :l)"));
            assertEquals(new SetValue.Plus(new SetValue.IfNotExists(path("a"), constant(":n")), constant(":n")),
                    set("SET a = if_not_exists(a, :n) + :n"));
            assertEquals(new SetValue.ListAppend(new SetValue.IfNotExists(path("b"), constant(":l")), constant(":l")),
                    set("SET a = list_append(if_not_exists(b, :l), :l)"));
            assertEquals(new SetValue.IfNotExists(path("b"), new SetValue.IfNotExists(path("c"), constant(":n"))),
                    set("SET a = if_not_exists(b, if_not_exists(c, :n))"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"SET a = (b)", "SET a = (b + c)", "SET a = ((b.c) + (d))", "SET a = (b) - c",
                "SET a = if_not_exists((b), (:n))", "SET a = ((b))"})
        void parenthesesAroundOperandsAndTheWholeValue(String expression) {
            assertEquals(1, parse(expression).actions().size());
        }

        private SetValue set(String expression) {
            return ((UpdateAction.SetAction) parse(expression).actions().get(0)).value();
        }
    }

    @Nested
    class SyntaxErrors {
        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "whatever|whatever|whatever",
                "SET a|<EOF>|a",
                "ADD a|<EOF>|a",
                "set a=set|set|=set",
                "remove a = b|=|a = b",
                "delete a b|b|a b",
                "add a if_not_exists(b)|if_not_exists|a if_not_exists(",
                "set :a = b|:a|set :a =",
                "remove :a|:a|remove :a",
                "set a = b / c|/|b / c",
                "set a[1] = 1|1|= 1",
                "SET a = b + c + d|+|c + d",
                "set (a = (b + c))|(|set (a",
                "set a = (b.c).d + e|.|).d",
                "SET c = if_not_exists(c, :v + :w)|+|:v + :w",
                "SET _123 = :n|_|SET _123",
                "SET _abc = :n|_|SET _abc",
                "SET a = _f(b)|_|= _f",
                "SET a[:n] = :n|:n|[:n]",
                "SET a = :n REMOVE|<EOF>|REMOVE",
                "SET a = :n,|<EOF>|,",
                "SET # = :n|#|SET # =",
                "SET a = :|:|= :",
                "SET set = :n|set|SET set =",
        })
        void syntaxErrorsNameTheFurthestToken(String expression, String token, String near) {
            assertInvalid("Syntax error; token: \"" + token + "\", near: \"" + near + "\"", expression);
        }

        @Test
        void emptyAndOverLongExpressions() {
            assertInvalid("The expression can not be empty;", "");
            String longest = "SET a = :n" + " ".repeat(4096 - 10);
            parse(longest);
            assertInvalid("Expression size has exceeded the maximum allowed size;", longest + " ");
        }

        @Test
        void atMost300OperatorsAndFunctions() {
            String tooMany = "The expression contains too many operators; operator count: 301";
            parse("SET " + increments(0, 300));
            assertInvalid(tooMany, "SET " + increments(0, 301));
            // A function call counts as one, and so does the + after it.
            parse("SET " + defaults(100) + ", " + increments(100, 100));
            assertInvalid(tooMany, "SET " + defaults(100) + ", " + increments(100, 101));
            assertInvalid(tooMany, "SET " + increments(0, 301) + " REMOVE a REMOVE b");
        }

        /** {@code count} SET actions {@code aN = b + :n}, N from {@code from}: one operator each. */
        private String increments(int from, int count) {
            return java.util.stream.IntStream.range(from, from + count).mapToObj(i -> "a" + i + "=b+:n")
                    .collect(java.util.stream.Collectors.joining(","));
        }

        /** {@code count} SET actions {@code cN = if_not_exists(b, :n) + :n}: a function and an operator each. */
        private String defaults(int count) {
            return java.util.stream.IntStream.range(0, count).mapToObj(i -> "c" + i + "=if_not_exists(b,:n)+:n")
                    .collect(java.util.stream.Collectors.joining(","));
        }

        @Test
        void functionNamesAreCaseSensitive() {
            assertInvalid("Invalid function name; function: LIST_APPEND", "SET a = LIST_APPEND(:l, :l)");
        }
    }

    @Nested
    class SemanticProblems {
        @Test
        void duplicateClauses() {
            assertInvalid("The \"SET\" section can only be used once in an update expression;", "SET a = :n SET b = :n");
            assertInvalid("The \"REMOVE\" section can only be used once in an update expression;", "remove a set b = :n remove c");
            assertInvalid("The \"ADD\" section can only be used once in an update expression;", "add a :n set b = :n add c :n");
            assertInvalid("The \"DELETE\" section can only be used once in an update expression;", "delete a :ss delete c :ss");
        }

        @Test
        void reservedWordsBareButNotAsPlaceholders() {
            assertInvalid("Attribute name is a reserved keyword; reserved keyword: Absolute", "REMOVE Absolute");
            assertInvalid("Attribute name is a reserved keyword; reserved keyword: size", "SET a = size");
            parse("SET #a = :n", Map.of("#a", "size"));
        }

        @Test
        void undefinedPlaceholders() {
            assertInvalid("An expression attribute name used in the document path is not defined; attribute name: #nope",
                    "SET #nope = :n");
            assertInvalid("An expression attribute value used in expression is not defined; attribute value: :nope",
                    "SET a = :nope");
            assertInvalid("An expression attribute value used in expression is not defined; attribute value: :nope",
                    "ADD a :nope");
        }

        @Test
        void unknownAndConditionFunctions() {
            assertInvalid("Invalid function name; function: f", "SET a = f(b, c, d)");
            assertInvalid("The function is not allowed in an update expression; function: size", "SET a = size(b)");
            assertInvalid("The function is not allowed in an update expression; function: attribute_exists",
                    "SET a = attribute_exists(b)");
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "SET a = :n, a.b = :n|[a]|[a, b]",
                "SET a.b = :n, a = :n|[a, b]|[a]",
                "SET a.b = :n, a.b = :n|[a, b]|[a, b]",
                "SET a[1] = :n, a[1][1] = :n|[a, [1]]|[a, [1], [1]]",
                "SET a = :n REMOVE a|[a]|[a]",
                "REMOVE a SET a = :n|[a]|[a]",
                "SET #a = :n, a = :n|[a]|[a]",
                "ADD a :n DELETE a :ss|[a]|[a]",
        })
        void overlappingPaths(String expression, String one, String two) {
            assertInvalid("Two document paths overlap with each other; must remove or rewrite one of these paths; "
                    + "path one: " + one + ", path two: " + two, expression);
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "SET a.b = :n, a[1] = :n|[a, b]|[a, [1]]",
                "REMOVE a.c SET a[1] = :n|[a, c]|[a, [1]]",
                "SET a.b.c = :n, a.b[2] = :n|[a, b, c]|[a, b, [2]]",
        })
        void conflictingPaths(String expression, String one, String two) {
            assertInvalid("Two document paths conflict with each other; must remove or rewrite one of these paths; "
                    + "path one: " + one + ", path two: " + two, expression);
        }

        @Test
        void independentPathsAreFine() {
            assertEquals(4, parse("SET a.b = :n, a.c.d = :n, b.x = :n REMOVE a.x").actions().size());
            assertEquals(3, parse("SET a[1] = :n, a[2] = :n REMOVE a[3]").actions().size());
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "ADD a :s|ADD|STRING", "ADD a :b|ADD|BINARY", "ADD a :t|ADD|BOOLEAN", "ADD a :z|ADD|NULL",
                "ADD a :l|ADD|LIST", "ADD a :m|ADD|MAP",
                "DELETE a :n|DELETE|NUMBER", "DELETE a :s|DELETE|STRING", "DELETE a :l|DELETE|LIST", "DELETE a :m|DELETE|MAP",
        })
        void addAndDeleteOperandTypes(String expression, String operator, String type) {
            assertInvalid("Incorrect operand type for operator or function; operator: " + operator + ", operand type: "
                    + type + ", typeSet: ALLOWED_FOR_" + operator + "_OPERAND", expression);
        }

        @Test
        void addAndDeleteTakeTheirTypes() {
            assertEquals(4, parse("ADD a :n, b :ss, c :ns, d :bs").actions().size());
            assertEquals(3, parse("DELETE a :ss, b :ns, c :bs").actions().size());
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "SET a = if_not_exists(c)|if_not_exists, number of operands: 1",
                "SET a = list_append(c)|list_append, number of operands: 1",
                "SET a = list_append(:l, :l, :l)|list_append, number of operands: 3",
        })
        void operandCounts(String expression, String detail) {
            assertInvalid("Incorrect number of operands for operator or function; operator or function: " + detail, expression);
        }

        @ParameterizedTest
        @ValueSource(strings = {"SET a = if_not_exists(:n, c)", "SET a = if_not_exists(if_not_exists(a, :n), c)"})
        void ifNotExistsNeedsAPath(String expression) {
            assertInvalid("Operator or function requires a document path; operator or function: if_not_exists", expression);
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "SET a = list_append(:s, a)|list_append|S", "SET a = list_append(a, :n)|list_append|N",
                "SET a = list_append(:m, a)|list_append|M", "SET a = list_append(:ss, a)|list_append|SS",
                "SET a = a + :s|+|S", "SET a = :s + :b|+|S", "SET a = :b + a|+|B", "SET a = a + :l|+|L",
                "SET a = a - :ns|-|NS", "SET a = a - :t|-|BOOL", "SET a = a - :z|-|NULL",
        })
        void constantOperandTypes(String expression, String operator, String type) {
            assertInvalid("Incorrect operand type for operator or function; operator or function: " + operator
                    + ", operand type: " + type, expression);
        }

        @Test
        void listAppendInsideListAppend() {
            assertInvalid("The function is not allowed to be used this way in an expression; function: list_append",
                    "SET a = list_append(list_append(:l, :l), :l)");
        }

        @Test
        void tooDeepPaths() {
            assertInvalid("The document path has too many nesting levels; nesting levels: 33", "SET a" + ".b".repeat(32) + " = :n");
            parse("SET a" + ".b".repeat(31) + " = :n");
        }

        @Test
        void problemsAreReportedByKindNotPosition() {
            // Each pair: the expression has both problems; DynamoDB reports the earlier kind.
            assertInvalid("Attribute name is a reserved keyword; reserved keyword: action", "SET a = f(b) SET action = :n");
            assertInvalid("Invalid function name; function: f", "SET a = :n SET b = f(c)");
            assertInvalid("The \"SET\" section can only be used once in an update expression;", "SET #x = :n SET b = :n");
            assertInvalid("An expression attribute name used in the document path is not defined; attribute name: #x",
                    "SET a = :nope, #x = :n");
            assertInvalid("An expression attribute value used in expression is not defined; attribute value: :nope",
                    "SET a = :n, a = :nope");
            assertInvalid("Two document paths overlap with each other; must remove or rewrite one of these paths; "
                    + "path one: [a], path two: [a]", "ADD a :s SET a = :n, b = a + :s");
            assertInvalid("Incorrect operand type for operator or function; operator: ADD, operand type: STRING, "
                    + "typeSet: ALLOWED_FOR_ADD_OPERAND", "SET b = list_append(:s, a), c = if_not_exists(a) ADD a.b :s");
        }

        @Test
        void placeholdersAreMarkedUsed() {
            ExpressionAttributes attributes = new ExpressionAttributes(Map.of("#a", "a", "#b", "b"), TestSupport.item(VALUES));
            UpdateExpressionParser.parse("SET #a = :n REMOVE #b", attributes);
            assertValidation("Value provided in ExpressionAttributeValues unused in expressions: "
                    + "keys: {:s, :l, :ss, :ns, :bs, :b, :m, :t, :z}", attributes::checkAllUsed);
        }

        @Test
        void keysAreNotTheParsersBusiness() {
            // Key attributes are refused once the table is known, not here.
            assertEquals(1, parse("SET id = :n").actions().size());
            assertThrows(io.eddy.model.DynamoException.class, () -> parse("SET a = :nope"));
        }
    }
}
