package io.eddy.model.expression;

/** The comparison operators of condition expressions, with their spelling. */
public enum Comparator {
    EQ("="), NE("<>"), LT("<"), LE("<="), GT(">"), GE(">=");

    private final String symbol;

    Comparator(String symbol) {
        this.symbol = symbol;
    }

    public String symbol() {
        return symbol;
    }

    /** True for the operators that order values, which DynamoDB allows only on S, N and B. */
    public boolean isOrdering() {
        return this != EQ && this != NE;
    }

    static Comparator fromSymbol(String symbol) {
        for (Comparator comparator : values()) {
            if (comparator.symbol.equals(symbol)) return comparator;
        }
        throw new IllegalArgumentException("not a comparator: " + symbol);
    }
}
