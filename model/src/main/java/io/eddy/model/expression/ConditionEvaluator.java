package io.eddy.model.expression;

import io.eddy.model.AttributeValue;
import io.eddy.model.AttributeValueOrder;
import io.eddy.model.ItemSize;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;

/**
 * Evaluates a {@link Condition} against an item with DynamoDB's semantics. Nothing here fails: a
 * missing attribute, a comparison of different types or an ordering of unorderable values just
 * makes that comparison false, except {@code <>}, which holds whenever the operands are not
 * equal, a missing operand included.
 */
public final class ConditionEvaluator {
    private ConditionEvaluator() {}

    /** @param item the item as stored, or an empty map when there is none */
    public static boolean evaluate(Condition condition, Map<String, AttributeValue> item) {
        if (condition instanceof Condition.And and) {
            return evaluate(and.left(), item) && evaluate(and.right(), item);
        }
        if (condition instanceof Condition.Or or) {
            return evaluate(or.left(), item) || evaluate(or.right(), item);
        }
        if (condition instanceof Condition.Not not) {
            return !evaluate(not.condition(), item);
        }
        if (condition instanceof Condition.Compare compare) {
            return compare(compare.comparator(), resolve(compare.left(), item), resolve(compare.right(), item));
        }
        if (condition instanceof Condition.Between between) {
            return between(resolve(between.value(), item), resolve(between.lower(), item), resolve(between.upper(), item));
        }
        if (condition instanceof Condition.In in) {
            Optional<AttributeValue> value = resolve(in.value(), item);
            if (value.isEmpty()) return false;
            return in.candidates().stream().anyMatch(candidate -> value.equals(resolve(candidate, item)));
        }
        if (condition instanceof Condition.AttributeExists exists) {
            return exists.path().get(item).isPresent();
        }
        if (condition instanceof Condition.AttributeNotExists notExists) {
            return notExists.path().get(item).isEmpty();
        }
        if (condition instanceof Condition.AttributeTypeIs typeIs) {
            Optional<AttributeValue> value = resolve(typeIs.operand(), item);
            Optional<AttributeValue> type = resolve(typeIs.type(), item);
            return value.isPresent() && type.isPresent() && type.get() instanceof AttributeValue.StringValue name
                    && value.get().type().name().equals(name.value());
        }
        if (condition instanceof Condition.BeginsWith beginsWith) {
            return beginsWith(resolve(beginsWith.operand(), item), resolve(beginsWith.prefix(), item));
        }
        if (condition instanceof Condition.Contains contains) {
            return contains(resolve(contains.container(), item), resolve(contains.element(), item));
        }
        throw new IllegalStateException("unknown condition " + condition);
    }

    /** The value of an operand for this item, empty when a path is missing or size() has no meaning. */
    public static Optional<AttributeValue> resolve(Operand operand, Map<String, AttributeValue> item) {
        if (operand instanceof Operand.Path path) return path.path().get(item);
        if (operand instanceof Operand.Value value) return Optional.of(value.value());
        if (operand instanceof Operand.Size size) return resolve(size.of(), item).flatMap(ConditionEvaluator::sizeOf);
        throw new IllegalStateException("unknown operand " + operand);
    }

    /**
     * size(): string length in UTF-16 code units (as DynamoDB counts it: "é𝄞" is 3, not its 6
     * UTF-8 bytes; the dynamodb-conformance suite, run against the service), binary length,
     * number of set members, list elements or map entries. Numbers, booleans and nulls have no size.
     */
    private static Optional<AttributeValue> sizeOf(AttributeValue value) {
        long size;
        if (value instanceof AttributeValue.StringValue s) size = s.value().length();
        else if (value instanceof AttributeValue.BinaryValue b) size = b.value().length();
        else if (value instanceof AttributeValue.StringSetValue ss) size = ss.values().size();
        else if (value instanceof AttributeValue.NumberSetValue ns) size = ns.values().size();
        else if (value instanceof AttributeValue.BinarySetValue bs) size = bs.values().size();
        else if (value instanceof AttributeValue.ListValue l) size = l.values().size();
        else if (value instanceof AttributeValue.MapValue m) size = m.values().size();
        else return Optional.empty();
        return Optional.of(AttributeValue.NumberValue.of(BigDecimal.valueOf(size)));
    }

    private static boolean compare(Comparator comparator, Optional<AttributeValue> left, Optional<AttributeValue> right) {
        if (comparator == Comparator.NE) return !(left.isPresent() && left.equals(right));
        if (left.isEmpty() || right.isEmpty()) return false;
        if (comparator == Comparator.EQ) return left.get().equals(right.get());
        if (!orderable(left.get(), right.get())) return false;
        int order = AttributeValueOrder.compare(left.get(), right.get());
        return switch (comparator) {
            case LT -> order < 0;
            case LE -> order <= 0;
            case GT -> order > 0;
            case GE -> order >= 0;
            default -> throw new IllegalStateException(comparator.name());
        };
    }

    private static boolean between(Optional<AttributeValue> value, Optional<AttributeValue> lower,
                                   Optional<AttributeValue> upper) {
        if (value.isEmpty() || lower.isEmpty() || upper.isEmpty()) return false;
        if (!orderable(value.get(), lower.get()) || !orderable(value.get(), upper.get())) return false;
        return AttributeValueOrder.compare(lower.get(), value.get()) <= 0
                && AttributeValueOrder.compare(value.get(), upper.get()) <= 0;
    }

    private static boolean beginsWith(Optional<AttributeValue> value, Optional<AttributeValue> prefix) {
        if (value.isEmpty() || prefix.isEmpty()) return false;
        if (value.get() instanceof AttributeValue.StringValue s && prefix.get() instanceof AttributeValue.StringValue p) {
            return s.value().startsWith(p.value());
        }
        if (value.get() instanceof AttributeValue.BinaryValue b && prefix.get() instanceof AttributeValue.BinaryValue p) {
            return b.value().startsWith(p.value());
        }
        return false;
    }

    /**
     * contains(): a substring of a string, a member of a set (of the element's type), an element of
     * a list, or a byte sequence inside a binary.
     */
    private static boolean contains(Optional<AttributeValue> container, Optional<AttributeValue> element) {
        if (container.isEmpty() || element.isEmpty()) return false;
        AttributeValue c = container.get();
        AttributeValue e = element.get();
        if (c instanceof AttributeValue.StringValue s && e instanceof AttributeValue.StringValue part) {
            return Substrings.contains(s.value(), part.value());
        }
        if (c instanceof AttributeValue.BinaryValue b && e instanceof AttributeValue.BinaryValue part) {
            return Substrings.contains(b.value(), part.value());
        }
        if (c instanceof AttributeValue.StringSetValue ss && e instanceof AttributeValue.StringValue member) {
            return ss.values().contains(member.value());
        }
        if (c instanceof AttributeValue.NumberSetValue ns && e instanceof AttributeValue.NumberValue member) {
            return ns.values().contains(member.value());
        }
        if (c instanceof AttributeValue.BinarySetValue bs && e instanceof AttributeValue.BinaryValue member) {
            return bs.values().contains(member.value());
        }
        if (c instanceof AttributeValue.ListValue list) {
            return list.values().contains(e);
        }
        return false;
    }

    private static boolean orderable(AttributeValue a, AttributeValue b) {
        return a.type() == b.type() && AttributeValueOrder.isOrderable(a.type());
    }
}
