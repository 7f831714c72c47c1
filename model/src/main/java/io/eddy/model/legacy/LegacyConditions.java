package io.eddy.model.legacy;

import com.fasterxml.jackson.databind.JsonNode;
import io.eddy.model.AttributeValue;
import io.eddy.model.AttributeValueJson;
import io.eddy.model.DynamoException;
import io.eddy.model.expression.Comparator;
import io.eddy.model.expression.Condition;
import io.eddy.model.expression.DocumentPath;
import io.eddy.model.expression.Operand;
import io.eddy.model.query.KeyOperator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The legacy conditions Expected (PutItem, UpdateItem, DeleteItem) and QueryFilter / ScanFilter,
 * combined by ConditionalOperator, as the {@link Condition} a ConditionExpression or
 * FilterExpression would give, so one evaluator serves both. The operators mean what their
 * expression counterparts mean, with two differences DynamoDB documents: NOT_CONTAINS is false
 * for a missing attribute (while NE is true), and {@code Exists: false} is attribute_not_exists.
 *
 * <p>The input is the parameter's JSON after the SerializationException pass; each entry is
 * checked and decoded in turn, in DynamoDB's order.
 */
public final class LegacyConditions {
    private LegacyConditions() {}

    /**
     * Expected with its ConditionalOperator (AND when null); empty when Expected is absent or
     * has no entries.
     *
     * @throws DynamoException ValidationException "One or more parameter values were invalid: …"
     *         for an entry whose members do not go together, a bad value, or values the
     *         ComparisonOperator does not take; for a ConditionalOperator without two entries
     */
    public static Optional<Condition> expected(JsonNode expected, String conditionalOperator) {
        List<Condition> conditions = new ArrayList<>();
        if (expected != null) {
            for (Map.Entry<String, JsonNode> entry : expected.properties()) {
                conditions.add(expectedEntry(entry.getKey(), entry.getValue()));
            }
        }
        return combine(conditions, conditionalOperator);
    }

    /**
     * QueryFilter or ScanFilter with its ConditionalOperator; each entry's ComparisonOperator has
     * already been checked against the enum.
     */
    public static Optional<Condition> filter(JsonNode filter, String conditionalOperator) {
        List<Condition> conditions = new ArrayList<>();
        if (filter != null) {
            for (Map.Entry<String, JsonNode> entry : filter.properties()) {
                JsonNode condition = entry.getValue();
                KeyOperator operator = KeyOperator.valueOf(condition.get("ComparisonOperator").textValue());
                List<AttributeValue> values = values(condition.get("AttributeValueList"));
                conditions.add(comparison(entry.getKey(), operator, values));
            }
        }
        return combine(conditions, conditionalOperator);
    }

    private static Condition expectedEntry(String attribute, JsonNode entry) {
        if (entry == null || entry.isNull()) {
            throw DynamoException.invalidParameter("ExpectedAttributeValue must not be null for Attribute: " + attribute);
        }
        String operatorName = present(entry, "ComparisonOperator") ? entry.get("ComparisonOperator").textValue() : null;
        Boolean exists = present(entry, "Exists") ? entry.get("Exists").booleanValue() : null;
        boolean hasValue = present(entry, "Value");
        boolean hasList = present(entry, "AttributeValueList");
        if (exists != null && operatorName != null) {
            throw DynamoException.invalidParameter("Exists and ComparisonOperator cannot be used together for Attribute: " + attribute);
        }
        if (hasValue && hasList) {
            throw DynamoException.invalidParameter("Value and AttributeValueList cannot be used together for Attribute: " + attribute);
        }
        if (operatorName == null && hasList) {
            throw DynamoException.invalidParameter(
                    "AttributeValueList can only be used with a ComparisonOperator for Attribute: " + attribute);
        }
        if (Boolean.FALSE.equals(exists) && hasValue) {
            throw DynamoException.invalidParameter("Value cannot be used when Exists is false for Attribute: " + attribute);
        }
        if (!hasValue && !hasList) {
            if (operatorName != null && !operatorName.equals("NULL") && !operatorName.equals("NOT_NULL")) {
                throw DynamoException.invalidParameter("Value or AttributeValueList must be used with ComparisonOperator: "
                        + operatorName + " for Attribute: " + attribute);
            }
            if (operatorName == null && !Boolean.FALSE.equals(exists)) {
                throw DynamoException.invalidParameter("Value must be provided when Exists is " + exists + " for Attribute: " + attribute);
            }
        }
        Optional<AttributeValue> value = hasValue ? Optional.of(AttributeValueJson.readOperand(entry.get("Value"))) : Optional.empty();
        List<AttributeValue> list = values(entry.get("AttributeValueList"));
        if (operatorName != null) {
            return comparison(attribute, KeyOperator.valueOf(operatorName), value.map(List::of).orElse(list));
        }
        DocumentPath path = DocumentPath.of(attribute);
        return value.<Condition>map(v -> new Condition.Compare(Comparator.EQ, new Operand.Path(path), new Operand.Value(null, v)))
                .orElseGet(() -> new Condition.AttributeNotExists(path));
    }

    /** One attribute compared by a ComparisonOperator. */
    private static Condition comparison(String attribute, KeyOperator operator, List<AttributeValue> values) {
        ComparisonArguments.check(operator, values, ComparisonArguments.conditionTypes(operator));
        DocumentPath path = DocumentPath.of(attribute);
        Operand.Path subject = new Operand.Path(path);
        List<Operand> operands = new ArrayList<>();
        for (AttributeValue value : values) operands.add(new Operand.Value(null, value));
        return switch (operator) {
            case EQ -> new Condition.Compare(Comparator.EQ, subject, operands.get(0));
            case NE -> new Condition.Compare(Comparator.NE, subject, operands.get(0));
            case LE -> new Condition.Compare(Comparator.LE, subject, operands.get(0));
            case LT -> new Condition.Compare(Comparator.LT, subject, operands.get(0));
            case GE -> new Condition.Compare(Comparator.GE, subject, operands.get(0));
            case GT -> new Condition.Compare(Comparator.GT, subject, operands.get(0));
            case NULL -> new Condition.AttributeNotExists(path);
            case NOT_NULL -> new Condition.AttributeExists(path);
            case CONTAINS -> new Condition.Contains(subject, operands.get(0));
            // Unlike NOT contains(), NOT_CONTAINS does not hold for a missing attribute.
            case NOT_CONTAINS -> new Condition.And(new Condition.AttributeExists(path),
                    new Condition.Not(new Condition.Contains(subject, operands.get(0))));
            case BEGINS_WITH -> new Condition.BeginsWith(subject, operands.get(0));
            case IN -> new Condition.In(subject, operands);
            case BETWEEN -> new Condition.Between(subject, operands.get(0), operands.get(1));
        };
    }

    /**
     * The conditions joined by ConditionalOperator, which DynamoDB allows only between two or more
     * of them.
     */
    private static Optional<Condition> combine(List<Condition> conditions, String conditionalOperator) {
        if (conditionalOperator != null) {
            if (conditions.isEmpty()) throw DynamoException.validation("ConditionalOperator cannot be used without Filter or Expected");
            if (conditions.size() == 1) {
                throw DynamoException.validation("ConditionalOperator can only be used when Filter or Expected has two or more elements");
            }
        }
        if (conditions.isEmpty()) return Optional.empty();
        return Optional.of(joined(conditions, 0, conditions.size(), "OR".equals(conditionalOperator)));
    }

    /**
     * The conditions from {@code from} to {@code to} joined as a balanced tree: nothing limits how
     * many entries Expected or a filter has, and a chain as deep as they are many (thousands, in a
     * request of a few hundred KB) overflowed the stack of the evaluator walking it. AND and OR are
     * associative and have no side effects, so the shape changes nothing else.
     */
    private static Condition joined(List<Condition> conditions, int from, int to, boolean or) {
        if (to - from == 1) return conditions.get(from);
        int middle = (from + to) >>> 1;
        Condition left = joined(conditions, from, middle, or);
        Condition right = joined(conditions, middle, to, or);
        return or ? new Condition.Or(left, right) : new Condition.And(left, right);
    }

    private static List<AttributeValue> values(JsonNode list) {
        List<AttributeValue> values = new ArrayList<>();
        if (list != null && !list.isNull()) for (JsonNode value : list) values.add(AttributeValueJson.readOperand(value));
        return values;
    }

    private static boolean present(JsonNode entry, String member) {
        JsonNode node = entry.get(member);
        return node != null && !node.isNull();
    }
}
