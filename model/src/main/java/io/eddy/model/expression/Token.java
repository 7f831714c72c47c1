package io.eddy.model.expression;

/**
 * A lexical token of the expression languages; {@code start} and {@code end} are offsets into the
 * expression text, which syntax errors quote from.
 */
record Token(Kind kind, String text, int start, int end) {

    enum Kind {
        /** A bare word: attribute name, function name or keyword ([a-zA-Z_][a-zA-Z0-9_]*). */
        WORD,
        /** {@code #name}. */
        NAME_PLACEHOLDER,
        /** {@code :value}. */
        VALUE_PLACEHOLDER,
        /** Decimal digits, only meaningful as a list index. */
        NUMBER,
        /** One of = <> < <= > >=. */
        COMPARATOR,
        LPAREN, RPAREN, LBRACKET, RBRACKET, COMMA, DOT, PLUS, MINUS,
        /** Any other character; it can only ever be a syntax error. */
        UNKNOWN,
        END
    }

    /** The text DynamoDB prints for the end of input in syntax errors. */
    static final String END_TEXT = "<EOF>";

    boolean is(Kind expected) {
        return kind == expected;
    }

    /** True for a WORD that equals {@code keyword} ignoring case (AND, OR, NOT, BETWEEN, IN, SET, …). */
    boolean isKeyword(String keyword) {
        return kind == Kind.WORD && text.equalsIgnoreCase(keyword);
    }
}
