package io.eddy.model.expression;

import java.util.List;

/**
 * DynamoDB's limit of 300 operators in one expression. It is documented for UpdateExpression
 * ("operators or functions"), and DynamoDB applies it to condition expressions too, where it
 * counts comparisons, BETWEEN, IN, AND, OR and NOT but not function calls or parentheses: a
 * condition {@code a < f(f(…(b)…))} nested 1,355 deep is refused for its unknown function, not
 * for its count. DynamoDB stops counting at the first operator over the limit, so its message
 * always says 301.
 */
final class OperatorCount {
    private OperatorCount() {}

    static final int MAX_OPERATORS = 300;

    /**
     * Refuses a parsed expression with more than {@link #MAX_OPERATORS} operators. An expression
     * of at most 4 KB has a few thousand nodes at most, so it is counted whole.
     *
     * @param countCalls whether function calls count, as they do in an UpdateExpression
     */
    static void check(List<Syntax> parts, String kind, boolean countCalls) {
        int count = 0;
        for (Syntax part : parts) count += of(part, countCalls);
        if (count > MAX_OPERATORS) {
            throw ExpressionText.invalid(kind,
                    "The expression contains too many operators; operator count: " + (MAX_OPERATORS + 1));
        }
    }

    private static int of(Syntax syntax, boolean countCalls) {
        if (syntax instanceof Syntax.ParensSyntax parens) return of(parens.inner(), countCalls);
        if (syntax instanceof Syntax.GroupedPathSyntax grouped) return of(grouped.head(), countCalls);
        if (syntax instanceof Syntax.CallSyntax call) return (countCalls ? 1 : 0) + of(call.arguments(), countCalls);
        if (syntax instanceof Syntax.CompareSyntax compare) {
            return 1 + of(compare.left(), countCalls) + of(compare.right(), countCalls);
        }
        if (syntax instanceof Syntax.BetweenSyntax between) {
            return 1 + of(List.of(between.value(), between.lower(), between.upper()), countCalls);
        }
        if (syntax instanceof Syntax.InSyntax in) return 1 + of(in.value(), countCalls) + of(in.candidates(), countCalls);
        if (syntax instanceof Syntax.AndSyntax and) return 1 + of(and.left(), countCalls) + of(and.right(), countCalls);
        if (syntax instanceof Syntax.OrSyntax or) return 1 + of(or.left(), countCalls) + of(or.right(), countCalls);
        if (syntax instanceof Syntax.NotSyntax not) return 1 + of(not.condition(), countCalls);
        if (syntax instanceof Syntax.ArithmeticSyntax arithmetic) {
            return 1 + of(arithmetic.left(), countCalls) + of(arithmetic.right(), countCalls);
        }
        return 0; // a path or a :value: an operand, not an operator
    }

    private static int of(List<Syntax> operands, boolean countCalls) {
        int count = 0;
        for (Syntax operand : operands) count += of(operand, countCalls);
        return count;
    }
}
