package io.eddy.model.expression;

import java.util.List;

/**
 * The syntax tree the expression parsers build before any name, value or type is looked at.
 * Parsing and checking are separate passes because DynamoDB reports a syntax error anywhere in the
 * expression ahead of every other problem, and the other problems in a fixed order of kinds
 * rather than in the order they occur. Parentheses are kept as nodes so that redundant ones can
 * be reported.
 */
sealed interface Syntax {

    /** A document path as written: names (bare or {@code #placeholder}) and list indexes. */
    record PathSyntax(List<Step> steps) implements Syntax {
        public PathSyntax {
            steps = List.copyOf(steps);
        }
    }

    /**
     * A path whose head is parenthesised, as in {@code (a.b).c}, which condition expressions allow.
     * {@code head} is the parenthesised path, kept to detect redundant parentheses.
     */
    record GroupedPathSyntax(ParensSyntax head, List<Step> tail) implements Syntax {
        public GroupedPathSyntax {
            tail = List.copyOf(tail);
        }
    }

    sealed interface Step permits NameStep, IndexStep {}

    /** {@code text} is the bare name or the {@code #placeholder}. */
    record NameStep(String text, boolean placeholder) implements Step {}

    record IndexStep(int index) implements Step {}

    record ValueSyntax(String placeholder) implements Syntax {}

    /** {@code name(arguments…)}; the name is checked later, so unknown functions parse. */
    record CallSyntax(String name, List<Syntax> arguments) implements Syntax {
        public CallSyntax {
            arguments = List.copyOf(arguments);
        }
    }

    record ParensSyntax(Syntax inner) implements Syntax {}

    record CompareSyntax(Comparator comparator, Syntax left, Syntax right) implements Syntax {}

    record BetweenSyntax(Syntax value, Syntax lower, Syntax upper) implements Syntax {}

    record InSyntax(Syntax value, List<Syntax> candidates) implements Syntax {
        public InSyntax {
            candidates = List.copyOf(candidates);
        }
    }

    record AndSyntax(Syntax left, Syntax right) implements Syntax {}

    record OrSyntax(Syntax left, Syntax right) implements Syntax {}

    record NotSyntax(Syntax condition) implements Syntax {}

    /** {@code left + right} or {@code left - right}, only in an UpdateExpression's SET value. */
    record ArithmeticSyntax(boolean plus, Syntax left, Syntax right) implements Syntax {}
}
