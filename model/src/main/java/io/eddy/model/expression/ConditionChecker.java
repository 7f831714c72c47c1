package io.eddy.model.expression;

import io.eddy.model.AttributeType;
import io.eddy.model.AttributeValue;
import io.eddy.model.AttributeValueOrder;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The semantic pass over a parsed condition: resolves placeholders, checks functions, operand
 * counts and types, and builds the {@link Condition}. Problems are collected rather than thrown,
 * because DynamoDB reports them by kind, not by position: redundant parentheses first, then an
 * unknown function, a misused function, a reserved word, and only then the first comparison or
 * function call (in text order) with a problem of its own (undefined placeholder, path too deep,
 * operand count, indistinct operands, operand type, in that order).
 */
final class ConditionChecker {

    /** The functions of condition expressions and their operand counts. */
    private static final Map<String, Integer> FUNCTIONS = Map.of(
            "attribute_exists", 1,
            "attribute_not_exists", 1,
            "attribute_type", 2,
            "begins_with", 2,
            "contains", 2,
            "size", 1);

    /** Update functions, which a condition names with a message of their own. */
    private static final java.util.Set<String> UPDATE_FUNCTIONS = java.util.Set.of("if_not_exists", "list_append");

    private static final String ANY_TYPE = "{NS,SS,L,BS,N,M,B,BOOL,NULL,S}";
    private static final int MAX_IN_OPERANDS = 100;

    private static final Problem[] EXPRESSION_PRIORITY = {
            Problem.REDUNDANT_PARENTHESES, Problem.UNKNOWN_FUNCTION, Problem.MISUSED_FUNCTION, Problem.RESERVED_WORD};
    private static final Problem[] CONDITION_PRIORITY = {
            Problem.UNDEFINED_PLACEHOLDER, Problem.PATH_TOO_DEEP, Problem.OPERAND_COUNT, Problem.NOT_DISTINCT,
            Problem.OPERAND_TYPE};

    private final String kind;
    private final ExpressionAttributes attributes;
    /** Problems that count for the whole expression. */
    private final Problems expressionProblems = new Problems();
    /** The message of the first comparison or function call that had a problem of its own. */
    private String firstConditionProblem;

    ConditionChecker(String kind, ExpressionAttributes attributes) {
        this.kind = kind;
        this.attributes = attributes;
    }

    Condition check(Syntax syntax) {
        Condition condition = condition(syntax);
        Optional<String> problem = expressionProblems.first(EXPRESSION_PRIORITY);
        if (problem.isEmpty() && firstConditionProblem != null) problem = Optional.of(firstConditionProblem);
        if (problem.isPresent()) throw ExpressionText.invalid(kind, problem.get());
        return condition;
    }

    /** Checks one comparison or function call; its own problems are kept apart from the expression's. */
    private final class Atomic {
        final Problems own = new Problems();

        void report(Problem problem, String message) {
            switch (problem) {
                case REDUNDANT_PARENTHESES, UNKNOWN_FUNCTION, MISUSED_FUNCTION, RESERVED_WORD ->
                        expressionProblems.report(problem, message);
                default -> own.report(problem, message);
            }
        }

        Condition finish(Condition condition) {
            if (own.isEmpty()) return condition;
            if (firstConditionProblem == null) firstConditionProblem = own.first(CONDITION_PRIORITY).orElseThrow();
            return null;
        }
    }

    private Condition condition(Syntax syntax) {
        if (syntax instanceof Syntax.ParensSyntax parens) {
            if (parens.inner() instanceof Syntax.ParensSyntax) redundantParentheses();
            return condition(parens.inner());
        }
        if (syntax instanceof Syntax.OrSyntax or) {
            Condition left = condition(or.left());
            Condition right = condition(or.right());
            return left == null || right == null ? null : new Condition.Or(left, right);
        }
        if (syntax instanceof Syntax.AndSyntax and) {
            Condition left = condition(and.left());
            Condition right = condition(and.right());
            return left == null || right == null ? null : new Condition.And(left, right);
        }
        if (syntax instanceof Syntax.NotSyntax not) {
            Condition inner = condition(not.condition());
            return inner == null ? null : new Condition.Not(inner);
        }
        Atomic atomic = new Atomic();
        return atomic.finish(atomicCondition(syntax, atomic));
    }

    private Condition atomicCondition(Syntax syntax, Atomic atomic) {
        if (syntax instanceof Syntax.CompareSyntax compare) return comparison(compare, atomic);
        if (syntax instanceof Syntax.BetweenSyntax between) return between(between, atomic);
        if (syntax instanceof Syntax.InSyntax in) return in(in, atomic);
        if (syntax instanceof Syntax.CallSyntax call) return functionCondition(call, atomic);
        throw new IllegalStateException("not a condition: " + syntax);
    }

    private Condition comparison(Syntax.CompareSyntax compare, Atomic atomic) {
        Operand left = operand(compare.left(), atomic);
        Operand right = operand(compare.right(), atomic);
        String symbol = compare.comparator().symbol();
        checkDistinct(symbol, left, right, atomic);
        if (compare.comparator().isOrdering()) {
            checkOrderable(symbol, left, atomic);
            checkOrderable(symbol, right, atomic);
        }
        return left == null || right == null ? null : new Condition.Compare(compare.comparator(), left, right);
    }

    private Condition between(Syntax.BetweenSyntax between, Atomic atomic) {
        Operand value = operand(between.value(), atomic);
        Operand lower = operand(between.lower(), atomic);
        Operand upper = operand(between.upper(), atomic);
        checkOrderable("BETWEEN", value, atomic);
        checkOrderable("BETWEEN", lower, atomic);
        checkOrderable("BETWEEN", upper, atomic);
        if (lower instanceof Operand.Value low && upper instanceof Operand.Value high) {
            checkBounds(low.value(), high.value(), atomic);
        }
        return value == null || lower == null || upper == null ? null : new Condition.Between(value, lower, upper);
    }

    private void checkBounds(AttributeValue lower, AttributeValue upper, Atomic atomic) {
        String bounds = "lower bound operand: AttributeValue: {" + typed(lower) + "}, "
                + "upper bound operand: AttributeValue: {" + typed(upper) + "}";
        if (lower.type() != upper.type()) {
            atomic.report(Problem.OPERAND_TYPE,
                    "The BETWEEN operator requires same data type for lower and upper bounds; " + bounds);
        } else if (AttributeValueOrder.isOrderable(lower.type()) && AttributeValueOrder.compare(lower, upper) > 0) {
            atomic.report(Problem.OPERAND_TYPE,
                    "The BETWEEN operator requires upper bound to be greater than or equal to lower bound; " + bounds);
        }
    }

    private Condition in(Syntax.InSyntax in, Atomic atomic) {
        Operand value = operand(in.value(), atomic);
        List<Operand> candidates = new ArrayList<>();
        boolean complete = value != null;
        for (Syntax candidate : in.candidates()) {
            Operand operand = operand(candidate, atomic);
            complete &= operand != null;
            candidates.add(operand);
        }
        if (in.candidates().size() > MAX_IN_OPERANDS) {
            atomic.report(Problem.OPERAND_COUNT,
                    "The IN operator is provided with too many operands; number of operands: " + in.candidates().size());
        }
        return complete ? new Condition.In(value, candidates) : null;
    }

    /** A function call in condition position; size() is not a condition. */
    private Condition functionCondition(Syntax.CallSyntax call, Atomic atomic) {
        List<Operand> arguments = arguments(call, atomic);
        if (call.name().equals("size")) misusedFunction("size");
        if (!checkFunction(call.name(), call.arguments(), arguments, atomic)) return null;
        Operand first = arguments.get(0);
        return switch (call.name()) {
            case "attribute_exists" -> new Condition.AttributeExists(((Operand.Path) first).path());
            case "attribute_not_exists" -> new Condition.AttributeNotExists(((Operand.Path) first).path());
            case "attribute_type" -> new Condition.AttributeTypeIs(first, arguments.get(1));
            case "begins_with" -> new Condition.BeginsWith(first, arguments.get(1));
            case "contains" -> new Condition.Contains(first, arguments.get(1));
            default -> null; // size, already reported as misused
        };
    }

    private Operand operand(Syntax syntax, Atomic atomic) {
        if (syntax instanceof Syntax.ParensSyntax parens) {
            if (parens.inner() instanceof Syntax.ParensSyntax) redundantParentheses();
            return operand(parens.inner(), atomic);
        }
        if (syntax instanceof Syntax.PathSyntax path) {
            DocumentPath resolved = PathResolver.resolve(path, attributes, atomic::report);
            return resolved == null ? null : new Operand.Path(resolved);
        }
        if (syntax instanceof Syntax.GroupedPathSyntax grouped) {
            if (grouped.head().inner() instanceof Syntax.ParensSyntax) redundantParentheses();
            List<Syntax.Step> steps = new ArrayList<>(((Syntax.PathSyntax) unwrap(grouped.head())).steps());
            steps.addAll(grouped.tail());
            return operand(new Syntax.PathSyntax(steps), atomic);
        }
        if (syntax instanceof Syntax.ValueSyntax value) {
            Optional<AttributeValue> resolved = attributes.value(value.placeholder());
            if (resolved.isEmpty()) {
                atomic.report(Problem.UNDEFINED_PLACEHOLDER,
                        "An expression attribute value used in expression is not defined; attribute value: "
                                + value.placeholder());
                return null;
            }
            return new Operand.Value(value.placeholder(), resolved.get());
        }
        if (syntax instanceof Syntax.CallSyntax call) {
            List<Operand> arguments = arguments(call, atomic);
            // Only size() yields a value; every other function is a condition.
            if (!call.name().equals("size")) misusedFunction(call.name());
            if (!checkFunction(call.name(), call.arguments(), arguments, atomic)) return null;
            return call.name().equals("size") ? new Operand.Size(arguments.get(0)) : null;
        }
        throw new IllegalStateException("not an operand: " + syntax);
    }

    private List<Operand> arguments(Syntax.CallSyntax call, Atomic atomic) {
        List<Operand> arguments = new ArrayList<>();
        for (Syntax argument : call.arguments()) arguments.add(operand(argument, atomic));
        return arguments;
    }

    /**
     * The checks of one function call, after its arguments were checked. Returns true when the call
     * is sound and every argument resolved.
     */
    private boolean checkFunction(String name, List<Syntax> syntax, List<Operand> arguments, Atomic atomic) {
        Integer operandCount = FUNCTIONS.get(name);
        if (operandCount == null) {
            atomic.report(Problem.UNKNOWN_FUNCTION, UPDATE_FUNCTIONS.contains(name)
                    ? "The function is not allowed in a condition expression; function: " + name
                    : "Invalid function name; function: " + name);
            return false;
        }
        if (operandCount != arguments.size()) {
            atomic.report(Problem.OPERAND_COUNT, "Incorrect number of operands for operator or function; "
                    + "operator or function: " + name + ", number of operands: " + arguments.size());
            return false;
        }
        if (arguments.size() == 2) checkDistinct(name, arguments.get(0), arguments.get(1), atomic);
        boolean sound = switch (name) {
            case "attribute_exists", "attribute_not_exists" -> {
                Syntax argument = unwrap(syntax.get(0));
                if (argument instanceof Syntax.PathSyntax || argument instanceof Syntax.GroupedPathSyntax) yield true;
                atomic.report(Problem.OPERAND_TYPE,
                        "Operator or function requires a document path; operator or function: " + name);
                yield false;
            }
            case "begins_with" -> checkOperandTypes(name, arguments, List.of(AttributeType.S, AttributeType.B), atomic);
            case "size" -> {
                String type = staticType(arguments.get(0));
                if (type != null && (type.equals("N") || type.equals("BOOL") || type.equals("NULL"))) {
                    reportOperandType(name, type, atomic);
                    yield false;
                }
                yield true;
            }
            case "attribute_type" -> checkTypeName(arguments.get(1), atomic);
            default -> true;
        };
        return sound && !arguments.contains(null);
    }

    private boolean checkOperandTypes(String name, List<Operand> arguments, List<AttributeType> allowed, Atomic atomic) {
        for (Operand argument : arguments) {
            String type = staticType(argument);
            if (type != null && allowed.stream().noneMatch(t -> t.name().equals(type))) {
                reportOperandType(name, type, atomic);
                return false;
            }
        }
        return true;
    }

    private boolean checkTypeName(Operand type, Atomic atomic) {
        if (type == null) return true;
        String staticType = staticType(type);
        if (!"S".equals(staticType)) {
            reportOperandType("attribute_type", staticType == null ? ANY_TYPE : staticType, atomic);
            return false;
        }
        String typeName = ((AttributeValue.StringValue) ((Operand.Value) type).value()).value();
        Optional<String> invalid = AttributeType.typeNameRefusal(typeName);
        invalid.ifPresent(message -> atomic.report(Problem.OPERAND_TYPE, message));
        return invalid.isEmpty();
    }

    /** Comparing a constant of a type that has no order is an error, not a false condition. */
    private void checkOrderable(String operator, Operand operand, Atomic atomic) {
        String type = staticType(operand);
        if (type != null && !AttributeValueOrder.isOrderable(AttributeType.valueOf(type))) {
            reportOperandType(operator, type, atomic);
        }
    }

    private void checkDistinct(String operator, Operand first, Operand second, Atomic atomic) {
        if (first instanceof Operand.Path a && second instanceof Operand.Path b && a.path().equals(b.path())) {
            atomic.report(Problem.NOT_DISTINCT, "The first operand must be distinct from the remaining operands "
                    + "for this operator or function; operator: " + operator + ", first operand: " + a.path());
        }
    }

    private void reportOperandType(String operator, String type, Atomic atomic) {
        atomic.report(Problem.OPERAND_TYPE, "Incorrect operand type for operator or function; operator or function: "
                + operator + ", operand type: " + type);
    }

    /** The type an operand has whatever the item: a constant's type, N for size(); null for paths. */
    private static String staticType(Operand operand) {
        if (operand instanceof Operand.Value value) return value.value().type().name();
        if (operand instanceof Operand.Size) return "N";
        return null;
    }

    static Syntax unwrap(Syntax syntax) {
        while (syntax instanceof Syntax.ParensSyntax parens) syntax = parens.inner();
        return syntax;
    }

    /** Not in a KeyConditionExpression, which DynamoDB takes with doubled parentheses (the dynamodb-conformance suite). */
    private void redundantParentheses() {
        if (kind.equals("KeyConditionExpression")) return;
        expressionProblems.report(Problem.REDUNDANT_PARENTHESES, "The expression has redundant parentheses;");
    }

    private void misusedFunction(String name) {
        expressionProblems.report(Problem.MISUSED_FUNCTION,
                "The function is not allowed to be used this way in an expression; function: " + name);
    }

    /** A constant as DynamoDB prints it in BETWEEN errors: "N:5", "S:abc". */
    private static String typed(AttributeValue value) {
        String text = switch (value.type()) {
            case S -> ((AttributeValue.StringValue) value).value();
            case N -> ((AttributeValue.NumberValue) value).canonical();
            case B -> ((AttributeValue.BinaryValue) value).value().toBase64();
            default -> String.valueOf(value);
        };
        return value.type() + ":" + text;
    }
}
