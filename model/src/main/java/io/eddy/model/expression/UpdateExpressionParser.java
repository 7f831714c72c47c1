package io.eddy.model.expression;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses an UpdateExpression. Grammar (keywords case-insensitive, function names not):
 *
 * <pre>
 * update     := clause+
 * clause     := "SET" set ("," set)* | "REMOVE" path ("," path)*
 *             | "ADD" path :value ("," path :value)* | "DELETE" path :value ("," path :value)*
 * set        := path "=" value
 * value      := arithmetic | "(" arithmetic ")"
 * arithmetic := operand ("+" | "-") operand | operand
 * operand    := "(" term ")" | term
 * term       := function "(" operand ("," operand)* ")" | :value | path
 * </pre>
 *
 * So {@code a + b + c}, {@code f(a + b)} and {@code (a.b).c} are syntax errors, as in DynamoDB.
 * SET, REMOVE, ADD and DELETE are never attribute or function names. The text is parsed
 * completely before anything else is checked: first the number of operators and functions
 * ({@link OperatorCount}), then the rest (see {@link UpdateChecker}).
 */
public final class UpdateExpressionParser {

    static final String KIND = "UpdateExpression";
    private static final List<String> CLAUSES = List.of("SET", "REMOVE", "ADD", "DELETE");

    /** One clause as written: its keyword in upper case and its actions. */
    record Clause(String keyword, List<Action> actions) {}

    /**
     * One action as written: the path and, for SET, the value syntax; for ADD and DELETE the
     * {@code :value}; null for REMOVE.
     */
    record Action(Syntax.PathSyntax path, Syntax value) {}

    private final TokenCursor cursor;

    private UpdateExpressionParser(String expression) {
        this.cursor = new TokenCursor(expression);
    }

    /**
     * @throws io.eddy.model.DynamoException ValidationException "Invalid UpdateExpression: …" for
     *         an empty or over-long expression, a syntax error or any semantic problem
     */
    public static Update parse(String expression, ExpressionAttributes attributes) {
        ExpressionText.check(expression, KIND);
        UpdateExpressionParser parser = new UpdateExpressionParser(expression);
        List<Clause> clauses = parser.whole();
        if (clauses == null) throw parser.cursor.syntaxError(KIND);
        List<Syntax> values = new ArrayList<>();
        for (Clause clause : clauses) {
            for (Action action : clause.actions()) {
                if (action.value() != null) values.add(action.value());
            }
        }
        OperatorCount.check(values, KIND, true);
        return new UpdateChecker(attributes).check(clauses);
    }

    private List<Clause> whole() {
        List<Clause> clauses = new ArrayList<>();
        do {
            Clause clause = clause();
            if (clause == null) return null;
            clauses.add(clause);
        } while (!cursor.peek().is(Token.Kind.END));
        return clauses;
    }

    private Clause clause() {
        String keyword = clauseKeyword(cursor.peek());
        if (keyword == null) {
            cursor.fail();
            return null;
        }
        cursor.next();
        List<Action> actions = new ArrayList<>();
        do {
            Action action = action(keyword);
            if (action == null) return null;
            actions.add(action);
        } while (cursor.accept(Token.Kind.COMMA));
        return new Clause(keyword, actions);
    }

    private Action action(String keyword) {
        Syntax.PathSyntax path = PathGrammar.path(cursor, UpdateExpressionParser::isKeyword);
        if (path == null) return null;
        switch (keyword) {
            case "SET" -> {
                Token equals = cursor.peek();
                if (!equals.is(Token.Kind.COMPARATOR) || !equals.text().equals("=")) {
                    cursor.fail();
                    return null;
                }
                cursor.next();
                Syntax value = value();
                return value == null ? null : new Action(path, value);
            }
            case "REMOVE" -> {
                return new Action(path, null);
            }
            default -> {
                Token value = cursor.peek();
                if (!value.is(Token.Kind.VALUE_PLACEHOLDER)) {
                    cursor.fail();
                    return null;
                }
                cursor.next();
                return new Action(path, new Syntax.ValueSyntax(value.text()));
            }
        }
    }

    private Syntax value() {
        int mark = cursor.mark();
        Syntax arithmetic = arithmetic();
        if (arithmetic != null) return arithmetic;
        cursor.reset(mark);
        if (!cursor.accept(Token.Kind.LPAREN)) return null;
        Syntax inner = arithmetic();
        return inner != null && cursor.accept(Token.Kind.RPAREN) ? new Syntax.ParensSyntax(inner) : null;
    }

    private Syntax arithmetic() {
        Syntax left = operand();
        if (left == null) return null;
        int mark = cursor.mark();
        Token operator = cursor.peek();
        if (operator.is(Token.Kind.PLUS) || operator.is(Token.Kind.MINUS)) {
            cursor.next();
            Syntax right = operand();
            if (right != null) return new Syntax.ArithmeticSyntax(operator.is(Token.Kind.PLUS), left, right);
        } else {
            cursor.fail();
        }
        cursor.reset(mark);
        return left;
    }

    private Syntax operand() {
        int mark = cursor.mark();
        if (cursor.accept(Token.Kind.LPAREN)) {
            Syntax inner = term();
            if (inner != null && cursor.accept(Token.Kind.RPAREN)) return new Syntax.ParensSyntax(inner);
        }
        cursor.reset(mark);
        return term();
    }

    private Syntax term() {
        int mark = cursor.mark();
        Syntax call = call();
        if (call != null) return call;
        cursor.reset(mark);
        Token token = cursor.peek();
        if (token.is(Token.Kind.VALUE_PLACEHOLDER)) {
            cursor.next();
            return new Syntax.ValueSyntax(token.text());
        }
        return PathGrammar.path(cursor, UpdateExpressionParser::isKeyword);
    }

    /** {@code name "(" operand ("," operand)* ")"}; the name is checked later, so unknown functions parse. */
    private Syntax call() {
        int mark = cursor.mark();
        Token name = cursor.peek();
        if (!name.is(Token.Kind.WORD) || isKeyword(name)) {
            cursor.fail();
            return null;
        }
        cursor.next();
        if (cursor.accept(Token.Kind.LPAREN)) {
            List<Syntax> arguments = arguments();
            if (arguments != null && cursor.accept(Token.Kind.RPAREN)) return new Syntax.CallSyntax(name.text(), arguments);
        }
        cursor.reset(mark);
        return null;
    }

    /** {@code operand ("," operand)*}, or null when an operand is missing. */
    private List<Syntax> arguments() {
        List<Syntax> arguments = new ArrayList<>();
        do {
            Syntax argument = operand();
            if (argument == null) return null;
            arguments.add(argument);
        } while (cursor.accept(Token.Kind.COMMA));
        return arguments;
    }

    static boolean isKeyword(Token token) {
        return clauseKeyword(token) != null;
    }

    private static String clauseKeyword(Token token) {
        for (String keyword : CLAUSES) {
            if (token.isKeyword(keyword)) return keyword;
        }
        return null;
    }
}
