package io.eddy.model.expression;

import io.eddy.model.AttributeValue;
import io.eddy.model.Bytes;
import io.eddy.model.DynamoException;
import io.eddy.model.DynamoNumbers;
import io.eddy.model.ItemSize;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Applies an {@link Update} to an item with DynamoDB's semantics:
 *
 * <ul>
 *   <li>every SET value is computed from the item as it was before the update, before anything
 *       is written;</li>
 *   <li>list indexes name positions in the list as it was: {@code REMOVE a[1] SET a[3] = :v}
 *       replaces the old fourth element, which ends up third; a SET past the end of a list
 *       appends, several such SETs in index order; a REMOVE past the end does nothing;</li>
 *   <li>the parent of every written path must exist and be a map (for {@code .name}) or a list
 *       (for {@code [i]}), except that REMOVE on an item that does not exist does nothing;</li>
 *   <li>the result is refused when it nests deeper than 32 levels or exceeds 400 KB.</li>
 * </ul>
 *
 * Pure: the same update on the same item gives the same result, which is what lets it run inside
 * the partition and again in the gateway to work out ReturnValues.
 */
public final class UpdateEvaluator {
    private UpdateEvaluator() {}

    static final String MISSING_ATTRIBUTE = "The provided expression refers to an attribute that does not exist in the item";
    static final String INVALID_PATH = "The document path provided in the update expression is invalid for update";
    static final String NESTING = "Nesting Levels have exceeded supported limits";
    static final String TOO_LARGE = "Item size to update has exceeded the maximum allowed size";

    /** A level of the item may hold values at most this deep (the attribute itself is level 1). */
    private static final int MAX_DEPTH = 32;

    /**
     * The item after the update, and whether there is one to store: an update that only removes
     * (REMOVE, or DELETE from a set) does not create an item that does not exist, as any other
     * update does, even one with no actions (ScyllaDB's Alternator tests, recorded from DynamoDB).
     */
    public record Result(Map<String, AttributeValue> item, boolean creates, long size) {
        public Result {
            item = Collections.unmodifiableMap(new LinkedHashMap<>(item));
        }

        /** What the update leaves stored: the item, or none when it only removed from an item that did not exist. */
        public Optional<Map<String, AttributeValue>> stored() {
            return creates ? Optional.of(item) : Optional.empty();
        }
    }

    /**
     * @param key     the item's primary key, which a new item starts from
     * @param current the item as stored, empty when there is none
     * @throws DynamoException ValidationException for a path to a missing attribute in a SET
     *         value, an operand of the wrong type, an invalid document path, a number out of
     *         range, or a result too deep or too large
     */
    public static Result apply(Update update, Map<String, AttributeValue> key, Optional<Map<String, AttributeValue>> current) {
        Map<String, AttributeValue> before = current.orElse(key);
        List<Target> targets = new ArrayList<>(update.actions().size());
        for (UpdateAction action : update.actions()) targets.add(new Target(action, operand(action, before)));
        Evaluation evaluation = new Evaluation(update.source(), current.isPresent());
        Map<String, AttributeValue> after = new LinkedHashMap<>(before);
        evaluation.children(after, targets, 0);
        checkDepth(after, targets);
        long size = ItemSize.of(after);
        if (size > ItemSize.MAX_ITEM_SIZE) throw DynamoException.validation(TOO_LARGE);
        return new Result(after, current.isPresent() || !onlyRemoves(update), size);
    }

    private static boolean onlyRemoves(Update update) {
        if (update.actions().isEmpty()) return false;
        for (UpdateAction action : update.actions()) {
            if (!(action instanceof UpdateAction.RemoveAction || action instanceof UpdateAction.DeleteAction)) return false;
        }
        return true;
    }

    /**
     * UpdateItem's own 400 KB check, stricter than every other write's (captured from DynamoDB by
     * the dynamodb-conformance suite, 2026-08; no documented basis): besides the finished item,
     * DynamoDB measures what the statement writes, the top-level attributes its actions name as
     * they end up, plus 3 bytes and a fixed cost per action (19 for SET or ADD, one more through a
     * list index, 2 for REMOVE or DELETE), whatever the values, names or aliases. So the key and
     * the attributes an update leaves alone are out of the figure. Transactions and PartiQL
     * measure the finished item only.
     *
     * @throws DynamoException "Item size to update has exceeded the maximum allowed size"
     */
    public static void checkStandaloneSize(Update update, Result result) {
        // What the statement writes is part of the item: far enough below the limit, nothing to measure.
        if (result.size() + 3 + 20L * update.actions().size() <= ItemSize.MAX_ITEM_SIZE) return;
        Map<String, AttributeValue> after = result.item();
        long cost = 3;
        Set<String> written = new HashSet<>();
        for (UpdateAction action : update.actions()) {
            written.add(action.path().attribute());
            boolean sets = action instanceof UpdateAction.SetAction || action instanceof UpdateAction.AddAction;
            List<DocumentPath.Element> elements = action.path().elements();
            cost += sets ? 19 + (elements.get(elements.size() - 1) instanceof DocumentPath.Index ? 1 : 0) : 2;
        }
        long bytes = cost;
        for (String name : written) {
            AttributeValue value = after.get(name);
            if (value != null) bytes += ItemSize.of(Map.of(name, value));
        }
        if (bytes > ItemSize.MAX_ITEM_SIZE) throw DynamoException.validation(TOO_LARGE);
    }

    /** An action and the value it brings: the SET value computed from the old item, or ADD's and DELETE's operand. */
    private record Target(UpdateAction action, AttributeValue operand) {
        DocumentPath.Element elementAt(int index) {
            return action.path().elements().get(index);
        }

        boolean endsAt(int depth) {
            return action.path().depth() == depth;
        }
    }

    private static AttributeValue operand(UpdateAction action, Map<String, AttributeValue> before) {
        if (action instanceof UpdateAction.SetAction set) return value(set.value(), before);
        if (action instanceof UpdateAction.AddAction add) return add.value();
        if (action instanceof UpdateAction.DeleteAction delete) return delete.value();
        if (action instanceof UpdateAction.RemoveAction) return null;
        throw new IllegalStateException("unknown action " + action);
    }

    /** A SET value, computed from the item before the update. */
    private static AttributeValue value(SetValue value, Map<String, AttributeValue> item) {
        if (value instanceof SetValue.Constant constant) return constant.value();
        if (value instanceof SetValue.Read read) {
            return read.path().get(item).orElseThrow(() -> DynamoException.validation(MISSING_ATTRIBUTE));
        }
        if (value instanceof SetValue.IfNotExists ifNotExists) {
            Optional<AttributeValue> existing = ifNotExists.path().get(item);
            return existing.isPresent() ? existing.get() : value(ifNotExists.fallback(), item);
        }
        if (value instanceof SetValue.ListAppend append) {
            AttributeValue first = value(append.first(), item);
            AttributeValue second = value(append.second(), item);
            if (!(first instanceof AttributeValue.ListValue a) || !(second instanceof AttributeValue.ListValue b)) {
                throw DynamoException.validation(Update.Source.UPDATE_EXPRESSION.typeMismatch());
            }
            List<AttributeValue> joined = new ArrayList<>(a.values());
            joined.addAll(b.values());
            return new AttributeValue.ListValue(joined);
        }
        if (value instanceof SetValue.Plus plus) {
            return AttributeValue.NumberValue.of(DynamoNumbers.add(number(plus.left(), item), number(plus.right(), item)));
        }
        if (value instanceof SetValue.Minus minus) {
            return AttributeValue.NumberValue.of(DynamoNumbers.subtract(number(minus.left(), item), number(minus.right(), item)));
        }
        throw new IllegalStateException("unknown value " + value);
    }

    private static BigDecimal number(SetValue operand, Map<String, AttributeValue> item) {
        if (value(operand, item) instanceof AttributeValue.NumberValue n) return n.value();
        throw DynamoException.validation(Update.Source.UPDATE_EXPRESSION.typeMismatch());
    }

    /** The values of one application: where each target lands and what it leaves there. */
    private record Evaluation(Update.Source source, boolean itemExists) {

        /**
         * Applies the targets to the children of a map (the item itself at depth 0), grouped by
         * the element at {@code depth}.
         */
        void children(Map<String, AttributeValue> entries, List<Target> targets, int depth) {
            Map<String, List<Target>> byName = new LinkedHashMap<>();
            for (Target target : targets) {
                String name = ((DocumentPath.Name) target.elementAt(depth)).name();
                byName.computeIfAbsent(name, n -> new ArrayList<>()).add(target);
            }
            for (Map.Entry<String, List<Target>> group : byName.entrySet()) {
                AttributeValue child = node(entries.get(group.getKey()), group.getValue(), depth + 1);
                if (child == null) entries.remove(group.getKey());
                else entries.put(group.getKey(), child);
            }
        }

        /**
         * The new value at a path prefix of length {@code depth} ({@code current} null when
         * absent); null when removed.
         */
        private AttributeValue node(AttributeValue current, List<Target> targets, int depth) {
            Target first = targets.get(0);
            if (first.endsAt(depth)) {
                if (targets.size() > 1) throw new IllegalStateException("overlapping update paths reached the evaluator");
                return terminal(current, first);
            }
            if (first.elementAt(depth) instanceof DocumentPath.Name) {
                if (!(current instanceof AttributeValue.MapValue map)) return missingParent(current, targets);
                Map<String, AttributeValue> entries = new LinkedHashMap<>(map.values());
                children(entries, targets, depth);
                return new AttributeValue.MapValue(entries);
            }
            if (!(current instanceof AttributeValue.ListValue list)) return missingParent(current, targets);
            return elements(list.values(), targets, depth);
        }

        /**
         * A list: elements are addressed by their position before the update; removed ones close
         * up, and writes past the end are appended in index order.
         */
        private AttributeValue elements(List<AttributeValue> old, List<Target> targets, int depth) {
            TreeMap<Integer, List<Target>> byIndex = new TreeMap<>();
            for (Target target : targets) {
                int index = ((DocumentPath.Index) target.elementAt(depth)).index();
                byIndex.computeIfAbsent(index, i -> new ArrayList<>()).add(target);
            }
            List<AttributeValue> slots = new ArrayList<>(old);
            List<AttributeValue> appended = new ArrayList<>();
            for (Map.Entry<Integer, List<Target>> group : byIndex.entrySet()) {
                int index = group.getKey();
                if (index < old.size()) {
                    slots.set(index, node(old.get(index), group.getValue(), depth + 1));
                } else {
                    AttributeValue added = node(null, group.getValue(), depth + 1);
                    if (added != null) appended.add(added);
                }
            }
            slots.addAll(appended);
            slots.removeIf(java.util.Objects::isNull);
            return new AttributeValue.ListValue(slots);
        }

        /** A path through an absent value or a value of the wrong kind. */
        private AttributeValue missingParent(AttributeValue current, List<Target> targets) {
            boolean onlyRemovals = targets.stream().allMatch(t -> t.action() instanceof UpdateAction.RemoveAction);
            if (!itemExists && onlyRemovals) return current;
            throw DynamoException.validation(INVALID_PATH);
        }

        private AttributeValue terminal(AttributeValue current, Target target) {
            UpdateAction action = target.action();
            if (action instanceof UpdateAction.SetAction) return target.operand();
            if (action instanceof UpdateAction.RemoveAction) return null;
            if (action instanceof UpdateAction.AddAction) return add(current, target.operand());
            if (action instanceof UpdateAction.DeleteAction) return current == null ? null : delete(current, target.operand());
            throw new IllegalStateException("unknown action " + action);
        }

        private AttributeValue add(AttributeValue current, AttributeValue operand) {
            if (current == null) return operand;
            if (current instanceof AttributeValue.NumberValue a && operand instanceof AttributeValue.NumberValue b) {
                return AttributeValue.NumberValue.of(DynamoNumbers.add(a.value(), b.value()));
            }
            if (current instanceof AttributeValue.StringSetValue a && operand instanceof AttributeValue.StringSetValue b) {
                return new AttributeValue.StringSetValue(union(a.values(), b.values()));
            }
            if (current instanceof AttributeValue.NumberSetValue a && operand instanceof AttributeValue.NumberSetValue b) {
                return new AttributeValue.NumberSetValue(union(a.values(), b.values()));
            }
            if (current instanceof AttributeValue.BinarySetValue a && operand instanceof AttributeValue.BinarySetValue b) {
                return new AttributeValue.BinarySetValue(union(a.values(), b.values()));
            }
            // Only AttributeUpdates can ADD a list; the expression parser refuses a list operand.
            if (current instanceof AttributeValue.ListValue a && operand instanceof AttributeValue.ListValue b) {
                List<AttributeValue> joined = new ArrayList<>(a.values());
                joined.addAll(b.values());
                return new AttributeValue.ListValue(joined);
            }
            throw DynamoException.validation(source.typeMismatch());
        }

        /** The set left after removing the operand's members; null when none is left. */
        private AttributeValue delete(AttributeValue current, AttributeValue operand) {
            if (current instanceof AttributeValue.StringSetValue a && operand instanceof AttributeValue.StringSetValue b) {
                Set<String> left = difference(a.values(), b.values());
                return left.isEmpty() ? null : new AttributeValue.StringSetValue(left);
            }
            if (current instanceof AttributeValue.NumberSetValue a && operand instanceof AttributeValue.NumberSetValue b) {
                Set<BigDecimal> left = difference(a.values(), b.values());
                return left.isEmpty() ? null : new AttributeValue.NumberSetValue(left);
            }
            if (current instanceof AttributeValue.BinarySetValue a && operand instanceof AttributeValue.BinarySetValue b) {
                Set<Bytes> left = difference(a.values(), b.values());
                return left.isEmpty() ? null : new AttributeValue.BinarySetValue(left);
            }
            throw DynamoException.validation(source.typeMismatch());
        }
    }

    private static <T> Set<T> union(Set<T> a, Set<T> b) {
        Set<T> union = new LinkedHashSet<>(a);
        union.addAll(b);
        return union;
    }

    private static <T> Set<T> difference(Set<T> a, Set<T> b) {
        Set<T> left = new LinkedHashSet<>(a);
        left.removeAll(b);
        return left;
    }

    /** Only the attributes an action wrote can have grown deeper. */
    private static void checkDepth(Map<String, AttributeValue> item, List<Target> targets) {
        Set<String> checked = new HashSet<>();
        for (Target target : targets) {
            String attribute = target.action().path().attribute();
            AttributeValue value = item.get(attribute);
            if (checked.add(attribute) && value != null && depth(value) > MAX_DEPTH) throw DynamoException.validation(NESTING);
        }
    }

    /**
     * @throws DynamoException when a value of the item nests deeper than DynamoDB allows (a PartiQL
     *         INSERT can build one from literals and parameters)
     */
    public static void checkNesting(Map<String, AttributeValue> item) {
        for (AttributeValue value : item.values()) {
            if (depth(value) > MAX_DEPTH) throw DynamoException.validation(NESTING);
        }
    }

    /** 1 for a scalar or an empty document; one more than the deepest element otherwise. */
    private static int depth(AttributeValue value) {
        int deepest = 0;
        if (value instanceof AttributeValue.MapValue map) {
            for (AttributeValue child : map.values().values()) deepest = Math.max(deepest, depth(child));
        } else if (value instanceof AttributeValue.ListValue list) {
            for (AttributeValue child : list.values()) deepest = Math.max(deepest, depth(child));
        }
        return 1 + deepest;
    }
}
