package io.eddy.model.expression;

import io.eddy.model.AttributeValue;
import io.eddy.model.TestSupport;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.eddy.model.TestSupport.assertValidation;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConditionExpressionParserTest {

    private static final String FILTER = "FilterExpression";
    private static final String CONDITION = "ConditionExpression";

    private static Condition parse(String expression) {
        return parse(expression, Map.of("#a", "a"), Map.of(":v", AttributeValue.s("x")));
    }

    private static Condition parse(String expression, Map<String, String> names, Map<String, AttributeValue> values) {
        return ConditionExpressionParser.parse(expression, CONDITION,
                new ExpressionAttributes(names.isEmpty() ? null : names, values.isEmpty() ? null : values));
    }

    /** Parses as a FilterExpression with the given ExpressionAttributeValues ':a' (JSON), or none. */
    private static void assertFilterError(String message, String expression, String valueOfA) {
        Map<String, AttributeValue> values = valueOfA == null ? null : Map.of(":a", TestSupport.value(valueOfA));
        assertValidation("Invalid FilterExpression: " + message,
                () -> ConditionExpressionParser.parse(expression, FILTER, new ExpressionAttributes(null, values)));
    }

    private static DocumentPath path(String... names) {
        DocumentPath path = DocumentPath.of(names[0]);
        for (int i = 1; i < names.length; i++) path = path.child(new DocumentPath.Name(names[i]));
        return path;
    }

    private static Operand.Path pathOperand(String name) {
        return new Operand.Path(DocumentPath.of(name));
    }

    @Nested
    class Structure {
        @Test
        void comparison() {
            Condition parsed = parse("#a = :v");
            assertEquals(new Condition.Compare(Comparator.EQ, pathOperand("a"), new Operand.Value(":v", AttributeValue.s("x"))),
                    parsed);
        }

        @ParameterizedTest
        @CsvSource({"=, EQ", "<>, NE", "<, LT", "<=, LE", ">, GT", ">=, GE"})
        void everyComparator(String symbol, Comparator comparator) {
            Condition parsed = parse("a " + symbol + " b");
            assertEquals(comparator, ((Condition.Compare) parsed).comparator());
        }

        @Test
        void andBindsTighterThanOr() {
            Condition parsed = parse("a = b OR c = d AND e = f");
            Condition.Or or = assertInstanceOf(Condition.Or.class, parsed);
            assertInstanceOf(Condition.Compare.class, or.left());
            assertInstanceOf(Condition.And.class, or.right());
        }

        @Test
        void notBindsTighterThanAnd() {
            Condition parsed = parse("NOT a = b AND c = d");
            Condition.And and = assertInstanceOf(Condition.And.class, parsed);
            assertInstanceOf(Condition.Not.class, and.left());
        }

        @Test
        void notsChain() {
            Condition.And and = assertInstanceOf(Condition.And.class, parse("NOT NOT a = b AND c = d"));
            Condition.Not outer = assertInstanceOf(Condition.Not.class, and.left());
            assertInstanceOf(Condition.Compare.class, assertInstanceOf(Condition.Not.class, outer.condition()).condition());
        }

        @Test
        void parenthesesGroup() {
            Condition parsed = parse("(a = b OR c = d) AND e = f");
            Condition.And and = assertInstanceOf(Condition.And.class, parsed);
            assertInstanceOf(Condition.Or.class, and.left());
        }

        @Test
        void keywordsAreCaseInsensitive() {
            assertInstanceOf(Condition.Or.class, parse("a = b or not c = d"));
            assertInstanceOf(Condition.Between.class, parse("a between b And c"));
            assertInstanceOf(Condition.In.class, parse("a In (b, c)"));
        }

        @Test
        void betweenAndIn() {
            assertEquals(new Condition.Between(pathOperand("a"), pathOperand("b"), pathOperand("c")),
                    parse("a BETWEEN b AND c"));
            assertEquals(new Condition.In(pathOperand("a"), List.of(pathOperand("b"), new Operand.Value(":v", AttributeValue.s("x")))),
                    parse("a IN (b, :v)"));
            // The AND of BETWEEN is taken before the boolean AND.
            Condition.And and = assertInstanceOf(Condition.And.class, parse("a BETWEEN b AND c AND d = e"));
            assertInstanceOf(Condition.Between.class, and.left());
        }

        @Test
        void functions() {
            assertEquals(new Condition.AttributeExists(path("a", "b")), parse("attribute_exists(a.b)"));
            assertEquals(new Condition.AttributeNotExists(DocumentPath.of("a")), parse("attribute_not_exists(#a)"));
            assertInstanceOf(Condition.AttributeTypeIs.class, parse("attribute_type(a, :t)", Map.of(), Map.of(":t", AttributeValue.s("SS"))));
            assertInstanceOf(Condition.BeginsWith.class, parse("begins_with(a, :v)"));
            assertInstanceOf(Condition.Contains.class, parse("contains(a, :v)"));
            assertEquals(new Condition.Compare(Comparator.GT, new Operand.Size(pathOperand("a")), pathOperand("b")),
                    parse("size(a) > b"));
        }

        @Test
        void pathsWithIndexesAndPlaceholders() {
            Condition.AttributeExists exists = (Condition.AttributeExists) parse("attribute_exists(a[2].#a.c[0][1])");
            assertEquals("[a, [2], a, c, [0], [1]]", exists.path().toString());
        }

        @Test
        void placeholdersMayStandForReservedWordsAndDots() {
            Condition.AttributeExists exists = (Condition.AttributeExists) parse("attribute_exists(#a)",
                    Map.of("#a", "size.of"), Map.of());
            assertEquals(DocumentPath.of("size.of"), exists.path());
        }

        @Test
        void parenthesisedOperandsAndPathHeads() {
            assertEquals(parse("a = b"), parse("(a) = (b)"));
            assertEquals(new Condition.AttributeExists(path("a", "b", "c")), parse("attribute_exists((a.b).c)"));
        }

        @Test
        void whitespaceIsFree() {
            assertEquals(parse("a=b"), parse(" \t a \n= \r b "));
            assertEquals(parse("a.b[1] = c"), parse("a . b [ 1 ] = c"));
        }

        @Test
        void marksPlaceholdersUsed() {
            ExpressionAttributes attributes = new ExpressionAttributes(Map.of("#a", "a"), Map.of(":v", AttributeValue.s("x")));
            ConditionExpressionParser.parse("#a = :v", CONDITION, attributes);
            attributes.checkAllUsed();
        }

        @Test
        void deepParenthesesDoNotBlowUp() {
            String expression = "(".repeat(150) + "a = b" + ")".repeat(150);
            assertValidation("Invalid ConditionExpression: The expression has redundant parentheses;", () -> parse(expression));
            String operand = "a = " + "(".repeat(150) + "b" + ")".repeat(150);
            assertValidation("Invalid ConditionExpression: The expression has redundant parentheses;", () -> parse(operand));
        }
    }

    @Nested
    class Errors {
        @Test
        void emptyExpression() {
            assertValidation("Invalid ConditionExpression: The expression can not be empty;", () -> parse(""));
        }

        @Test
        void atMost300Operators() {
            String tooMany = "Invalid ConditionExpression: The expression contains too many operators; operator count: 301";
            // Comparisons, AND, OR and NOT count; DynamoDB stops counting at 301.
            parse("NOT a < b" + " OR a < b".repeat(149));
            assertValidation(tooMany, () -> parse("a < b" + " OR a < b".repeat(150)));
            assertValidation(tooMany, () -> parse("a < b" + " AND a <> b".repeat(200)));
            // So do BETWEEN and IN, but not the AND inside a BETWEEN.
            parse("a BETWEEN b AND c" + " OR a BETWEEN b AND c".repeat(149));
            assertValidation(tooMany, () -> parse("a BETWEEN b AND c" + " OR a BETWEEN b AND c".repeat(150)));
            assertValidation(tooMany, () -> parse("a IN (b, c)" + " OR a IN (b, c)".repeat(150)));
            // Parentheses do not: 149 nested ORs hold 299 operators, 150 hold 301.
            parse("a < b " + "OR (a < b ".repeat(149) + ")".repeat(149));
            assertValidation(tooMany, () -> parse("a < b " + "OR (a < b ".repeat(150) + ")".repeat(150)));
            // Nor do function calls: 200 ORs of function conditions are 200 operators.
            parse("contains(a, b)" + " OR contains(a, b)".repeat(200));
        }

        @Test
        void theOperatorCountComesAfterSyntaxAndBeforeEverythingElse() {
            String operators = " OR a < b".repeat(150);
            assertTrue(org.junit.jupiter.api.Assertions.assertThrows(io.eddy.model.DynamoException.class,
                    () -> parse("a < b" + operators + " OR")).getMessage().contains("Syntax error"));
            assertValidation("Invalid FilterExpression: The expression contains too many operators; operator count: 301",
                    () -> ConditionExpressionParser.parse("a < :undefined AND nofunction(a)" + operators, FILTER,
                            ExpressionAttributes.none()));
        }

        @Test
        void expressionOver4KiB() {
            String expression = "a = b AND " + "c".repeat(4096);
            assertValidation("Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; "
                    + "expression size: " + expression.length(), () -> parse(expression));
            assertValidation("Invalid FilterExpression: Expression size has exceeded the maximum allowed size; "
                    + "expression size: " + expression.length(), () -> ConditionExpressionParser.parse(expression, FILTER, ExpressionAttributes.none()));
            // A key condition does not give its size (a 2026 test suite run against DynamoDB).
            assertValidation("Invalid KeyConditionExpression: Expression size has exceeded the maximum allowed size;",
                    () -> ConditionExpressionParser.parse(expression, "KeyConditionExpression", ExpressionAttributes.none()));
            parse("a = " + "c".repeat(4092));
        }

        @ParameterizedTest
        @ValueSource(strings = {
                "things are not gonna be ok", "a > 4", "attribute_exists(Pictures-RearView)",
                "attribute_exists(\"Pictures.RearView\")", "attribute_exists(Pictures..RearView)",
                "attribute_exists(Pi#ctures.RearView)", "attribute_exists(asdf[a])", "a in b, c", "a > between",
                "a in b", "a in (b,c,)", "(a)between(b.(c.d))and(c)", "(a)between(b.c.d)and((c)", "#$.b > a",
                "a > :things.stuff", "b[:a] > a", "b[#_] > a", "ü > a", "(a)between(b.c[4.5].#d)and(:a)",
                "size(a).b > a", "(size(a)).b > a", "size(a)[0] > a", "(size(a))[0] > a", "attribute_not_exists(_c)",
                "attribute_not_exists(c._d)", "a", "a = b c = d", "NOT NOT", "a = b AND", "a[99999999999] = b",
                "a != b", "a == b"})
        void syntaxErrors(String expression) {
            var e = org.junit.jupiter.api.Assertions.assertThrows(io.eddy.model.DynamoException.class,
                    () -> ConditionExpressionParser.parse(expression, FILTER, ExpressionAttributes.none()));
            assertTrue(e.getMessage().startsWith("Invalid FilterExpression: Syntax error; token: \""), e.getMessage());
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
                "attribute_type()|)|()",
                "a > 4|4|> 4",
                "a in b|b|in b",
                "a = b c|c|b c",
                "a = b AND|<EOF>|AND",
                "a = |<EOF>|= ",
                "attribute_exists(asdf[a])|a|[a]",
                "a in (b,c,)|)|,)",
                "ü > a|ü|ü >",
                "a = b AND c = d AND e f|f|e f",
                "a.b.c > d.e.f g|g|f g",
                // An underscore starts no word (DynamoDB answered a KeyConditionExpression so).
                "a = :p AND __typename = :t|_|AND __",
                "_f(a)|_|_f",
        })
        void syntaxErrorsNameTheTokenAndItsNeighbours(String expression, String token, String near) {
            assertValidation("Invalid ConditionExpression: Syntax error; token: \"" + token + "\", near: \"" + near + "\"",
                    () -> ConditionExpressionParser.parse(expression, CONDITION, ExpressionAttributes.none()));
        }

        @ParameterizedTest
        @ValueSource(strings = {
                "a=a and a > ((views))", "(a)between(((b.c)).d)and(c)", "a > whatever((:things), ((a)))",
                "a=a AND ((a=a AND a=a)) AND a=a", "a=a OR ((a=a OR a=a)) OR a=a", "a=a AND ((a=a AND (a=a AND a=a)))",
                "((attribute_not_exists(pk)))", "NOT ((a = b))"})
        void redundantParentheses(String expression) {
            assertFilterError("The expression has redundant parentheses;", expression, null);
        }

        @Test
        void singleParenthesesAreNotRedundant() {
            parse("a_1 = b_ AND #_ = :_", Map.of("#_", "a"), Map.of(":_", AttributeValue.s("x")));
            parse("((a=b) OR (c=d))");
            parse("(a = b)");
            parse("NOT (a = b)");
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
                "a=a and whatever((:things)) > a|whatever",
                "attRIbute_exIsts((views), #a)|attRIbute_exIsts",
        })
        void unknownFunctions(String expression, String function) {
            assertFilterError("Invalid function name; function: " + function, expression, null);
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
                "a=a and attribute_exists((views), (#a)) > b|attribute_exists",
                "attribute_not_exists(things) > b|attribute_not_exists",
                "attribute_type(things, :a) > b|attribute_type",
                "begins_with(things, a) > b|begins_with",
                "contains(:things, c) > b|contains",
                "size(contains(a, b)) > a|contains",
                "size(things)|size",
                "a between b and attribute_exists(things)|attribute_exists",
                "a in (b, attribute_exists(things))|attribute_exists",
                "NOT size(a) AND a = b|size",
        })
        void functionsUsedTheWrongWay(String expression, String function) {
            assertFilterError("The function is not allowed to be used this way in an expression; function: " + function,
                    expression, null);
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "if_not_exists(a, b) = c|if_not_exists", "list_append(a, b) = c|list_append", "if_not_exists(a, b)|if_not_exists",
        })
        void updateFunctionsAreNotConditions(String expression, String function) {
            assertFilterError("The function is not allowed in a condition expression; function: " + function, expression, null);
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
                "attribute_exists(views, #a)|views",
                ":a < abOrT|abOrT",
                "a.b.size = c|size",
                "a = b AND #a = :b AND c = Value|Value",
        })
        void reservedWords(String expression, String word) {
            assertFilterError("Attribute name is a reserved keyword; reserved keyword: " + word, expression, null);
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
                "attribute_exists(#Pictures.RearView, :a) and a=a|#Pictures",
                "begins_with(Pictures.#RearView)|#RearView",
                "(#P between :lo and :hi) and (#PC in (:cat1, :cat2))|#P",
                "#4g > a|#4g",
                "#_ > a|#_",
                "(a)between(b.c[45].#d)and(:a)|#d",
        })
        void undefinedNames(String expression, String name) {
            assertFilterError("An expression attribute name used in the document path is not defined; attribute name: "
                    + name, expression, null);
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
                "begins_with(:hello, #a, #b)|:hello",
                ":a < :b|:a",
                ":_ > a|:_",
        })
        void undefinedValues(String expression, String value) {
            assertFilterError("An expression attribute value used in expression is not defined; attribute value: "
                    + value, expression, null);
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
                "attribute_exists(things, a) and a=a|attribute_exists|2",
                "attribute_not_exists(things, b)|attribute_not_exists|2",
                "attribute_type(things)|attribute_type|1",
                "begins_with(things)|begins_with|1",
                "begins_with(things, size(a), b)|begins_with|3",
                "contains(things)|contains|1",
                "size(things, a) > b|size|2",
        })
        void wrongNumberOfOperands(String expression, String function, int count) {
            assertFilterError("Incorrect number of operands for operator or function; operator or function: " + function
                    + ", number of operands: " + count, expression, null);
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
                "attribute_type(a, size(a)) and a=a and a=:a|attribute_type|{'N':'1'}|N",
                "attribute_type(a, :a)|attribute_type|{'N':'1'}|N",
                "attribute_type(a, :a)|attribute_type|{'B':'YQ=='}|B",
                "attribute_type(a, :a)|attribute_type|{'BOOL':true}|BOOL",
                "attribute_type(a, :a)|attribute_type|{'NULL':true}|NULL",
                "attribute_type(a, :a)|attribute_type|{'L':[]}|L",
                "attribute_type(a, :a)|attribute_type|{'M':{}}|M",
                "attribute_type(a, :a)|attribute_type|{'SS':['1']}|SS",
                "attribute_type(a, :a)|attribute_type|{'NS':['1']}|NS",
                "attribute_type(a, :a)|attribute_type|{'BS':['YQ==']}|BS",
                "attribute_type(a, b)|attribute_type||{NS,SS,L,BS,N,M,B,BOOL,NULL,S}",
                "begins_with(a, size(a)) and a=:a|begins_with|{'N':'1'}|N",
                "begins_with(a, :a)|begins_with|{'N':'1'}|N",
                "begins_with(a, :a)|begins_with|{'BOOL':true}|BOOL",
                "begins_with(a, :a)|begins_with|{'NULL':true}|NULL",
                "begins_with(a, :a)|begins_with|{'L':[]}|L",
                "begins_with(a, :a)|begins_with|{'M':{}}|M",
                "begins_with(a, :a)|begins_with|{'SS':['1']}|SS",
                "begins_with(a, :a)|begins_with|{'NS':['1']}|NS",
                "begins_with(a, :a)|begins_with|{'BS':['YQ==']}|BS",
                "begins_with(:a, a)|begins_with|{'N':'1'}|N",
                "begins_with(:a, a)|begins_with|{'M':{}}|M",
                "size(size(a)) > :a|size|{'N':'1'}|N",
                "attribute_not_exists(size(:a))|size|{'N':'1'}|N",
                "size(:a) > a|size|{'BOOL':true}|BOOL",
                "size(:a) > a|size|{'NULL':true}|NULL",
                "a < :a|<|{'L':[]}|L",
                ":a >= a|>=|{'M':{}}|M",
                "a <= :a|<=|{'SS':['x']}|SS",
                "a > :a|>|{'BOOL':true}|BOOL",
                "a BETWEEN :a AND b|BETWEEN|{'NULL':true}|NULL",
        })
        void wrongOperandTypes(String expression, String operator, String valueOfA, String type) {
            assertFilterError("Incorrect operand type for operator or function; operator or function: " + operator
                    + ", operand type: " + type, expression, valueOfA);
        }

        @Test
        void equalityAcceptsEveryType() {
            parse("a = :l AND a <> :l", Map.of(), Map.of(":l", new AttributeValue.ListValue(List.of())));
        }

        @Test
        void attributeTypeNamesMustBeKnown() {
            assertFilterError("Invalid attribute type name found; type: 1, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}",
                    "attribute_type(a, :a)", "{'S':'1'}");
            assertFilterError("Invalid attribute type name found; type: ss, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}",
                    "attribute_type(a, :a)", "{'S':'ss'}");
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
                "attribute_exists(:a) and a=a|attribute_exists",
                "attribute_not_exists(size(:a))|attribute_not_exists",
        })
        void existenceFunctionsNeedAPath(String expression, String function) {
            assertFilterError("Operator or function requires a document path; operator or function: " + function,
                    expression, "{'S':'1'}");
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
                "a = a AND #a = b AND :views > a|=|[a]",
                "#a <> a|<>|[a]",
                "a > #a|>|[a]",
                "((a=a) OR (a=a))|=|[a]",
                "((a=a) AND (a=a))|=|[a]",
                "contains(ab.bc[1].a, ab.bc[1].#a)|contains|[ab, bc, [1], a]",
                "attribute_type(ab.bc[1].#a, ab.bc[1].a)|attribute_type|[ab, bc, [1], a]",
                "begins_with(ab.bc[1].a, ab.bc[1].#a)|begins_with|[ab, bc, [1], a]",
        })
        void operandsMustBeDistinct(String expression, String operator, String path) {
            assertValidation("Invalid FilterExpression: The first operand must be distinct from the remaining operands "
                            + "for this operator or function; operator: " + operator + ", first operand: " + path,
                    () -> ConditionExpressionParser.parse(expression, FILTER,
                            new ExpressionAttributes(Map.of("#a", "a"), null)));
        }

        @Test
        void sameValueTwiceIsFine() {
            parse(":v = :v");
        }

        @Test
        void betweenBoundsMustBeOrdered() {
            Map<String, AttributeValue> values = new LinkedHashMap<>();
            values.put(":lo", AttributeValue.n("5"));
            values.put(":hi", AttributeValue.n("1"));
            values.put(":s", AttributeValue.s("a"));
            assertValidation("Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater than or "
                            + "equal to lower bound; lower bound operand: AttributeValue: {N:5}, upper bound operand: AttributeValue: {N:1}",
                    () -> parse("a BETWEEN :lo AND :hi", Map.of(), values));
            assertValidation("Invalid ConditionExpression: The BETWEEN operator requires same data type for lower and upper "
                            + "bounds; lower bound operand: AttributeValue: {N:5}, upper bound operand: AttributeValue: {S:a}",
                    () -> parse("a BETWEEN :lo AND :s", Map.of(), values));
            parse("a BETWEEN :hi AND :lo", Map.of(), values);
        }

        @Test
        void inTakesAtMost100Operands() {
            StringBuilder candidates = new StringBuilder("b0");
            for (int i = 1; i < 100; i++) candidates.append(", b").append(i);
            parse("a IN (" + candidates + ")");
            assertValidation("Invalid ConditionExpression: The IN operator is provided with too many operands; "
                    + "number of operands: 101", () -> parse("a IN (" + candidates + ", b100)"));
        }

        @Test
        void pathsAtMost32Deep() {
            parse("attribute_exists(a" + ".b".repeat(31) + ")");
            assertValidation("Invalid ConditionExpression: The document path has too many nesting levels; nesting levels: 33",
                    () -> parse("attribute_exists(a" + ".b".repeat(32) + ")"));
        }

        @Test
        void kindNamesTheParameter() {
            for (String kind : List.of("ConditionExpression", "FilterExpression", "KeyConditionExpression")) {
                assertValidation("Invalid " + kind + ": The expression can not be empty;",
                        () -> ConditionExpressionParser.parse("", kind, ExpressionAttributes.none()));
            }
        }
    }

    @Nested
    class Priorities {
        @Test
        void syntaxBeatsEverything() {
            assertTrue(message("((a)) = whatever(b) AND size = #x AND").contains("Syntax error"));
        }

        @Test
        void redundantParenthesesBeatUnknownFunctions() {
            assertEquals("Invalid ConditionExpression: The expression has redundant parentheses;",
                    message("whatever(a) = b AND ((c = d))"));
        }

        @Test
        void unknownFunctionsBeatMisuse() {
            assertEquals("Invalid ConditionExpression: Invalid function name; function: whatever",
                    message("begins_with(a, b) = c AND whatever(d)"));
        }

        @Test
        void deeplyNestedCallsAreRefusedNotAStackOverflow() throws Throwable {
            // Within DynamoDB's 4 KB: the parser's recursion went as deep as the calls did.
            TestSupport.onStack(1024, () -> assertTrue(message("a < " + "f(".repeat(1350) + "b" + ")".repeat(1350))
                    .startsWith("Invalid ConditionExpression: Syntax error; token: ")));
            TestSupport.onStack(1024, () -> assertTrue(message("size(".repeat(600) + "a" + ")".repeat(600) + " > b")
                    .startsWith("Invalid ConditionExpression: Syntax error")));
        }

        @Test
        void misuseBeatsReservedWords() {
            assertEquals("Invalid ConditionExpression: The function is not allowed to be used this way in an expression; "
                    + "function: contains", message("size = b AND contains(a, b) = c"));
        }

        @Test
        void reservedWordsBeatConditionProblems() {
            assertEquals("Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: size",
                    message("#nope = b AND size = c"));
        }

        @Test
        void theFirstFaultyConditionWins() {
            assertEquals("Invalid ConditionExpression: Incorrect number of operands for operator or function; "
                    + "operator or function: contains, number of operands: 1", message("contains(a) AND #nope = b"));
        }

        @Test
        void withinAConditionUndefinedPlaceholdersWin() {
            assertEquals("Invalid ConditionExpression: An expression attribute name used in the document path is not "
                    + "defined; attribute name: #nope", message("begins_with(#nope, :v, c)"));
        }

        private String message(String expression) {
            return org.junit.jupiter.api.Assertions.assertThrows(io.eddy.model.DynamoException.class,
                    () -> parse(expression)).getMessage();
        }
    }
}
