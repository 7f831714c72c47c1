package io.eddy.model.partiql;

import io.eddy.model.AttributeType;
import io.eddy.model.AttributeValue;
import io.eddy.model.AttributeValueOrder;
import io.eddy.model.DynamoException;
import io.eddy.model.expression.Comparator;
import io.eddy.model.expression.Condition;
import io.eddy.model.expression.DocumentPath;
import io.eddy.model.expression.Operand;
import io.eddy.model.expression.PathOverlaps;
import io.eddy.model.expression.SetValue;
import io.eddy.model.expression.UpdateAction;
import io.eddy.model.partiql.PartiqlLexer.Kind;
import io.eddy.model.partiql.PartiqlLexer.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Parses the PartiQL statements DynamoDB runs (SELECT, INSERT, UPDATE, DELETE and a transaction's
 * EXISTS) and binds their {@code ?} parameters, in order, to the request's Parameters. Conditions
 * become condition-expression nodes; literals become attribute values ({@link PartiqlValues}).
 * Refusals use DynamoDB's messages; a syntax error is "Statement wasn't well formed, can't be
 * processed: …" with Eddy's own detail.
 */
public final class PartiqlParser {

    /** The longest Statement DynamoDB accepts. */
    public static final int MAX_STATEMENT_LENGTH = 8192;

    /** DynamoDB's refusal of an UPDATE, DELETE or EXISTS whose WHERE does not name one item. */
    public static final String INCOMPLETE_KEY = "Where clause does not contain a mandatory equality on all key attributes";

    private static final Pattern TABLE_NAME = Pattern.compile("[a-zA-Z0-9_.-]{3,255}");
    /** The types {@code IS} names, and the attribute types they stand for. */
    // BOOL too, though DynamoDB's refusal message does not list it (the conformance suite's capture, 2026-10).
    private static final Map<String, String> IS_TYPES = Map.of("NULL", "NULL", "BOOLEAN", "BOOL", "BOOL", "BOOL", "BLOB", "B",
            "STRING", "S", "NUMERIC", "N", "STRUCT", "M", "TUPLE", "M", "LIST", "L");

    /** How deep conditions, SET values and size() may nest: deeper is refused, sparing the parser's stack. */
    private static final int MAX_NESTING = 200;

    private final String statement;
    private final List<Token> tokens;
    private final PartiqlValues values;
    private int position;
    private int nesting;

    private PartiqlParser(String statement, List<Token> tokens, List<AttributeValue> parameters) {
        this.statement = statement;
        this.tokens = tokens;
        this.values = new PartiqlValues(this, parameters);
    }

    /**
     * @param parameters the request's Parameters, one for each {@code ?} in order
     * @throws DynamoException ValidationException for a statement DynamoDB would refuse
     */
    public static Statement parse(String statement, List<AttributeValue> parameters) {
        List<Token> tokens = PartiqlLexer.tokens(statement);
        long placeholders = tokens.stream().filter(token -> token.kind() == Kind.PARAMETER).count();
        if (placeholders != parameters.size()) {
            throw DynamoException.validation("Number of parameters in request and statement don't match.");
        }
        PartiqlParser parser = new PartiqlParser(statement, tokens, parameters);
        Statement parsed = parser.statement();
        parser.expectEnd();
        // Checked once the whole statement has parsed: an unquoted name with a hyphen (FROM
        // my-table) is a syntax error, not a name of two letters followed by a stray minus.
        if (!TABLE_NAME.matcher(parsed.table()).matches()) {
            throw DynamoException.validation("Table name should be within the length [3, 255] and only contain "
                    + "'a-z', 'A-Z', '0-9', '-', '_', '.'.");
        }
        return parsed;
    }

    static DynamoException malformed(String detail) {
        return DynamoException.validation("Statement wasn't well formed, can't be processed: " + detail);
    }

    /**
     * Where a token stands, as DynamoDB's PartiQL refusals of functions give it: " at line:column:length",
     * the line and column counted from 1 (captured 2026-10).
     */
    String at(Token token) {
        int lineStart = statement.lastIndexOf('\n', token.position() - 1) + 1;
        long line = 1 + statement.chars().limit(token.position()).filter(c -> c == '\n').count();
        return " at " + line + ":" + (token.position() - lineStart + 1) + ":" + token.text().length();
    }

    private Statement statement() {
        Token first = peek();
        if (first.isWord("SELECT")) return select();
        if (first.isWord("INSERT")) return insert();
        if (first.isWord("UPDATE")) return update();
        if (first.isWord("DELETE")) return delete();
        if (first.isWord("FROM")) return fromFirstUpdate();
        if (first.isWord("EXISTS")) {
            next();
            expectSymbol("(");
            Statement.Select select = select();
            expectSymbol(")");
            return new Statement.Exists(select);
        }
        // DynamoDB's words for a statement that is none of these (the dynamodb-conformance suite, run against it).
        throw malformed("Expected data manipulation");
    }

    private Statement.Select select() {
        expectWord("SELECT");
        Optional<List<DocumentPath>> projection = projection();
        expectWord("FROM");
        String table = tableName();
        Optional<String> index = Optional.empty();
        if (acceptSymbol(".")) index = Optional.of(name("an index name"));
        if (peek().isSymbol(".")) throw DynamoException.validation("A path may contain at most 2 components in the FROM clause");
        refuseAlias();
        Optional<Condition> where = acceptWord("WHERE") ? Optional.of(condition()) : Optional.empty();
        List<Statement.OrderKey> orderBy = new ArrayList<>();
        if (acceptWord("ORDER")) {
            expectWord("BY");
            do {
                String attribute = name("an attribute name");
                boolean descending = acceptWord("DESC");
                if (!descending) acceptWord("ASC");
                orderBy.add(new Statement.OrderKey(attribute, descending));
            } while (acceptSymbol(","));
        }
        return new Statement.Select(table, index, projection, where, orderBy);
    }

    /** {@code *} (empty) or the paths to return. */
    private Optional<List<DocumentPath>> projection() {
        List<DocumentPath> paths = new ArrayList<>();
        boolean star = false;
        do {
            if (acceptSymbol("*")) {
                star = true;
            } else if (peek().kind() == Kind.WORD && peekAt(1).isSymbol("(")) {
                // A function call is no path (captured 2026-10: attribute_exists(ss) as a projection).
                throw DynamoException.validation("Unexpected path component" + at(peek()));
            } else {
                paths.add(path());
            }
        } while (acceptSymbol(","));
        if (star && !paths.isEmpty()) {
            throw DynamoException.validation("Other attributes should not be present in the projection when '*' is used.");
        }
        if (star) return Optional.empty();
        PathOverlaps.firstProblem(paths).ifPresent(problem -> {
            throw DynamoException.validation("Invalid ProjectionExpression: " + problem);
        });
        return Optional.of(paths);
    }

    private Statement.Insert insert() {
        expectWord("INSERT");
        expectWord("INTO");
        String table = tableName();
        // An index qualifier is refused where it stands, whatever it names (the dynamodb-conformance suite, run against DynamoDB).
        if (peek().isSymbol(".")) throw DynamoException.validation("FROM clause may only contain a single table name");
        if (peek().isWord("VALUES") || peek().isSymbol("<<")) {
            throw DynamoException.validation("Unsupported operation: Inserting multiple items in a single statement is "
                    + "not supported, use \"INSERT INTO tableName VALUE item\" instead");
        }
        // An alias here is a token left over, not an alias (the conformance suite's capture, 2026-10).
        if (!peek().isWord("VALUE") && peek().kind() != Kind.END) throw leftover();
        expectWord("VALUE");
        AttributeValue item = values.item();
        if (!(item instanceof AttributeValue.MapValue map)) {
            throw DynamoException.validation("Unsupported format in item expression. Please use struct format {...} "
                    + "to express item values for insert statement.");
        }
        if (peek().isWord("RETURNING")) throw DynamoException.validation("RETURNING is not supported in INSERT");
        return new Statement.Insert(table, map.values());
    }

    private Statement.Update update() {
        expectWord("UPDATE");
        String table = writtenTable();
        List<UpdateAction> actions = updateActions();
        Condition where = requiredWhere();
        return new Statement.Update(table, actions, where, returning(false));
    }

    /**
     * {@code FROM table WHERE ... SET ... REMOVE ...}: an UPDATE written with its table and WHERE
     * first, which DynamoDB takes too (the conformance suite's captures, 2026-10). Its parameters
     * are taken in the order written, the WHERE's first.
     */
    private Statement.Update fromFirstUpdate() {
        expectWord("FROM");
        String table = writtenTable();
        Condition where = requiredWhere();
        List<UpdateAction> actions = updateActions();
        return new Statement.Update(table, actions, where, returning(false));
    }

    /** The SET and REMOVE clauses of an update, in any order and number. */
    private List<UpdateAction> updateActions() {
        List<UpdateAction> actions = new ArrayList<>();
        while (true) {
            if (acceptWord("SET")) {
                do {
                    actions.add(assignment());
                } while (acceptSymbol(","));
            } else if (acceptWord("REMOVE")) {
                do {
                    actions.add(new UpdateAction.RemoveAction(path()));
                } while (acceptSymbol(","));
            } else {
                break;
            }
        }
        if (actions.isEmpty()) throw malformed("expected SET or REMOVE, found " + peek().shown());
        PathOverlaps.firstProblem(actions.stream().map(UpdateAction::path).toList()).ifPresent(problem -> {
            throw DynamoException.validation("Invalid UpdateExpression: " + problem);
        });
        return actions;
    }

    private Statement.Delete delete() {
        expectWord("DELETE");
        expectWord("FROM");
        String table = writtenTable();
        Condition where = requiredWhere();
        return new Statement.Delete(table, where, returning(true));
    }

    /** The table a write names: not an index of it, and without an alias. */
    private String writtenTable() {
        String table = tableName();
        if (peek().isSymbol(".")) throw DynamoException.validation("This operation is not supported on an index");
        refuseAlias();
        return table;
    }

    private Condition requiredWhere() {
        if (!acceptWord("WHERE")) {
            if (peek().kind() == Kind.END) throw DynamoException.validation(INCOMPLETE_KEY);
            throw malformed("expected WHERE, found " + peek().shown());
        }
        return condition();
    }

    /** {@code RETURNING (ALL|MODIFIED) (OLD|NEW) *}; a DELETE allows only ALL OLD. */
    private Statement.Returning returning(boolean delete) {
        if (!acceptWord("RETURNING")) return Statement.Returning.NONE;
        Token scope = next();
        Token image = next();
        boolean all = scope.isWord("ALL");
        boolean old = image.isWord("OLD");
        if (!(all || scope.isWord("MODIFIED")) || !(old || image.isWord("NEW"))) {
            throw malformed("expected ( MODIFIED | ALL ) ( NEW | OLD ) after RETURNING");
        }
        if (!acceptSymbol("*")) {
            throw DynamoException.validation("Expected '*' after ( MODIFIED | ALL ) ( NEW | OLD ) in RETURNING clause");
        }
        if (peek().isSymbol(",")) {
            throw DynamoException.validation("Invalid syntax with multiple returning elements in RETURNING clause");
        }
        Statement.Returning returning = all ? (old ? Statement.Returning.ALL_OLD : Statement.Returning.ALL_NEW)
                : (old ? Statement.Returning.MODIFIED_OLD : Statement.Returning.MODIFIED_NEW);
        if (delete && returning != Statement.Returning.ALL_OLD) {
            throw DynamoException.validation("Invalid returning clause: RETURNING " + scope.text().toUpperCase() + " "
                    + image.text().toUpperCase() + " *. Only RETURNING ALL OLD * is allowed in DELETE statements.");
        }
        return returning;
    }

    /** {@code path = value}, where SET_ADD and SET_DELETE of the same path become ADD and DELETE. */
    private UpdateAction assignment() {
        DocumentPath target = path();
        expectSymbol("=");
        for (String function : List.of("SET_ADD", "SET_DELETE")) {
            if (peek().isWord(function) && peekAt(1).isSymbol("(")) {
                // Refused at the function's name, or (a second argument that is no set) at its first argument's.
                String atFunction = at(next());
                next();
                Token firstArgument = peek();
                if (!isPathStart(firstArgument) || !path().equals(target)) {
                    throw DynamoException.validation("The first argument to " + function + " must equal the assignment value"
                            + atFunction);
                }
                if (!acceptSymbol(",")) throw DynamoException.validation(function + " must have exactly two arguments" + atFunction);
                AttributeValue members = values.value();
                if (!acceptSymbol(")")) throw DynamoException.validation(function + " must have exactly two arguments" + atFunction);
                if (!PartiqlValues.isSet(members)) {
                    throw DynamoException.validation("The second argument to " + function + " must be a value with type SET"
                            + at(firstArgument));
                }
                return function.equals("SET_ADD") ? new UpdateAction.AddAction(target, members)
                        : new UpdateAction.DeleteAction(target, members);
            }
        }
        return new UpdateAction.SetAction(target, setValue());
    }

    /** A SET's right-hand side: terms joined by {@code +} and {@code -}. */
    private SetValue setValue() {
        enter();
        SetValue value = setTerm();
        while (true) {
            if (acceptSymbol("+")) {
                value = new SetValue.Plus(value, setTerm());
            } else if (acceptSymbol("-")) {
                value = new SetValue.Minus(value, setTerm());
            } else {
                nesting--;
                return value;
            }
        }
    }

    private SetValue setTerm() {
        Token token = peek();
        if (token.kind() == Kind.WORD && peekAt(1).isSymbol("(")) {
            String function = token.text();
            next();
            next();
            if (function.equalsIgnoreCase("LIST_APPEND")) {
                SetValue first = setValue();
                expectSymbol(",");
                SetValue second = setValue();
                expectSymbol(")");
                return new SetValue.ListAppend(first, second);
            }
            if (function.equalsIgnoreCase("IF_NOT_EXISTS")) {
                DocumentPath path = path();
                expectSymbol(",");
                SetValue fallback = setValue();
                expectSymbol(")");
                return new SetValue.IfNotExists(path, fallback);
            }
            throw unrecognizedFunction(token);
        }
        if (isPathStart(token)) return new SetValue.Read(path());
        int start = token.position();
        AttributeValue value = values.value();
        return new SetValue.Constant("literal at position " + (start + 1), value);
    }

    // Conditions: OR binds loosest, then AND, then NOT.

    private Condition condition() {
        enter();
        Condition left = conjunction();
        while (acceptWord("OR")) left = new Condition.Or(left, conjunction());
        nesting--;
        return left;
    }

    /** One level deeper into a condition or value; refused past {@link #MAX_NESTING}. */
    private void enter() {
        if (++nesting > MAX_NESTING) throw malformed("expressions nested more than " + MAX_NESTING + " levels deep");
    }

    private Condition conjunction() {
        Condition left = negation();
        while (acceptWord("AND")) left = new Condition.And(left, negation());
        return left;
    }

    private Condition negation() {
        if (acceptWord("NOT")) {
            enter();
            Condition negated = new Condition.Not(negation());
            nesting--;
            return negated;
        }
        if (acceptSymbol("(")) {
            Condition inner = condition();
            expectSymbol(")");
            return inner;
        }
        return predicate();
    }

    private Condition predicate() {
        Token token = peek();
        if (token.kind() == Kind.WORD && peekAt(1).isSymbol("(") && !token.text().equalsIgnoreCase("SIZE")) {
            return comparedWithBoolean(function());
        }
        Operand left = operand();
        if (acceptWord("IS")) {
            boolean negated = acceptWord("NOT");
            Token type = next();
            Condition is = isType(left, type);
            return negated ? new Condition.Not(is) : is;
        }
        boolean negated = acceptWord("NOT");
        if (acceptWord("BETWEEN")) {
            Operand lower = operand();
            expectWord("AND");
            Operand upper = operand();
            for (Operand operand : List.of(left, lower, upper)) checkOrderable("BETWEEN", operand);
            Condition between = new Condition.Between(left, lower, upper);
            return negated ? new Condition.Not(between) : between;
        }
        if (acceptWord("IN")) {
            Condition in = new Condition.In(left, candidates());
            return negated ? new Condition.Not(in) : in;
        }
        if (negated) throw malformed("expected BETWEEN or IN after NOT, found " + peek().shown());
        Token operator = next();
        Comparator comparator = switch (operator.kind() == Kind.SYMBOL ? operator.text() : "") {
            case "=" -> Comparator.EQ;
            case "<>", "!=" -> Comparator.NE;
            case "<" -> Comparator.LT;
            case "<=" -> Comparator.LE;
            case ">" -> Comparator.GT;
            case ">=" -> Comparator.GE;
            default -> throw malformed("expected a comparison, found " + operator.shown());
        };
        Operand right = operand();
        if (comparator != Comparator.EQ && comparator != Comparator.NE) {
            checkOrderable(comparator.symbol(), left);
            checkOrderable(comparator.symbol(), right);
        }
        return new Condition.Compare(comparator, left, right);
    }

    /** An ordering of a value that has no order (a BOOL, NULL, list, map or set) is refused, as DynamoDB does (captured, 2026). */
    private static void checkOrderable(String operator, Operand operand) {
        if (operand instanceof Operand.Value value && !AttributeValueOrder.isOrderable(value.value().type())) {
            throw DynamoException.validation("Incorrect operand type for operator or function; operator or function: "
                    + operator + ", operand type: " + value.value().type());
        }
    }

    private Condition isType(Operand left, Token type) {
        if (!(left instanceof Operand.Path path)) {
            throw DynamoException.validation("The left hand side argument to IS must be a Variable Reference, Literal, or Path");
        }
        if (type.isWord("MISSING")) return new Condition.AttributeNotExists(path.path());
        String attributeType = type.kind() == Kind.WORD ? IS_TYPES.get(type.text().toUpperCase()) : null;
        if (attributeType == null) {
            throw DynamoException.validation("Unsupported data type for IS operator: " + type.text()
                    + ". Supported data types are [MISSING, NULL, BOOLEAN, BLOB, STRING, NUMERIC, STRUCT, TUPLE, LIST]");
        }
        // As DynamoDB translates it, IS NULL holds for a NULL value only: a missing attribute IS MISSING.
        return new Condition.AttributeTypeIs(left, new Operand.Value(null, new AttributeValue.StringValue(attributeType)));
    }

    /** The candidates of IN: {@code [a, b]} or {@code (a, b)}, at least one. */
    private List<Operand> candidates() {
        String close = acceptSymbol("[") ? "]" : null;
        if (close == null && acceptSymbol("(")) close = ")";
        if (close == null || peek().isSymbol(close)) {
            throw DynamoException.validation("IN operator must have a left hand argument of type Variable Reference and "
                    + "right hand argument of type Seq with at least one member");
        }
        List<Operand> candidates = new ArrayList<>();
        do {
            candidates.add(operand());
        } while (acceptSymbol(","));
        expectSymbol(close);
        return candidates;
    }

    /** begins_with, contains, attribute_type (and attribute_exists / attribute_not_exists). */
    private Condition function() {
        Token nameToken = next();
        String name = nameToken.text().toLowerCase();
        next();
        Condition condition = switch (name) {
            case "begins_with" -> new Condition.BeginsWith(operand(), secondArgument());
            case "contains" -> new Condition.Contains(operand(), secondArgument());
            case "attribute_type" -> attributeType(operand(), secondArgument());
            case "attribute_exists", "attribute_not_exists" -> attributeExistence(name);
            default -> throw unrecognizedFunction(nameToken);
        };
        expectSymbol(")");
        return condition;
    }

    /** "Unrecognized function: name at line:column:length", the name in lower case as DynamoDB gives it (captured 2026-10). */
    private DynamoException unrecognizedFunction(Token name) {
        return DynamoException.validation("Unrecognized function: " + name.text().toLowerCase() + at(name));
    }

    /** attribute_exists(path) or attribute_not_exists(path): one operand, a path, in DynamoDB's words (captured 2026-10). */
    private Condition attributeExistence(String function) {
        List<Operand> operands = new ArrayList<>();
        if (!peek().isSymbol(")")) {
            do {
                operands.add(operand());
            } while (acceptSymbol(","));
        }
        if (operands.size() != 1) {
            throw DynamoException.validation("Incorrect number of operands for operator or function; operator or function: "
                    + function + ", number of operands: " + operands.size());
        }
        if (!(operands.get(0) instanceof Operand.Path path)) {
            throw DynamoException.validation("Operator or function requires a document path; operator or function: " + function);
        }
        return function.equals("attribute_exists") ? new Condition.AttributeExists(path.path())
                : new Condition.AttributeNotExists(path.path());
    }

    /** A function's condition as written, or compared with TRUE or FALSE ({@code attribute_exists(a) = true}). */
    private Condition comparedWithBoolean(Condition called) {
        boolean equal = peek().isSymbol("=");
        boolean unequal = peek().isSymbol("<>") || peek().isSymbol("!=");
        Token bool = peekAt(1);
        if (!(equal || unequal) || !(bool.isWord("TRUE") || bool.isWord("FALSE"))) return called;
        next();
        next();
        return equal == bool.isWord("TRUE") ? called : new Condition.Not(called);
    }

    /** A type name given as a string (a literal or a bound parameter) must name a type, as in a ConditionExpression. */
    private static Condition attributeType(Operand of, Operand type) {
        if (type instanceof Operand.Value value && value.value() instanceof AttributeValue.StringValue name) {
            AttributeType.typeNameRefusal(name.value()).ifPresent(message -> {
                throw DynamoException.validation(message);
            });
        }
        return new Condition.AttributeTypeIs(of, type);
    }

    private Operand secondArgument() {
        expectSymbol(",");
        return operand();
    }

    /** A path, {@code size(path)}, a parameter or a literal. */
    private Operand operand() {
        Token token = peek();
        if (token.isWord("SIZE") && peekAt(1).isSymbol("(")) {
            next();
            next();
            enter();
            Operand of = operand();
            nesting--;
            expectSymbol(")");
            return new Operand.Size(of);
        }
        if (token.isWord("MISSING")) throw DynamoException.validation("MISSING must be compared using IS operator");
        if (isPathStart(token)) return new Operand.Path(path());
        return new Operand.Value(null, values.value());
    }

    /** A name begins a path, except the words that are literals. */
    private static boolean isPathStart(Token token) {
        if (token.kind() == Kind.NAME) return true;
        return token.kind() == Kind.WORD && !token.isWord("TRUE") && !token.isWord("FALSE") && !token.isWord("NULL")
                && !token.isWord("MISSING");
    }

    /** {@code name}, then {@code .name} and {@code [index]} steps. */
    private DocumentPath path() {
        List<DocumentPath.Element> elements = new ArrayList<>();
        elements.add(new DocumentPath.Name(name("an attribute name")));
        while (true) {
            if (acceptSymbol(".")) {
                if (peek().kind() == Kind.WORD && PartiqlKeywords.isKeyword(peek().text())) {
                    throw malformed("Invalid path dot component");
                }
                elements.add(new DocumentPath.Name(name("a map key")));
            } else if (acceptSymbol("[")) {
                Token index = next();
                if (index.kind() != Kind.NUMBER || !index.text().chars().allMatch(Character::isDigit)) {
                    throw malformed("expected a list index, found " + index.shown());
                }
                try {
                    elements.add(new DocumentPath.Index(Integer.parseInt(index.text())));
                } catch (NumberFormatException tooLarge) {
                    throw DynamoException.validation("List index is not within the allowable range; index: [" + index.text() + "]");
                }
                expectSymbol("]");
            } else {
                break;
            }
        }
        if (elements.size() > DocumentPath.MAX_DEPTH) {
            throw DynamoException.validation("The document path has too many nesting levels; nesting levels: " + elements.size());
        }
        return new DocumentPath(elements);
    }

    /** A table name; {@link #parse} checks it against DynamoDB's rule once the whole statement has parsed. */
    private String tableName() {
        return name("a table name");
    }

    /** An identifier, bare or in double quotes. */
    private String name(String what) {
        Token token = next();
        if (token.kind() == Kind.WORD || token.kind() == Kind.NAME) {
            if (token.text().isEmpty()) throw DynamoException.validation("Path component cannot be an empty string");
            return token.text();
        }
        throw malformed("expected " + what + ", found " + token.shown());
    }

    // Token access, for this parser and PartiqlValues.

    Token peek() {
        return tokens.get(position);
    }

    Token peekAt(int ahead) {
        return tokens.get(Math.min(position + ahead, tokens.size() - 1));
    }

    Token next() {
        Token token = tokens.get(position);
        if (token.kind() != Kind.END) position++;
        return token;
    }

    boolean acceptSymbol(String symbol) {
        if (!peek().isSymbol(symbol)) return false;
        position++;
        return true;
    }

    void expectSymbol(String symbol) {
        if (!acceptSymbol(symbol)) throw malformed("expected '" + symbol + "', found " + peek().shown());
    }

    private boolean acceptWord(String word) {
        if (!peek().isWord(word)) return false;
        position++;
        return true;
    }

    private void expectWord(String word) {
        if (!acceptWord(word)) throw malformed("expected " + word + ", found " + peek().shown());
    }

    private void expectEnd() {
        if (peek().kind() != Kind.END) throw leftover();
    }

    /** DynamoDB's words for a token left after a complete statement (the conformance suite's capture, 2026-10). */
    private static DynamoException leftover() {
        return malformed("Unexpected token after expression");
    }

    /** The words that may follow a table's name in a statement; any other name there is an alias. */
    private static final List<String> CLAUSE_WORDS = List.of("WHERE", "ORDER", "SET", "REMOVE", "RETURNING");

    /** A name (or AS and a name) after the table's: DynamoDB refuses table aliases (the conformance suite's capture, 2026-10). */
    private void refuseAlias() {
        Token token = peek();
        if (token.kind() != Kind.WORD && token.kind() != Kind.NAME) return;
        for (String word : CLAUSE_WORDS) if (token.isWord(word)) return;
        throw DynamoException.validation("Aliasing is not supported");
    }
}
