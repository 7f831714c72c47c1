package io.eddy.model.expression;

import java.util.ArrayList;
import java.util.List;

/** Splits expression text into {@link Token}s; never fails, unknown characters become UNKNOWN tokens. */
final class ExpressionLexer {
    private ExpressionLexer() {}

    static List<Token> tokenize(String text) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                i++;
                continue;
            }
            int start = i;
            Token.Kind kind;
            if (isWordStart(c)) {
                i = wordEnd(text, i + 1);
                kind = Token.Kind.WORD;
            } else if (c == '#' || c == ':') {
                i = wordEnd(text, i + 1);
                // A bare # or : is no placeholder, only a character the grammar cannot place.
                if (i == start + 1) kind = Token.Kind.UNKNOWN;
                else kind = c == '#' ? Token.Kind.NAME_PLACEHOLDER : Token.Kind.VALUE_PLACEHOLDER;
            } else if (isDigit(c)) {
                while (i < text.length() && isDigit(text.charAt(i))) i++;
                kind = Token.Kind.NUMBER;
            } else if (c == '<' || c == '>') {
                i++;
                if (i < text.length() && (text.charAt(i) == '=' || (c == '<' && text.charAt(i) == '>'))) i++;
                kind = Token.Kind.COMPARATOR;
            } else {
                i++;
                kind = switch (c) {
                    case '=' -> Token.Kind.COMPARATOR;
                    case '(' -> Token.Kind.LPAREN;
                    case ')' -> Token.Kind.RPAREN;
                    case '[' -> Token.Kind.LBRACKET;
                    case ']' -> Token.Kind.RBRACKET;
                    case ',' -> Token.Kind.COMMA;
                    case '.' -> Token.Kind.DOT;
                    case '+' -> Token.Kind.PLUS;
                    case '-' -> Token.Kind.MINUS;
                    default -> {
                        // Keep a surrogate pair together so the error quotes a whole character.
                        if (Character.isHighSurrogate(c) && i < text.length() && Character.isLowSurrogate(text.charAt(i))) i++;
                        yield Token.Kind.UNKNOWN;
                    }
                };
            }
            tokens.add(new Token(kind, text.substring(start, i), start, i));
        }
        tokens.add(new Token(Token.Kind.END, Token.END_TEXT, text.length(), text.length()));
        return tokens;
    }

    private static int wordEnd(String text, int i) {
        while (i < text.length() && isWordPart(text.charAt(i))) i++;
        return i;
    }

    /**
     * A word starts with a letter. An underscore only continues one (or a placeholder): DynamoDB's
     * lexer takes a leading one as a character of its own, so {@code _a} is two tokens and the
     * syntax error names "_" (Alternator's tests and DynamoDB's answers record it so).
     */
    private static boolean isWordStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isWordPart(char c) {
        return isWordStart(c) || isDigit(c) || c == '_';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
