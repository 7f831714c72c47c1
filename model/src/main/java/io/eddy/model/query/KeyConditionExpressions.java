package io.eddy.model.query;

import io.eddy.model.AttributeValue;
import io.eddy.model.DynamoException;
import io.eddy.model.expression.Comparator;
import io.eddy.model.expression.Condition;
import io.eddy.model.expression.Operand;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reduces a parsed KeyConditionExpression to {@link KeyTerm}s, refusing what a key condition cannot
 * be, with DynamoDB's messages. These checks need no table: conditions joined by AND only, each a
 * comparison, BETWEEN or begins_with of one top-level attribute against values, at most one per
 * attribute. Which attributes are keys, and how many conditions the key schema takes, is checked
 * later ({@link QueryKeys}).
 */
public final class KeyConditionExpressions {
    private KeyConditionExpressions() {}

    /** @throws DynamoException ValidationException for anything but a conjunction of simple key conditions */
    public static List<KeyTerm> terms(Condition condition) {
        Map<String, KeyTerm> terms = new LinkedHashMap<>();
        collect(condition, terms);
        // How many conditions a Query may have depends on the key schema it reads (QueryKeys checks).
        return List.copyOf(terms.values());
    }

    private static void collect(Condition condition, Map<String, KeyTerm> terms) {
        if (condition instanceof Condition.And and) {
            collect(and.left(), terms);
            collect(and.right(), terms);
            return;
        }
        KeyTerm term = term(condition);
        if (terms.containsKey(term.attribute())) {
            throw DynamoException.validation("Invalid KeyConditionExpression: KeyConditionExpressions must only contain one condition per key");
        }
        terms.put(term.attribute(), term);
    }

    private static KeyTerm term(Condition condition) {
        if (condition instanceof Condition.Compare compare) {
            if (compare.comparator() == Comparator.NE) throw invalidOperator("<>");
            return keyTerm(KeyOperator.of(compare.comparator()), List.of(compare.left(), compare.right()));
        }
        if (condition instanceof Condition.Between between) {
            requireKeyFirst("BETWEEN", between.value());
            return keyTerm(KeyOperator.BETWEEN, List.of(between.value(), between.lower(), between.upper()));
        }
        if (condition instanceof Condition.BeginsWith beginsWith) {
            requireKeyFirst("begins_with", beginsWith.operand());
            return keyTerm(KeyOperator.BEGINS_WITH, List.of(beginsWith.operand(), beginsWith.prefix()));
        }
        throw invalidOperator(operatorName(condition));
    }

    /**
     * The one attribute among the operands and the values compared with it. An attribute on the
     * right of a comparison ({@code :v < sk}) turns the comparison around ({@code sk > :v}).
     */
    private static KeyTerm keyTerm(KeyOperator operator, List<Operand> operands) {
        String attribute = null;
        int attributeAt = -1;
        List<AttributeValue> values = new ArrayList<>();
        for (int i = 0; i < operands.size(); i++) {
            Operand operand = operands.get(i);
            if (operand instanceof Operand.Path path) {
                if (attribute != null) {
                    throw invalidCondition("Multiple attribute names used in one condition");
                }
                if (!path.path().isTopLevel()) {
                    throw DynamoException.validation("Invalid KeyConditionExpression: KeyConditionExpressions cannot have conditions on nested attributes");
                }
                attribute = path.path().attribute();
                attributeAt = i;
            } else if (operand instanceof Operand.Size) {
                throw DynamoException.validation("KeyConditionExpressions cannot contain nested operations");
            } else {
                values.add(((Operand.Value) operand).value());
            }
        }
        if (attribute == null) throw invalidCondition("No key attribute specified");
        return new KeyTerm(attribute, attributeAt == 0 ? operator : operator.mirrored(), values);
    }

    private static void requireKeyFirst(String operator, Operand first) {
        if (!(first instanceof Operand.Path)) {
            throw invalidCondition(operator + " operator must have the key attribute as its first operand");
        }
    }

    /** How DynamoDB names an operator a key condition cannot use. */
    private static String operatorName(Condition condition) {
        if (condition instanceof Condition.Or) return "OR";
        if (condition instanceof Condition.Not) return "NOT";
        if (condition instanceof Condition.In) return "IN";
        if (condition instanceof Condition.AttributeExists) return "attribute_exists";
        if (condition instanceof Condition.AttributeNotExists) return "attribute_not_exists";
        if (condition instanceof Condition.AttributeTypeIs) return "attribute_type";
        if (condition instanceof Condition.Contains) return "contains";
        throw new IllegalStateException("unknown condition " + condition);
    }

    private static DynamoException invalidOperator(String operator) {
        return DynamoException.validation("Invalid operator used in KeyConditionExpression: " + operator);
    }

    private static DynamoException invalidCondition(String detail) {
        return DynamoException.validation("Invalid condition in KeyConditionExpression: " + detail);
    }
}
