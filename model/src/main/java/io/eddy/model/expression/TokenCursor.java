package io.eddy.model.expression;

import io.eddy.model.DynamoException;

import java.util.List;

/**
 * A position in a token list for backtracking (PEG-style) parsers. Every failed expectation records
 * how far the parser got; when no alternative parses the whole input, the syntax error names the
 * furthest token any alternative stopped at, as DynamoDB's parser does.
 */
final class TokenCursor {
    private final String text;
    private final List<Token> tokens;
    private int position;
    private int furthestFailure;

    TokenCursor(String text) {
        this.text = text;
        this.tokens = ExpressionLexer.tokenize(text);
    }

    Token peek() {
        return tokens.get(position);
    }

    Token next() {
        Token token = tokens.get(position);
        if (position < tokens.size() - 1) position++;
        return token;
    }

    int mark() {
        return position;
    }

    void reset(int mark) {
        position = mark;
    }

    /** Consumes the next token if it is of {@code kind}; otherwise records a failure here. */
    boolean accept(Token.Kind kind) {
        if (peek().is(kind)) {
            next();
            return true;
        }
        fail();
        return false;
    }

    boolean acceptKeyword(String keyword) {
        if (peek().isKeyword(keyword)) {
            next();
            return true;
        }
        fail();
        return false;
    }

    /** Records that the token at the current position was not what the grammar wanted. */
    void fail() {
        furthestFailure = Math.max(furthestFailure, position);
    }

    /**
     * "Syntax error; token: "X", near: "…"" for the furthest failure. DynamoDB quotes the text
     * from the token before the offending one to the token after it (to the end for {@code <EOF>}).
     */
    DynamoException syntaxError(String kind) {
        Token token = tokens.get(furthestFailure);
        Token previous = furthestFailure > 0 ? tokens.get(furthestFailure - 1) : null;
        Token following = furthestFailure + 1 < tokens.size() ? tokens.get(furthestFailure + 1) : null;
        int from = previous != null ? previous.start() : token.start();
        int to;
        if (token.is(Token.Kind.END)) {
            to = text.length();
        } else if (following != null && !following.is(Token.Kind.END)) {
            to = following.end();
        } else {
            to = token.end();
        }
        return ExpressionText.invalid(kind, "Syntax error; token: \"" + token.text() + "\", near: \""
                + text.substring(from, to) + "\"");
    }
}
