package io.eddy.model.partiql;

import static io.eddy.model.AttributeValue.n;
import static io.eddy.model.AttributeValue.s;
import static io.eddy.model.TestSupport.assertValidation;
import static io.eddy.model.TestSupport.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.model.AttributeValue;
import io.eddy.model.AttributeValue.ListValue;
import io.eddy.model.AttributeValue.MapValue;
import io.eddy.model.expression.Comparator;
import io.eddy.model.expression.Condition;
import io.eddy.model.expression.DocumentPath;
import io.eddy.model.expression.Operand;
import io.eddy.model.expression.SetValue;
import io.eddy.model.expression.Update;
import io.eddy.model.expression.UpdateAction;
import io.eddy.model.partiql.Statement.Returning;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PartiqlParserTest {

    private static final String MALFORMED = "Statement wasn't well formed, can't be processed: ";
    private static final String UPDATE = "UPDATE tbl ";
    private static final AttributeValue.BinaryValue B1 = AttributeValue.b(new byte[] {1});
    private static final AttributeValue.BinaryValue B2 = AttributeValue.b(new byte[] {2, 3});

    private static Statement parse(String statement, AttributeValue... parameters) {
        return PartiqlParser.parse(statement, List.of(parameters));
    }

    private static Statement.Select select(String statement, AttributeValue... parameters) {
        return (Statement.Select) parse(statement, parameters);
    }

    /** The condition of {@code SELECT * FROM tbl WHERE condition}. */
    private static Condition where(String condition, AttributeValue... parameters) {
        return select("SELECT * FROM tbl WHERE " + condition, parameters).where().orElseThrow();
    }

    /** The actions of {@code UPDATE tbl clauses WHERE pk = 1}. */
    private static List<UpdateAction> actions(String clauses, AttributeValue... parameters) {
        return ((Statement.Update) parse(UPDATE + clauses + " WHERE pk = 1", parameters)).actions();
    }

    /** The constant a SET of {@link #actions} reads from {@code literal}, the last text like it in {@code clauses}. */
    private static SetValue.Constant constant(String clauses, String literal, AttributeValue value) {
        return new SetValue.Constant("literal at position " + ((UPDATE + clauses).lastIndexOf(literal) + 1), value);
    }

    /** A path of names (strings) and list indexes (integers). */
    private static DocumentPath path(Object... steps) {
        List<DocumentPath.Element> elements = new ArrayList<>();
        for (Object step : steps) {
            elements.add(step instanceof Integer i ? new DocumentPath.Index(i) : new DocumentPath.Name((String) step));
        }
        return new DocumentPath(elements);
    }

    private static UpdateAction.SetAction set(DocumentPath path, SetValue value) {
        return new UpdateAction.SetAction(path, value);
    }

    private static SetValue.Read read(Object... steps) {
        return new SetValue.Read(path(steps));
    }

    private static Operand.Path at(Object... steps) {
        return new Operand.Path(path(steps));
    }

    private static Operand.Value val(AttributeValue value) {
        return new Operand.Value(null, value);
    }

    private static Condition eq(Operand left, Operand right) {
        return new Condition.Compare(Comparator.EQ, left, right);
    }

    private static void assertMalformed(String detail, String statement, AttributeValue... parameters) {
        assertValidation(MALFORMED + detail, () -> parse(statement, parameters));
    }

    /** Each statement, without parameters, is refused with the message. */
    private static void assertRefused(String message, String... statements) {
        for (String statement : statements) assertValidation(message, () -> parse(statement));
    }

    /** Each condition of {@link #where} is refused with the message. */
    private static void assertWhereRefused(String message, String... conditions) {
        for (String condition : conditions) assertValidation(message, () -> where(condition));
    }

    @Nested
    class Select {
        @Test
        void starFromTable() {
            Statement statement = parse("SELECT * FROM Music");
            assertEquals(new Statement.Select("Music", Optional.empty(), Optional.empty(), Optional.empty(), List.of()), statement);
            assertTrue(statement.isRead());
        }

        @Test
        void projectionPaths() {
            Statement.Select select = select("SELECT a.b[2].c, \"quoted name\", \"x\".\"y.z\"[0] FROM \"Music\"");
            assertEquals(Optional.of(List.of(path("a", "b", 2, "c"), path("quoted name"), path("x", "y.z", 0))), select.projection());
            assertEquals("Music", select.table());
        }

        @Test
        void tableAndIndex() {
            assertEquals(Optional.of("ByArtist"), select("SELECT * FROM \"Music\".\"ByArtist\"").index());
            assertEquals(Optional.of("ByArtist"), select("SELECT * FROM Music.ByArtist").index());
            assertEquals("my.table", select("SELECT * FROM \"my.table\"").table());
        }

        @Test
        void keywordsAreCaseInsensitiveButNamesAreNot() {
            Statement.Select select = select("select Title from Music wHeRe Artist = 'x' order by Title desc");
            assertEquals(Optional.of(List.of(path("Title"))), select.projection());
            assertEquals(Optional.of(eq(at("Artist"), val(s("x")))), select.where());
            assertEquals(List.of(new Statement.OrderKey("Title", true)), select.orderBy());
        }

        @Test
        void orderByKeys() {
            assertEquals(List.of(new Statement.OrderKey("sk", true), new Statement.OrderKey("b", false),
                    new Statement.OrderKey("c", false)), select("SELECT * FROM tbl ORDER BY sk DESC, \"b\" ASC, c").orderBy());
        }

        @Test
        void existsWrapsASelect() {
            Statement statement = parse("exists(SELECT * FROM Music WHERE pk = 'a')");
            assertEquals(new Statement.Exists(select("SELECT * FROM Music WHERE pk = 'a'")), statement);
            assertEquals("Music", statement.table());
            assertFalse(statement.isRead());
        }

        @Test
        void commentsAndQuestionMarksInStringsAreIgnored() {
            assertEquals(eq(at("a"), val(s("?"))), select("SELECT * FROM tbl -- a comment ?\nWHERE a = '?'").where().orElseThrow());
        }
    }

    @Nested
    class Conditions {
        @ParameterizedTest
        @CsvSource({"=, EQ", "<>, NE", "!=, NE", "<, LT", "<=, LE", ">, GT", ">=, GE"})
        void comparisons(String symbol, Comparator comparator) {
            assertEquals(new Condition.Compare(comparator, at("a"), val(n("5"))), where("a " + symbol + " 5"));
            assertEquals(new Condition.Compare(comparator, at("a"), val(n("-1"))), where("a" + symbol + "-1"));
        }

        @Test
        void operandsOnEitherSide() {
            assertEquals(eq(val(s("x")), at("a", 0)), where("'x' = a[0]"));
            assertEquals(eq(at("a"), at("b", "c")), where("a = \"b\".c"));
            assertEquals(eq(at("a"), val(AttributeValue.BoolValue.TRUE)), where("a = true"));
            assertEquals(eq(at("a"), val(AttributeValue.NullValue.INSTANCE)), where("a = NULL"));
            assertEquals(eq(at("a"), val(new MapValue(map("k", new ListValue(List.of(n("1"))))))), where("a = {'k': [1]}"));
        }

        @Test
        void betweenAndIn() {
            assertEquals(new Condition.Between(at("a"), val(n("1")), val(s("z"))), where("a BETWEEN 1 AND ?", s("z")));
            assertEquals(new Condition.Not(new Condition.Between(at("a"), val(n("1")), val(n("5")))), where("a NOT BETWEEN 1 AND 5"));
            Condition in = new Condition.In(at("a"), List.of(val(n("1")), val(s("x"))));
            assertEquals(in, where("a IN [1, 'x']"));
            assertEquals(in, where("a in (1, ?)", s("x")));
            assertEquals(new Condition.Not(in), where("a NOT IN [1, 'x']"));
        }

        @Test
        void orBindsLooserThanAndWhichBindsLooserThanNot() {
            Condition a = eq(at("a"), val(n("1")));
            Condition b = eq(at("b"), val(n("2")));
            Condition c = eq(at("c"), val(n("3")));
            assertEquals(new Condition.Or(a, new Condition.And(b, new Condition.Not(c))), where("a = 1 OR b = 2 AND NOT c = 3"));
            assertEquals(new Condition.And(new Condition.Or(a, b), c), where("(a = 1 OR b = 2) AND c = 3"));
            assertEquals(new Condition.And(new Condition.And(a, b), c), where("a = 1 and b = 2 and c = 3"));
            assertEquals(new Condition.Not(new Condition.Or(a, b)), where("NOT (a = 1 OR b = 2)"));
            Condition between = new Condition.Between(at("a"), val(n("1")), val(n("2")));
            assertEquals(new Condition.And(between, b), where("a BETWEEN 1 AND 2 AND b = 2"));
        }

        @Test
        void isMissing() {
            assertEquals(new Condition.AttributeNotExists(path("a", "b")), where("a.b IS MISSING"));
            assertEquals(new Condition.Not(new Condition.AttributeNotExists(path("a"))), where("a is not missing"));
        }

        @ParameterizedTest
        @CsvSource({"NULL, NULL", "BOOLEAN, BOOL", "BOOL, BOOL", "BLOB, B", "STRING, S", "NUMERIC, N", "STRUCT, M", "TUPLE, M", "LIST, L"})
        void isType(String partiqlType, String attributeType) {
            Condition is = new Condition.AttributeTypeIs(at("a"), val(s(attributeType)));
            assertEquals(is, where("a IS " + partiqlType));
            assertEquals(new Condition.Not(is), where("a IS NOT " + partiqlType.toLowerCase()));
        }

        @Test
        void functions() {
            assertEquals(new Condition.BeginsWith(at("a"), val(s("x"))), where("begins_with(a, 'x')"));
            assertEquals(new Condition.Contains(at("a", "b"), val(n("1"))), where("CONTAINS(a.b, ?)", n("1")));
            assertEquals(new Condition.AttributeTypeIs(at("a"), val(s("SS"))), where("attribute_type(a, 'SS')"));
            assertEquals(new Condition.Compare(Comparator.GT, new Operand.Size(at("a", "b")), val(n("3"))), where("size(a.b) > 3"));
            assertEquals(new Condition.Compare(Comparator.LT, val(n("3")), new Operand.Size(at("a"))), where("3 < SIZE(a)"));
        }

        @Test
        void parametersBindInOrder() {
            assertEquals(new Condition.And(eq(at("a"), val(s("first"))), eq(at("b"), val(n("2")))),
                    where("a = ? AND b = ?", s("first"), n("2")));
        }
    }

    @Nested
    class Insert {
        @Test
        void everyKindOfLiteral() {
            Statement statement = parse("INSERT INTO Music VALUE {'s': 'it''s', 'i': 42, 'd': 3.25, 'neg': -7, 'e': 1.5E3, "
                    + "'small': -2e-3, 't': TRUE, 'f': false, 'z': NULL, 'l': [1, 'two', []], 'm': {'in': {'deep': 'x'}}, "
                    + "'ss': <<'a', 'b'>>, 'ns': <<1, 2.5>>, 'p': ?, 'bs': <<?, ?>>, 'empty': {}}", s("param"), B1, B2);
            Map<String, AttributeValue> expected = map("s", s("it's"), "i", n("42"), "d", n("3.25"), "neg", n("-7"),
                    "e", n("1500"), "small", n("-0.002"), "t", AttributeValue.BoolValue.TRUE, "f", AttributeValue.BoolValue.FALSE,
                    "z", AttributeValue.NullValue.INSTANCE, "l", new ListValue(List.of(n("1"), s("two"), new ListValue(List.of()))),
                    "m", new MapValue(map("in", new MapValue(map("deep", s("x"))))),
                    "ss", new AttributeValue.StringSetValue(Set.of("a", "b")),
                    "ns", new AttributeValue.NumberSetValue(Set.of(BigDecimal.ONE, new BigDecimal("2.5"))), "p", s("param"),
                    "bs", new AttributeValue.BinarySetValue(Set.of(B1.value(), B2.value())), "empty", new MapValue(Map.of()));
            assertEquals(new Statement.Insert("Music", expected), statement);
            assertFalse(statement.isRead());
        }

        @Test
        void aParameterAsTheItemOrAsAKey() {
            MapValue item = new MapValue(map("pk", s("a")));
            assertEquals(new Statement.Insert("tbl", item.values()), parse("insert into tbl value ?", item));
            assertEquals(new Statement.Insert("tbl", map("k", n("1"))), parse("INSERT INTO tbl VALUE {?: 1}", s("k")));
        }
    }

    @Nested
    class UpdateAndDelete {
        @Test
        void setAndRemoveClausesInTextOrder() {
            Statement statement = parse("UPDATE \"Music\" SET a = 1, b.c[0] = 'x' set d = ? REMOVE e, f[1] SET g = h "
                    + "WHERE pk = 'k' AND sk = 2", n("7"));
            List<UpdateAction> actions = List.of(
                    set(path("a"), new SetValue.Constant("literal at position 24", n("1"))),
                    set(path("b", "c", 0), new SetValue.Constant("literal at position 36", s("x"))),
                    set(path("d"), new SetValue.Constant("literal at position 48", n("7"))),
                    new UpdateAction.RemoveAction(path("e")),
                    new UpdateAction.RemoveAction(path("f", 1)),
                    set(path("g"), read("h")));
            Condition key = new Condition.And(eq(at("pk"), val(s("k"))), eq(at("sk"), val(n("2"))));
            assertEquals(new Statement.Update("Music", actions, key, Returning.NONE), statement);
            assertEquals(new Update(actions, Update.Source.UPDATE_EXPRESSION), ((Statement.Update) statement).update());
        }

        /** DynamoDB takes an UPDATE written FROM first; its parameters are taken in the order written (captured 2026-10). */
        @Test
        void anUpdateWrittenFromFirst() {
            Statement statement = parse("from \"Music\" where pk = ? AND a = 1 SET c = ? REMOVE b RETURNING ALL NEW *", s("k"), n("7"));
            List<UpdateAction> actions = List.of(
                    set(path("c"), new SetValue.Constant("literal at position 45", n("7"))),
                    new UpdateAction.RemoveAction(path("b")));
            Condition where = new Condition.And(eq(at("pk"), val(s("k"))), eq(at("a"), val(n("1"))));
            assertEquals(new Statement.Update("Music", actions, where, Returning.ALL_NEW), statement);
            assertMalformed("expected SET or REMOVE, found end of statement", "FROM tbl WHERE pk = 1");
            assertValidation("This operation is not supported on an index", () -> parse("FROM tbl.idx WHERE pk = 1 SET a = 1"));
        }

        @Test
        void arithmetic() {
            String clauses = "SET a = a + 1, b = b - ?, c = -2";
            assertEquals(List.of(
                    set(path("a"), new SetValue.Plus(read("a"), constant(clauses, "1", n("1")))),
                    set(path("b"), new SetValue.Minus(read("b"), constant(clauses, "?", n("3")))),
                    set(path("c"), constant(clauses, "-2", n("-2")))), actions(clauses, n("3")));
        }

        @Test
        void listAppendAndIfNotExists() {
            String clauses = "SET l = list_append(l, [1]), n = IF_NOT_EXISTS(n, 0) + 1";
            SetValue.Constant list = constant(clauses, "[1]", new ListValue(List.of(n("1"))));
            SetValue.IfNotExists ifNotExists = new SetValue.IfNotExists(path("n"), constant(clauses, "0", n("0")));
            assertEquals(List.of(
                    set(path("l"), new SetValue.ListAppend(read("l"), list)),
                    set(path("n"), new SetValue.Plus(ifNotExists, constant(clauses, "1", n("1"))))), actions(clauses));
        }

        @Test
        void setAddAndSetDeleteBecomeAddAndDelete() {
            String clauses = "SET s = set_add(s, <<'a'>>), m.ns = SET_DELETE(m.ns, ?), x = 1";
            AttributeValue numbers = new AttributeValue.NumberSetValue(Set.of(BigDecimal.ONE));
            assertEquals(List.of(
                    new UpdateAction.AddAction(path("s"), new AttributeValue.StringSetValue(Set.of("a"))),
                    new UpdateAction.DeleteAction(path("m", "ns"), numbers),
                    set(path("x"), constant(clauses, "1", n("1")))), actions(clauses, numbers));
        }

        @ParameterizedTest
        @CsvSource({"ALL OLD, ALL_OLD, ALL_OLD", "modified old, MODIFIED_OLD, UPDATED_OLD", "All New, ALL_NEW, ALL_NEW",
                "MODIFIED NEW, MODIFIED_NEW, UPDATED_NEW"})
        void returning(String clause, Returning returning, String returnValues) {
            Statement.Update update = (Statement.Update) parse("UPDATE tbl SET a = 1 WHERE pk = 1 RETURNING " + clause + " *");
            assertEquals(returning, update.returning());
            assertEquals(returnValues, returning.returnValues());
        }

        @Test
        void delete() {
            Condition key = eq(at("pk"), val(s("a")));
            assertEquals(new Statement.Delete("Music", key, Returning.ALL_OLD),
                    parse("delete from Music where pk = 'a' returning all old *"));
            assertEquals(new Statement.Delete("Music", key, Returning.NONE), parse("DELETE FROM \"Music\" WHERE pk = ?", s("a")));
        }
    }

    @Nested
    class Refusals {
        @Test
        void parameterCountMismatch() {
            String message = "Number of parameters in request and statement don't match.";
            assertValidation(message, () -> parse("SELECT * FROM tbl WHERE a = ?"));
            assertValidation(message, () -> parse("SELECT * FROM tbl WHERE a = ?", s("1"), s("2")));
            assertValidation(message, () -> parse("SELECT * FROM tbl", s("1")));
        }

        @Test
        void syntaxErrors() {
            assertMalformed("Expected data manipulation", "DROP TABLE tbl");
            assertMalformed("Expected data manipulation", "SLECT * FROM tbl");
            assertMalformed("Expected data manipulation", " ");
            assertMalformed("expected FROM, found tbl", "SELECT * tbl");
            assertMalformed("expected a table name, found 'tbl'", "SELECT * FROM 'tbl'");
            assertMalformed("Unexpected term", "SELECT * FROM tbl WHERE");
            assertMalformed("Unexpected term", "SELECT * FROM tbl WHERE a = )");
            // A keyword after a dot (captured 2026-10: m.inner), in any case and any clause.
            assertMalformed("Invalid path dot component", "SELECT * FROM tbl WHERE pk = 'k' AND attribute_exists(m.inner)");
            assertMalformed("Invalid path dot component", "UPDATE tbl SET m.inner = set_add(m.inner, <<'y'>>) WHERE pk = 'k'");
            assertMalformed("Invalid path dot component", "SELECT m.Value FROM tbl");
            assertMalformed("Invalid path dot component", "UPDATE tbl SET m.old = 1 WHERE pk = 1");
            assertMalformed("Invalid path dot component", "SELECT * FROM tbl WHERE a[0].size = 1");
            // The same keys quoted, and names that are no keywords, are paths.
            assertEquals(Optional.of(List.of(path("m", "inner"), path("m", "status"), path("m", "name"))),
                    select("SELECT m.\"inner\", m.status, m.name FROM tbl").projection());
            assertMalformed("expected a comparison, found end of statement", "SELECT * FROM tbl WHERE a");
            assertMalformed("Unexpected token after expression", "SELECT * FROM tbl WHERE a = 1 b");
            assertMalformed("expected ')', found end of statement", "SELECT * FROM tbl WHERE (a = 1");
            assertMalformed("expected BETWEEN or IN after NOT, found =", "SELECT * FROM tbl WHERE a NOT = 1");
            assertMalformed("", "SELECT * FROM tbl WHERE a = #x");
            assertMalformed("expected a list index, found x", "SELECT a[x] FROM tbl");
            assertMalformed("expected a number after '-'", "SELECT * FROM tbl WHERE a = -'x'");
            assertMalformed("expected ':', found 1", "INSERT INTO tbl VALUE {'a' 1}");
            assertMalformed("expected SET or REMOVE, found WHERE", "UPDATE tbl WHERE pk = 1");
            assertMalformed("expected WHERE, found RETURNING", "UPDATE tbl SET a = 1 RETURNING ALL OLD *");
            assertMalformed("expected ( MODIFIED | ALL ) ( NEW | OLD ) after RETURNING",
                    "DELETE FROM tbl WHERE pk = 1 RETURNING OLD ALL *");
            assertMalformed("expected ',', found )", "UPDATE tbl SET l = list_append(l) WHERE pk = 1");
            assertMalformed("unterminated quoted text at position 29", "SELECT * FROM tbl WHERE a = 'abc");
            assertMalformed("unterminated quoted text at position 8", "SELECT \"a FROM tbl");
        }

        /** The conformance suite's captures (eu-west-2 and three more regions, 2026-10). */
        @Test
        void commentsLeftoversAndAliases() {
            assertEquals(parse("SELECT * FROM tbl WHERE a = 1"), parse("SELECT * FROM tbl /* a note */ WHERE a = 1 /* another */"));
            assertEquals(parse("SELECT * FROM tbl WHERE a = 1"), parse("-- a note\nSELECT * FROM tbl WHERE a = 1 -- another"));
            assertMalformed("", "SELECT * FROM tbl WHERE a = 1 /* note");
            assertMalformed("", "SELECT * FROM tbl WHERE a = 1 # note");
            for (String leftover : List.of("SELECT * FROM tbl WHERE pk = 1 foo", "SELECT * FROM tbl WHERE pk = 1 e5",
                    "SELECT * FROM tbl WHERE pk = 1)", "DELETE FROM tbl WHERE pk = 1 ORDER BY pk", "SELECT * FROM tbl ORDER BY pk WHERE pk = 1",
                    "INSERT INTO tbl VALUE {'pk': 1} foo", "INSERT INTO tbl t VALUE {'pk': 'x'}")) {
                assertMalformed("Unexpected token after expression", leftover);
            }
            assertRefused("Aliasing is not supported", "SELECT * FROM tbl t WHERE pk = 'x'", "SELECT * FROM tbl AS t WHERE pk = 'x'",
                    "UPDATE tbl t SET a = 3 WHERE pk = 'x'", "DELETE FROM tbl t WHERE pk = 'x'");
        }

        @Test
        void projectionsAndTableNames() {
            assertRefused("Other attributes should not be present in the projection when '*' is used.",
                    "SELECT a, * FROM tbl", "SELECT *, a FROM tbl");
            assertRefused("Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite "
                    + "one of these paths; path one: [a], path two: [a, b]", "SELECT a, a.b FROM tbl");
            assertRefused("Path component cannot be an empty string", "SELECT \"\" FROM tbl");
            assertRefused("List index is not within the allowable range; index: [99999999999]", "SELECT a[99999999999] FROM tbl");
            assertRefused("Table name should be within the length [3, 255] and only contain 'a-z', 'A-Z', '0-9', '-', '_', '.'.",
                    "SELECT * FROM ab", "DELETE FROM \"bad name\" WHERE pk = 1");
            // An unquoted name with a hyphen is a syntax error, though its first part is too short for a name.
            assertMalformed("Unexpected token after expression", "SELECT * FROM js-sdk-test WHERE \"id\" = 1");
            assertMalformed("Unexpected token after expression", "SELECT * FROM my-table WHERE \"id\" = 1");
        }

        @Test
        void inserts() {
            assertRefused("Unsupported operation: Inserting multiple items in a single statement is not supported, "
                    + "use \"INSERT INTO tableName VALUE item\" instead",
                    "INSERT INTO tbl VALUES {'a': 1}", "INSERT INTO tbl <<{'a': 1}>>");
            String struct = "Unsupported format in item expression. Please use struct format {...} to express item values "
                    + "for insert statement.";
            assertRefused(struct, "INSERT INTO tbl VALUE 'x'", "INSERT INTO tbl VALUE [{'a': 1}]");
            assertValidation(struct, () -> parse("INSERT INTO tbl VALUE ?", s("x")));
            assertRefused("RETURNING is not supported in INSERT", "INSERT INTO tbl VALUE {'a': 1} RETURNING ALL OLD *");
            assertRefused("Duplicate keys in tuple. Key: a", "INSERT INTO tbl VALUE {'a': 1, 'b': 2, 'a': 3}");
            assertRefused("Tuple keys must be of type String. Actual type: a", "INSERT INTO tbl VALUE {a: 1}");
            assertValidation("Tuple keys must be of type String. Actual type: ?", () -> parse("INSERT INTO tbl VALUE {?: 1}", n("1")));
        }

        @Test
        void returningClauses() {
            assertRefused("Invalid returning clause: RETURNING ALL NEW *. Only RETURNING ALL OLD * is allowed in DELETE statements.",
                    "DELETE FROM tbl WHERE pk = 1 RETURNING ALL NEW *");
            assertRefused("Invalid returning clause: RETURNING MODIFIED OLD *. Only RETURNING ALL OLD * is allowed in DELETE "
                    + "statements.", "DELETE FROM tbl WHERE pk = 1 returning modified old *");
            assertRefused("Expected '*' after ( MODIFIED | ALL ) ( NEW | OLD ) in RETURNING clause",
                    "UPDATE tbl SET a = 1 WHERE pk = 1 RETURNING ALL NEW a", "UPDATE tbl SET a = 1 WHERE pk = 1 RETURNING ALL NEW");
            assertRefused("Invalid syntax with multiple returning elements in RETURNING clause",
                    "UPDATE tbl SET a = 1 WHERE pk = 1 RETURNING ALL NEW *, a");
        }

        @Test
        void bags() {
            assertRefused("Empty bags are not supported", "INSERT INTO tbl VALUE {'a': <<>>}");
            assertRefused("Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond "
                    + "supported limit", "INSERT INTO tbl VALUE {'a': " + "[".repeat(32) + "1" + "]".repeat(32) + "}");
            assertEquals(32, depth(((Statement.Insert) parse("INSERT INTO tbl VALUE {'a': " + "[".repeat(31) + "1"
                    + "]".repeat(31) + "}")).item().get("a")));
            assertMalformed("expressions nested more than 200 levels deep",
                    "SELECT * FROM tbl WHERE " + "(".repeat(4000) + "a = 1" + ")".repeat(4000));
            assertMalformed("expressions nested more than 200 levels deep", "SELECT * FROM tbl WHERE " + "NOT ".repeat(300) + "a = 1");
            assertRefused("Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond "
                    + "supported limit", "UPDATE tbl SET a = " + "[".repeat(3000) + "1" + "]".repeat(3000) + " WHERE pk = 'a'");
            // In the older request layer's words, the strings as written (captured 2026-10).
            assertRefused("One or more parameter values were invalid: Input collection [x, y, x] contains duplicates.",
                    "INSERT INTO tbl VALUE {'a': <<'x', 'y', 'x'>>}");
            assertRefused("Input collection contains duplicates", "INSERT INTO tbl VALUE {'a': <<1, 1.0>>}");
            String unsupported = "Unsupported data type in Bag. DynamoDB only supports either numbers or strings in bags";
            assertRefused(unsupported, "INSERT INTO tbl VALUE {'a': <<'x', 1>>}", "INSERT INTO tbl VALUE {'a': <<TRUE>>}",
                    "INSERT INTO tbl VALUE {'a': <<[1]>>}");
            assertValidation(unsupported, () -> parse("INSERT INTO tbl VALUE {'a': <<?, 'x'>>}", B1));
        }

        @Test
        void updatesAndDeletesNeedAWhereOnATable() {
            assertRefused("Where clause does not contain a mandatory equality on all key attributes",
                    "UPDATE tbl SET a = 1", "DELETE FROM tbl");
            assertRefused("This operation is not supported on an index",
                    "UPDATE \"tbl\".\"idx\" SET a = 1 WHERE pk = 1", "DELETE FROM tbl.idx WHERE pk = 1");
        }

        /** Refused at the function (line:column:length), or a second argument that is no set at the first argument (captured 2026-10). */
        @Test
        void setAddAndSetDelete() {
            assertValidation("The first argument to SET_ADD must equal the assignment value at 1:20:7",
                    () -> actions("SET s = set_add(t, <<'a'>>)"));
            assertValidation("The first argument to SET_ADD must equal the assignment value at 1:20:7",
                    () -> actions("SET s = set_add(<<'a'>>, <<'b'>>)"));
            assertValidation("The first argument to SET_DELETE must equal the assignment value at 1:22:10",
                    () -> actions("SET s.a = set_delete(s, <<1>>)"));
            assertValidation("The second argument to SET_ADD must be a value with type SET at 1:28:1",
                    () -> actions("SET s = set_add(s, 'a')"));
            assertValidation("The second argument to SET_DELETE must be a value with type SET at 1:31:1",
                    () -> actions("SET s = SET_DELETE(s, ?)", s("a")));
            assertValidation("SET_ADD must have exactly two arguments at 1:20:7", () -> actions("SET s = set_add(s)"));
            assertValidation("SET_ADD must have exactly two arguments at 1:20:7", () -> actions("SET s = set_add(s, <<1>>, <<2>>)"));
            assertValidation("SET_ADD must have exactly two arguments at 2:5:7",
                    () -> parse("UPDATE tbl SET\ns = set_add(s) WHERE pk = 1"));
        }

        /** DynamoDB's words for functions where they do not belong, and for attribute_exists misused (captured 2026-10). */
        @Test
        void functionsOutOfPlace() {
            assertRefused("Unexpected path component at 1:8:16", "SELECT attribute_exists(a) FROM tbl WHERE pk = 1");
            assertRefused("Unsupported data type: set_add under key root at 1:38:7",
                    "INSERT INTO tbl VALUE {'pk': 1, 's': set_add(<<'a'>>, <<'b'>>)}");
            assertWhereRefused("Unrecognized function: exists at 1:25:6", "EXISTS(a)");
            assertWhereRefused("Operator or function requires a document path; operator or function: attribute_exists",
                    "attribute_exists('a')", "ATTRIBUTE_EXISTS(1)");
            assertValidation("Operator or function requires a document path; operator or function: attribute_not_exists",
                    () -> where("attribute_not_exists(?)", s("a")));
            assertWhereRefused("Incorrect number of operands for operator or function; operator or function: attribute_exists, "
                    + "number of operands: 0", "attribute_exists()");
            assertWhereRefused("Incorrect number of operands for operator or function; operator or function: attribute_exists, "
                    + "number of operands: 2", "attribute_exists(a, b)");
        }

        @Test
        void aFunctionComparedWithABoolean() {
            Condition exists = new Condition.AttributeExists(path("a"));
            assertEquals(exists, where("attribute_exists(a) = true"));
            assertEquals(exists, where("attribute_exists(a) <> FALSE"));
            assertEquals(new Condition.Not(exists), where("attribute_exists(a) = false"));
            assertEquals(new Condition.Not(exists), where("attribute_exists(a) != true"));
        }

        @Test
        void unknownFunctionsMissingAndIs() {
            assertValidation("Unrecognized function: upper at 1:20:5", () -> actions("SET a = upper(b)"));
            assertWhereRefused("Unrecognized function: foo at 1:25:3", "foo(a, 1)");
            assertWhereRefused("MISSING must be compared using IS operator", "a = MISSING", "missing <> a");
            assertWhereRefused("Unsupported data type for IS operator: INT. Supported data types are [MISSING, NULL, BOOLEAN, BLOB, "
                    + "STRING, NUMERIC, STRUCT, TUPLE, LIST]", "a IS NOT INT");
            assertWhereRefused("The left hand side argument to IS must be a Variable Reference, Literal, or Path",
                    "size(a) IS MISSING");
        }

        /** A literal out of range is refused with its place; one past the int exponent does not parse (captured 2026-10). */
        @Test
        void numbers() {
            String digits = "Attempting to store more than 38 significant digits in a Number under root";
            String overflow = "Number overflow. Attempting to store a number with magnitude larger than supported range under ";
            assertRefused(digits, "INSERT INTO tbl VALUE {'a': 123456789012345678901234567890123456789}");
            assertWhereRefused(digits, "a = -1.23456789012345678901234567890123456789");
            assertWhereRefused(overflow + "root", "a = 1E126");
            assertRefused(overflow + "root.x", "INSERT INTO tbl VALUE {'pk': 1, 'm': {'x': 1e126}}");
            assertRefused(overflow + "root[1]", "INSERT INTO tbl VALUE {'pk': 1, 'l': [1, 1e126]}");
            assertRefused(overflow + "root.m[0].x", "INSERT INTO tbl VALUE {'pk': 1, 'l': {'m': [{'x': 1e126}]}}");
            assertRefused(overflow + "root[0]", "INSERT INTO tbl VALUE [1e126]");
            assertValidation("Number underflow. Attempting to store a number with magnitude smaller than supported range under root",
                    () -> actions("SET a = 1e-131"));
            for (String unparsable : List.of("1e2147483648", "1e99999999999", "1.5e-2147483647")) {
                assertWhereRefused("Statement wasn't well formed, can't be processed: ", "a = " + unparsable);
            }
        }

        @Test
        void overlappingUpdatePaths() {
            String overlap = "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of "
                    + "these paths; ";
            assertValidation(overlap + "path one: [a], path two: [a, b]", () -> actions("SET a = 1, a.b = 2"));
            assertValidation(overlap + "path one: [a, b], path two: [a]", () -> actions("SET a.b = 1 REMOVE a"));
        }

        @Test
        void inNeedsAtLeastOneCandidate() {
            assertWhereRefused("IN operator must have a left hand argument of type Variable Reference and right hand argument of "
                    + "type Seq with at least one member", "a IN []", "a IN ()", "a IN 1");
        }
    }

    /** 1 for a scalar, one more than the deepest element for a list or map. */
    private static int depth(AttributeValue value) {
        if (value instanceof AttributeValue.ListValue list) {
            return 1 + list.values().stream().mapToInt(PartiqlParserTest::depth).max().orElse(0);
        }
        if (value instanceof AttributeValue.MapValue map) {
            return 1 + map.values().values().stream().mapToInt(PartiqlParserTest::depth).max().orElse(0);
        }
        return 1;
    }
}
