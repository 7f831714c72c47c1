package io.eddy.model.expression;

import io.eddy.model.DynamoException;

import java.nio.charset.StandardCharsets;

/** Checks and error wording shared by every expression kind. */
final class ExpressionText {
    private ExpressionText() {}

    /** DynamoDB's limit on the length of one expression string, in bytes. */
    static final int MAX_BYTES = 4096;

    /** The ValidationException for a problem in an expression: "Invalid ConditionExpression: …". */
    static DynamoException invalid(String kind, String detail) {
        return DynamoException.validation("Invalid " + kind + ": " + detail);
    }

    /** Refuses an empty or over-long expression before it is parsed. */
    static void check(String expression, String kind) {
        if (expression.isEmpty()) throw invalid(kind, "The expression can not be empty;");
        int bytes = expression.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_BYTES) {
            // Only condition and filter expressions give their size (a 2026 test suite run against DynamoDB).
            boolean sized = kind.equals("ConditionExpression") || kind.equals("FilterExpression");
            throw invalid(kind, "Expression size has exceeded the maximum allowed size;" + (sized ? " expression size: " + bytes : ""));
        }
    }
}
