package io.eddy.model.partiql;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a PartiQL statement into tokens. PartiQL quotes strings with single quotes and names
 * with double quotes (a quote is escaped by doubling it); {@code <<} and {@code >>} delimit a
 * set (a "bag"), and {@code ?} is a positional parameter.
 */
final class PartiqlLexer {

    enum Kind { WORD, NAME, STRING, NUMBER, PARAMETER, SYMBOL, END }

    /** {@code text} is the word, the unquoted name or string, the number, or the symbol. */
    record Token(Kind kind, String text, int position) {

        boolean isWord(String word) {
            return kind == Kind.WORD && text.equalsIgnoreCase(word);
        }

        boolean isSymbol(String symbol) {
            return kind == Kind.SYMBOL && text.equals(symbol);
        }

        /** How a message shows the token. */
        String shown() {
            return switch (kind) {
                case END -> "end of statement";
                case STRING -> "'" + text + "'";
                case NAME -> "\"" + text + "\"";
                default -> text;
            };
        }
    }

    private static final List<String> TWO_CHAR_SYMBOLS = List.of("<<", ">>", "<=", ">=", "<>", "!=");
    private static final String ONE_CHAR_SYMBOLS = "*,.[]{}():=<>+-";

    private PartiqlLexer() {}

    static List<Token> tokens(String statement) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        int n = statement.length();
        while (i < n) {
            char c = statement.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '-' && i + 1 < n && statement.charAt(i + 1) == '-') {
                while (i < n && statement.charAt(i) != '\n') i++;
            } else if (c == '/' && i + 1 < n && statement.charAt(i + 1) == '*') {
                int end = statement.indexOf("*/", i + 2);
                // Unterminated, and a # comment below: DynamoDB says nothing after its colon (the conformance suite, 2026-10).
                if (end < 0) throw PartiqlParser.malformed("");
                i = end + 2;
            } else if (c == '#') {
                throw PartiqlParser.malformed("");
            } else if (c == '\'' || c == '"') {
                int start = i;
                StringBuilder text = new StringBuilder();
                i++;
                while (true) {
                    if (i >= n) throw PartiqlParser.malformed("unterminated quoted text at position " + (start + 1));
                    char d = statement.charAt(i);
                    if (d == c) {
                        if (i + 1 < n && statement.charAt(i + 1) == c) {
                            text.append(c);
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    text.append(d);
                    i++;
                }
                tokens.add(new Token(c == '\'' ? Kind.STRING : Kind.NAME, text.toString(), start));
            } else if (Character.isLetter(c) || c == '_' || c == '$') {
                int start = i;
                while (i < n && (Character.isLetterOrDigit(statement.charAt(i)) || statement.charAt(i) == '_'
                        || statement.charAt(i) == '$')) {
                    i++;
                }
                tokens.add(new Token(Kind.WORD, statement.substring(start, i), start));
            } else if (Character.isDigit(c) || (c == '.' && i + 1 < n && Character.isDigit(statement.charAt(i + 1)))) {
                int start = i;
                i = numberEnd(statement, i);
                tokens.add(new Token(Kind.NUMBER, statement.substring(start, i), start));
            } else if (c == '?') {
                tokens.add(new Token(Kind.PARAMETER, "?", i++));
            } else if (i + 1 < n && TWO_CHAR_SYMBOLS.contains(statement.substring(i, i + 2))) {
                tokens.add(new Token(Kind.SYMBOL, statement.substring(i, i + 2), i));
                i += 2;
            } else if (ONE_CHAR_SYMBOLS.indexOf(c) >= 0) {
                tokens.add(new Token(Kind.SYMBOL, String.valueOf(c), i++));
            } else {
                throw PartiqlParser.malformed("unexpected character '" + c + "' at position " + (i + 1));
            }
        }
        tokens.add(new Token(Kind.END, "", n));
        return tokens;
    }

    /** Digits, an optional fraction and an optional exponent. */
    private static int numberEnd(String s, int i) {
        int n = s.length();
        while (i < n && Character.isDigit(s.charAt(i))) i++;
        if (i < n && s.charAt(i) == '.') {
            i++;
            while (i < n && Character.isDigit(s.charAt(i))) i++;
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            int j = i + 1;
            if (j < n && (s.charAt(j) == '+' || s.charAt(j) == '-')) j++;
            if (j < n && Character.isDigit(s.charAt(j))) {
                i = j;
                while (i < n && Character.isDigit(s.charAt(i))) i++;
            }
        }
        return i;
    }
}
