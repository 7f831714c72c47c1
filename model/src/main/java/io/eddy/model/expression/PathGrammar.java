package io.eddy.model.expression;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The document path grammar shared by all expression kinds:
 * {@code name ( "." name | "[" digits "]" )*}, where a name is a bare word starting with a letter
 * or a {@code #placeholder}. Each language has keywords that are never names: AND, OR, NOT,
 * BETWEEN and IN in conditions and projections, SET, REMOVE, ADD and DELETE in updates.
 */
final class PathGrammar {
    private PathGrammar() {}

    private static final String[] KEYWORDS = {"AND", "OR", "NOT", "BETWEEN", "IN"};

    /** The path at the cursor, or null (cursor unchanged) when there is none. */
    static Syntax.PathSyntax path(TokenCursor cursor) {
        return path(cursor, PathGrammar::isKeyword);
    }

    /** A path of a language whose keywords {@code keyword} recognises. */
    static Syntax.PathSyntax path(TokenCursor cursor, Predicate<Token> keyword) {
        Syntax.NameStep head = name(cursor, keyword);
        if (head == null) return null;
        List<Syntax.Step> steps = new ArrayList<>();
        steps.add(head);
        steps.addAll(continuation(cursor, keyword));
        return new Syntax.PathSyntax(steps);
    }

    /** The {@code .name} and {@code [index]} steps at the cursor, possibly none. */
    static List<Syntax.Step> continuation(TokenCursor cursor) {
        return continuation(cursor, PathGrammar::isKeyword);
    }

    private static List<Syntax.Step> continuation(TokenCursor cursor, Predicate<Token> keyword) {
        List<Syntax.Step> steps = new ArrayList<>();
        while (true) {
            int mark = cursor.mark();
            Syntax.Step step = null;
            if (cursor.peek().is(Token.Kind.LBRACKET)) {
                cursor.next();
                step = index(cursor);
            } else if (cursor.peek().is(Token.Kind.DOT)) {
                cursor.next();
                step = name(cursor, keyword);
            } else {
                cursor.fail();
            }
            if (step == null) {
                cursor.reset(mark);
                return steps;
            }
            steps.add(step);
        }
    }

    /** True for AND, OR, NOT, BETWEEN and IN in any case. */
    static boolean isKeyword(Token token) {
        for (String keyword : KEYWORDS) {
            if (token.isKeyword(keyword)) return true;
        }
        return false;
    }

    private static Syntax.NameStep name(TokenCursor cursor, Predicate<Token> keyword) {
        Token token = cursor.peek();
        if (token.is(Token.Kind.NAME_PLACEHOLDER)) {
            cursor.next();
            return new Syntax.NameStep(token.text(), true);
        }
        if (token.is(Token.Kind.WORD) && !keyword.test(token)) {
            cursor.next();
            return new Syntax.NameStep(token.text(), false);
        }
        cursor.fail();
        return null;
    }

    private static Syntax.IndexStep index(TokenCursor cursor) {
        Token digits = cursor.peek();
        if (!digits.is(Token.Kind.NUMBER)) {
            cursor.fail();
            return null;
        }
        int index;
        try {
            index = Integer.parseInt(digits.text());
        } catch (NumberFormatException tooLarge) {
            cursor.fail();
            return null;
        }
        cursor.next();
        return cursor.accept(Token.Kind.RBRACKET) ? new Syntax.IndexStep(index) : null;
    }
}
