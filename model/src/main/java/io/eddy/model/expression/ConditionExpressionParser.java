package io.eddy.model.expression;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Parses condition expressions (ConditionExpression, FilterExpression; KeyConditionExpression
 * shares the grammar). Grammar, loosest binding first:
 *
 * <pre>
 * condition := and ("OR" and)*
 * and       := not ("AND" not)*
 * not       := "NOT" not | primary
 * primary   := operand comparator operand
 *            | operand "BETWEEN" operand "AND" operand
 *            | operand "IN" "(" operand ("," operand)* ")"
 *            | function "(" operand ("," operand)* ")"
 *            | "(" condition ")"
 * operand   := "(" operand ")" | "(" path ")" path-steps | function "(" … ")" | :value | path
 * </pre>
 *
 * Keywords are case-insensitive, function names are not. The text is parsed completely before
 * anything else is checked: first the number of operators ({@link OperatorCount}), then the rest
 * (see {@link ConditionChecker}).
 */
public final class ConditionExpressionParser {

    /** Deeper nesting of parentheses and function calls is refused as a syntax error rather than risking the stack. */
    private static final int MAX_PARENTHESES = 200;

    private final TokenCursor cursor;
    /** Packrat memos: parenthesised input would otherwise be re-parsed exponentially often. */
    private final Map<Integer, Memo> operandMemo = new HashMap<>();
    private final Map<Integer, Memo> primaryMemo = new HashMap<>();
    private int nestingDepth;

    private record Memo(Syntax syntax, int end) {}

    private ConditionExpressionParser(String expression) {
        this.cursor = new TokenCursor(expression);
    }

    /**
     * @param kind the request parameter the expression came from, e.g. "ConditionExpression";
     *             it prefixes every error message ("Invalid ConditionExpression: …")
     * @throws io.eddy.model.DynamoException ValidationException with DynamoDB's message for an
     *         empty or over-long expression, a syntax error, or any semantic problem
     */
    public static Condition parse(String expression, String kind, ExpressionAttributes attributes) {
        ExpressionText.check(expression, kind);
        ConditionExpressionParser parser = new ConditionExpressionParser(expression);
        Syntax syntax = parser.whole();
        if (syntax == null) throw parser.cursor.syntaxError(kind);
        OperatorCount.check(List.of(syntax), kind, false);
        return new ConditionChecker(kind, attributes).check(syntax);
    }

    private Syntax whole() {
        Syntax condition = or();
        return condition != null && cursor.accept(Token.Kind.END) ? condition : null;
    }

    private Syntax or() {
        Syntax left = and();
        while (left != null) {
            int mark = cursor.mark();
            Syntax right = cursor.acceptKeyword("OR") ? and() : null;
            if (right == null) {
                cursor.reset(mark);
                break;
            }
            left = new Syntax.OrSyntax(left, right);
        }
        return left;
    }

    private Syntax and() {
        Syntax left = not();
        while (left != null) {
            int mark = cursor.mark();
            Syntax right = cursor.acceptKeyword("AND") ? not() : null;
            if (right == null) {
                cursor.reset(mark);
                break;
            }
            left = new Syntax.AndSyntax(left, right);
        }
        return left;
    }

    private Syntax not() {
        int mark = cursor.mark();
        if (cursor.peek().isKeyword("NOT")) {
            cursor.next();
            // NOT NOT a < b is a < b: DynamoDB's grammar is "NOT condition" (ScyllaDB's Alternator
            // tests, run against DynamoDB, take NOT NOT NOT NOT a < b).
            Syntax condition = not();
            if (condition != null) return new Syntax.NotSyntax(condition);
            cursor.reset(mark);
            return null;
        }
        return primary();
    }

    private Syntax primary() {
        return memoized(primaryMemo, this::parsePrimary);
    }

    private Syntax parsePrimary() {
        int mark = cursor.mark();
        Syntax atomic = atomic();
        if (atomic != null) return atomic;
        cursor.reset(mark);
        Syntax grouped = parenthesised(this::or);
        if (grouped != null) return grouped;
        cursor.reset(mark);
        return null;
    }

    /** A comparison, BETWEEN, IN or a function used as a condition. */
    private Syntax atomic() {
        int mark = cursor.mark();
        Syntax left = operand();
        if (left != null) {
            int afterLeft = cursor.mark();
            Syntax parsed = comparison(left);
            if (parsed != null) return parsed;
            cursor.reset(afterLeft);
            parsed = between(left);
            if (parsed != null) return parsed;
            cursor.reset(afterLeft);
            parsed = in(left);
            if (parsed != null) return parsed;
        }
        cursor.reset(mark);
        Syntax call = call();
        if (call != null) return call;
        cursor.reset(mark);
        return null;
    }

    private Syntax comparison(Syntax left) {
        Token symbol = cursor.peek();
        if (!symbol.is(Token.Kind.COMPARATOR)) {
            cursor.fail();
            return null;
        }
        cursor.next();
        Syntax right = operand();
        return right == null ? null : new Syntax.CompareSyntax(Comparator.fromSymbol(symbol.text()), left, right);
    }

    private Syntax between(Syntax value) {
        if (!cursor.acceptKeyword("BETWEEN")) return null;
        Syntax lower = operand();
        if (lower == null || !cursor.acceptKeyword("AND")) return null;
        Syntax upper = operand();
        return upper == null ? null : new Syntax.BetweenSyntax(value, lower, upper);
    }

    private Syntax in(Syntax value) {
        if (!cursor.acceptKeyword("IN") || !cursor.accept(Token.Kind.LPAREN)) return null;
        List<Syntax> candidates = operandList();
        if (candidates == null || !cursor.accept(Token.Kind.RPAREN)) return null;
        return new Syntax.InSyntax(value, candidates);
    }

    private Syntax operand() {
        return memoized(operandMemo, this::parseOperand);
    }

    private Syntax parseOperand() {
        int mark = cursor.mark();
        Syntax grouped = parenthesised(this::operand);
        if (grouped != null) {
            if (ConditionChecker.unwrap(grouped) instanceof Syntax.PathSyntax) {
                List<Syntax.Step> tail = PathGrammar.continuation(cursor);
                if (!tail.isEmpty()) return new Syntax.GroupedPathSyntax((Syntax.ParensSyntax) grouped, tail);
            }
            return grouped;
        }
        cursor.reset(mark);
        Syntax call = call();
        if (call != null) return call;
        cursor.reset(mark);
        Token token = cursor.peek();
        if (token.is(Token.Kind.VALUE_PLACEHOLDER)) {
            cursor.next();
            return new Syntax.ValueSyntax(token.text());
        }
        return PathGrammar.path(cursor);
    }

    /** {@code name "(" operand ("," operand)* ")"}; the name is checked later. */
    private Syntax call() {
        int mark = cursor.mark();
        Token name = cursor.peek();
        if (!name.is(Token.Kind.WORD) || PathGrammar.isKeyword(name)) {
            cursor.fail();
            return null;
        }
        cursor.next();
        if (cursor.accept(Token.Kind.LPAREN)) {
            // Calls nest as deep as parentheses may, and count with them: f(f(f(…))) within 4 KB
            // overflowed the parser's stack.
            Syntax call = nested(() -> {
                List<Syntax> arguments = operandList();
                return arguments != null && cursor.accept(Token.Kind.RPAREN) ? new Syntax.CallSyntax(name.text(), arguments) : null;
            });
            if (call != null) return call;
        }
        cursor.reset(mark);
        return null;
    }

    private List<Syntax> operandList() {
        Syntax first = operand();
        if (first == null) return null;
        List<Syntax> operands = new ArrayList<>();
        operands.add(first);
        while (true) {
            int mark = cursor.mark();
            Syntax next = cursor.accept(Token.Kind.COMMA) ? operand() : null;
            if (next == null) {
                cursor.reset(mark);
                return operands;
            }
            operands.add(next);
        }
    }

    /** {@code "(" inner ")"} as a ParensSyntax, or null with the cursor where it failed. */
    private Syntax parenthesised(Supplier<Syntax> inner) {
        if (!cursor.accept(Token.Kind.LPAREN)) return null;
        return nested(() -> {
            Syntax syntax = inner.get();
            return syntax != null && cursor.accept(Token.Kind.RPAREN) ? new Syntax.ParensSyntax(syntax) : null;
        });
    }

    /** {@code inner} one level deeper, or null (a failure here) past {@link #MAX_PARENTHESES} levels. */
    private Syntax nested(Supplier<Syntax> inner) {
        if (nestingDepth >= MAX_PARENTHESES) {
            cursor.fail();
            return null;
        }
        nestingDepth++;
        try {
            return inner.get();
        } finally {
            nestingDepth--;
        }
    }

    private Syntax memoized(Map<Integer, Memo> memo, Supplier<Syntax> rule) {
        int start = cursor.mark();
        Memo known = memo.get(start);
        if (known != null) {
            if (known.syntax != null) cursor.reset(known.end);
            return known.syntax;
        }
        Syntax syntax = rule.get();
        if (syntax == null) cursor.reset(start);
        memo.put(start, new Memo(syntax, cursor.mark()));
        return syntax;
    }
}
