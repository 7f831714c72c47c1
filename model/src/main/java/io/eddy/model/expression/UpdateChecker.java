package io.eddy.model.expression;

import io.eddy.model.AttributeType;
import io.eddy.model.AttributeValue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The semantic pass over a parsed UpdateExpression: resolves placeholders, checks clauses, paths,
 * functions and operand types, and builds the {@link Update}. DynamoDB reports one problem by
 * kind: a reserved word, an unknown function (or a condition function), a clause used twice, an
 * undefined name, an undefined value, a path too deep, overlapping paths, conflicting paths, an
 * ADD or DELETE operand of the wrong type, and last the first function or operator with a
 * problem of its own (operand count, a document path required, operand types, a nested
 * list_append).
 */
final class UpdateChecker {

    /** The functions of update expressions and their operand counts. */
    private static final Map<String, Integer> FUNCTIONS = Map.of("if_not_exists", 2, "list_append", 2);
    /** Condition functions, which an update expression names with a message of their own. */
    private static final Set<String> CONDITION_FUNCTIONS = Set.of(
            "attribute_exists", "attribute_not_exists", "attribute_type", "begins_with", "contains", "size");

    private static final Set<AttributeType> ADD_TYPES = EnumSet.of(AttributeType.N, AttributeType.SS, AttributeType.NS, AttributeType.BS);
    private static final Set<AttributeType> DELETE_TYPES = EnumSet.of(AttributeType.SS, AttributeType.NS, AttributeType.BS);

    private static final Problem[] PRIORITY = {
            Problem.RESERVED_WORD, Problem.UNKNOWN_FUNCTION, Problem.DUPLICATE_SECTION, Problem.UNDEFINED_PLACEHOLDER,
            Problem.UNDEFINED_VALUE, Problem.PATH_TOO_DEEP, Problem.PATH_OVERLAP, Problem.PATH_CONFLICT,
            Problem.ACTION_OPERAND_TYPE};

    private final ExpressionAttributes attributes;
    private final Problems problems = new Problems();
    /** The first function or operator (innermost first, then in text order) with a problem of its own. */
    private String firstFunctionProblem;

    UpdateChecker(ExpressionAttributes attributes) {
        this.attributes = attributes;
    }

    Update check(List<UpdateExpressionParser.Clause> clauses) {
        Set<String> seen = new HashSet<>();
        List<UpdateAction> actions = new ArrayList<>();
        List<DocumentPath> paths = new ArrayList<>();
        for (UpdateExpressionParser.Clause clause : clauses) {
            for (UpdateExpressionParser.Action action : clause.actions()) {
                DocumentPath path = PathResolver.resolve(action.path(), attributes, problems::report);
                UpdateAction built = action(clause.keyword(), path, action.value());
                if (path == null) continue;
                for (DocumentPath earlier : paths) PathOverlaps.check(earlier, path, problems::report);
                paths.add(path);
                if (built != null) actions.add(built);
            }
            // DynamoDB notices the repeated clause once the clause is read, after its actions.
            if (!seen.add(clause.keyword())) {
                problems.report(Problem.DUPLICATE_SECTION,
                        "The \"" + clause.keyword() + "\" section can only be used once in an update expression;");
            }
        }
        Optional<String> problem = problems.first(PRIORITY);
        if (problem.isEmpty() && firstFunctionProblem != null) problem = Optional.of(firstFunctionProblem);
        if (problem.isPresent()) throw ExpressionText.invalid(UpdateExpressionParser.KIND, problem.get());
        return new Update(actions, Update.Source.UPDATE_EXPRESSION);
    }

    /** The action, or null when a part of it did not resolve (the problem is then reported). */
    private UpdateAction action(String keyword, DocumentPath path, Syntax value) {
        switch (keyword) {
            case "SET" -> {
                SetValue setValue = setValue(value, false);
                return path == null || setValue == null ? null : new UpdateAction.SetAction(path, setValue);
            }
            case "REMOVE" -> {
                return path == null ? null : new UpdateAction.RemoveAction(path);
            }
            default -> {
                AttributeValue operand = value(((Syntax.ValueSyntax) value).placeholder());
                if (operand != null) checkActionOperand(keyword, operand);
                if (path == null || operand == null) return null;
                return keyword.equals("ADD") ? new UpdateAction.AddAction(path, operand) : new UpdateAction.DeleteAction(path, operand);
            }
        }
    }

    private void checkActionOperand(String keyword, AttributeValue operand) {
        Set<AttributeType> allowed = keyword.equals("ADD") ? ADD_TYPES : DELETE_TYPES;
        if (allowed.contains(operand.type())) return;
        problems.report(Problem.ACTION_OPERAND_TYPE, "Incorrect operand type for operator or function; operator: "
                + keyword + ", operand type: " + typeWord(operand.type()) + ", typeSet: ALLOWED_FOR_" + keyword + "_OPERAND");
    }

    /**
     * A SET value or function argument; null when something in it did not resolve.
     *
     * @param inListAppend whether the value is an argument of list_append, where another
     *                     list_append is not allowed
     */
    private SetValue setValue(Syntax syntax, boolean inListAppend) {
        if (syntax instanceof Syntax.ParensSyntax parens) return setValue(parens.inner(), inListAppend);
        if (syntax instanceof Syntax.PathSyntax path) {
            DocumentPath resolved = PathResolver.resolve(path, attributes, problems::report);
            return resolved == null ? null : new SetValue.Read(resolved);
        }
        if (syntax instanceof Syntax.ValueSyntax value) {
            AttributeValue resolved = value(value.placeholder());
            return resolved == null ? null : new SetValue.Constant(value.placeholder(), resolved);
        }
        if (syntax instanceof Syntax.ArithmeticSyntax arithmetic) {
            SetValue left = setValue(arithmetic.left(), false);
            SetValue right = setValue(arithmetic.right(), false);
            String operator = arithmetic.plus() ? "+" : "-";
            checkConstantType(operator, left, AttributeType.N);
            checkConstantType(operator, right, AttributeType.N);
            if (left == null || right == null) return null;
            return arithmetic.plus() ? new SetValue.Plus(left, right) : new SetValue.Minus(left, right);
        }
        if (syntax instanceof Syntax.CallSyntax call) return function(call, inListAppend);
        throw new IllegalStateException("not an update operand: " + syntax);
    }

    private SetValue function(Syntax.CallSyntax call, boolean inListAppend) {
        String name = call.name();
        boolean listAppend = name.equals("list_append");
        List<SetValue> arguments = new ArrayList<>();
        for (Syntax argument : call.arguments()) arguments.add(setValue(argument, listAppend));
        Integer operandCount = FUNCTIONS.get(name);
        if (operandCount == null) {
            problems.report(Problem.UNKNOWN_FUNCTION, CONDITION_FUNCTIONS.contains(name)
                    ? "The function is not allowed in an update expression; function: " + name
                    : "Invalid function name; function: " + name);
            return null;
        }
        if (operandCount != arguments.size()) {
            functionProblem("Incorrect number of operands for operator or function; operator or function: "
                    + name + ", number of operands: " + arguments.size());
            return null;
        }
        if (listAppend && inListAppend) {
            functionProblem("The function is not allowed to be used this way in an expression; function: " + name);
        }
        if (name.equals("if_not_exists")) {
            if (!(ConditionChecker.unwrap(call.arguments().get(0)) instanceof Syntax.PathSyntax)) {
                functionProblem("Operator or function requires a document path; operator or function: " + name);
                return null;
            }
            if (arguments.contains(null)) return null;
            return new SetValue.IfNotExists(((SetValue.Read) arguments.get(0)).path(), arguments.get(1));
        }
        checkConstantType(name, arguments.get(0), AttributeType.L);
        checkConstantType(name, arguments.get(1), AttributeType.L);
        if (arguments.contains(null)) return null;
        return new SetValue.ListAppend(arguments.get(0), arguments.get(1));
    }

    /** A constant operand of another type than the operator takes; paths and function results are checked when applied. */
    private void checkConstantType(String operator, SetValue operand, AttributeType expected) {
        if (operand instanceof SetValue.Constant constant && constant.value().type() != expected) {
            functionProblem("Incorrect operand type for operator or function; operator or function: "
                    + operator + ", operand type: " + constant.value().type());
        }
    }

    private AttributeValue value(String placeholder) {
        Optional<AttributeValue> resolved = attributes.value(placeholder);
        if (resolved.isEmpty()) {
            problems.report(Problem.UNDEFINED_VALUE,
                    "An expression attribute value used in expression is not defined; attribute value: " + placeholder);
            return null;
        }
        return resolved.get();
    }

    private void functionProblem(String message) {
        if (firstFunctionProblem == null) firstFunctionProblem = message;
    }

    /** The names ADD and DELETE errors give types: STRING, not S. */
    private static String typeWord(AttributeType type) {
        return switch (type) {
            case S -> "STRING";
            case N -> "NUMBER";
            case B -> "BINARY";
            case SS -> "STRING SET";
            case NS -> "NUMBER SET";
            case BS -> "BINARY SET";
            case M -> "MAP";
            case L -> "LIST";
            case BOOL -> "BOOLEAN";
            case NULL -> "NULL";
        };
    }
}
