package io.eddy.model.partiql;

import io.eddy.model.AttributeType;
import io.eddy.model.AttributeValue;
import io.eddy.model.AttributeValueOrder;
import io.eddy.model.DynamoException;
import io.eddy.model.KeySchema;
import io.eddy.model.expression.Comparator;
import io.eddy.model.expression.Condition;
import io.eddy.model.expression.Operand;
import io.eddy.model.query.KeyOperator;
import io.eddy.model.query.KeyTerm;
import io.eddy.model.query.QuerySchema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a WHERE clause says about the key: the conditions joined by its top-level ANDs that pin a
 * key attribute to a value ({@code pk = 'a'}) or bound a sort key. A statement's whole condition
 * is still evaluated against each item; these only decide which items are read.
 */
public final class WhereKeys {

    private WhereKeys() {}

    /**
     * The key of the one item an UPDATE, DELETE, EXISTS or single-item SELECT names.
     *
     * @throws DynamoException ValidationException when a key attribute has no equality, or two
     */
    public static Map<String, AttributeValue> itemKey(Condition where, KeySchema schema) {
        Map<String, AttributeValue> key = new LinkedHashMap<>();
        List<String> names = new ArrayList<>(List.of(schema.partitionKey().name()));
        schema.sortKey().ifPresent(sort -> names.add(sort.name()));
        for (String name : names) {
            List<AttributeValue> values = equalities(where, name);
            if (values.isEmpty()) throw DynamoException.validation(PartiqlParser.INCOMPLETE_KEY);
            if (values.size() > 1) {
                throw DynamoException.validation("Multiple conditions on same key " + name
                        + ". Only single item Update/Insert/Delete are supported");
            }
            key.put(name, values.get(0));
        }
        return key;
    }

    /**
     * The condition without the equalities {@link #itemKey} took the key from: what must still hold
     * of the item; empty when the WHERE names nothing but the key.
     */
    public static Optional<Condition> withoutKeyEqualities(Condition where, KeySchema schema) {
        Optional<Condition> rest = Optional.empty();
        for (Condition conjunct : conjuncts(where)) {
            boolean keyEquality = conjunct instanceof Condition.Compare compare && compare.comparator() == Comparator.EQ
                    && (isKeyPath(compare.left(), schema) && compare.right() instanceof Operand.Value
                    || isKeyPath(compare.right(), schema) && compare.left() instanceof Operand.Value);
            if (!keyEquality) rest = Optional.of(rest.<Condition>map(before -> new Condition.And(before, conjunct)).orElse(conjunct));
        }
        return rest;
    }

    private static boolean isKeyPath(Operand operand, KeySchema schema) {
        return operand instanceof Operand.Path path && path.path().isTopLevel() && schema.isKeyAttribute(path.path().attribute());
    }

    /** Whether the condition pins every key attribute of the schema to one value. */
    public static boolean namesItem(Optional<Condition> where, KeySchema schema) {
        if (where.isEmpty()) return false;
        if (equalities(where.get(), schema.partitionKey().name()).size() != 1) return false;
        return schema.sortKey().map(sort -> equalities(where.get(), sort.name()).size() == 1).orElse(true);
    }

    /**
     * The key conditions of a Query that reads what a SELECT's condition can match: an equality
     * on every partition attribute of the table or index and, if the condition bounds the first
     * sort attribute, that bound. Empty when some partition attribute has no single equality,
     * which leaves a scan.
     */
    public static Optional<List<KeyTerm>> queryTerms(Optional<Condition> where, QuerySchema schema) {
        if (where.isEmpty()) return Optional.empty();
        List<KeyTerm> terms = new ArrayList<>();
        for (KeySchema.KeyAttribute partition : schema.partitionKeys()) {
            List<AttributeValue> values = equalities(where.get(), partition.name());
            if (values.size() != 1) return Optional.empty();
            terms.add(new KeyTerm(partition.name(), KeyOperator.EQ, values));
        }
        sortBound(where.get(), schema).ifPresent(terms::add);
        return Optional.of(terms);
    }

    /**
     * The Queries, one per partition in key order, that read what a SELECT's condition can match
     * when it pins the partition key to one value ({@link #queryTerms}) or to a few: with
     * {@code pk IN [...]} or an OR whose every branch pins it. Values of another type than the
     * key's match nothing and are left out. Empty when the condition leaves a scan.
     *
     * @throws DynamoException ValidationException for more than {@link #MAX_PARTITION_READS} partitions
     */
    public static Optional<List<List<KeyTerm>>> partitionReads(Optional<Condition> where, QuerySchema schema) {
        Optional<List<KeyTerm>> single = queryTerms(where, schema);
        if (single.isPresent()) return Optional.of(List.of(single.get()));
        if (where.isEmpty() || schema.partitionKeys().size() != 1) return Optional.empty();
        KeySchema.KeyAttribute partition = schema.partitionKeys().get(0);
        Optional<List<AttributeValue>> values = partitionValues(where.get(), partition.name());
        if (values.isEmpty()) return Optional.empty();
        List<AttributeValue> distinct = values.get().stream().filter(value -> value.type() == partition.type()).distinct()
                .sorted(AttributeValueOrder::compare).toList();
        if (distinct.size() > MAX_PARTITION_READS) {
            throw DynamoException.validation("Too many decomposed read operations for a given query.");
        }
        Optional<KeyTerm> bound = sortBound(where.get(), schema);
        List<List<KeyTerm>> reads = new ArrayList<>();
        for (AttributeValue value : distinct) {
            List<KeyTerm> terms = new ArrayList<>(List.of(new KeyTerm(partition.name(), KeyOperator.EQ, List.of(value))));
            bound.ifPresent(terms::add);
            reads.add(terms);
        }
        return Optional.of(reads);
    }

    /** How many partition-key values one SELECT may read (DynamoDB's IN limit on a hash key). */
    public static final int MAX_PARTITION_READS = 50;

    /** The partition-key values of a conjunct {@code pk IN [...]}, or of an OR whose every branch pins the key. */
    private static Optional<List<AttributeValue>> partitionValues(Condition where, String partition) {
        for (Condition conjunct : conjuncts(where)) {
            List<AttributeValue> values = new ArrayList<>();
            List<Condition> branches = new ArrayList<>();
            collect(conjunct, true, branches);
            boolean pinned = true;
            for (Condition branch : branches) {
                List<AttributeValue> pinnedTo = inValues(branch, partition).orElse(equalities(branch, partition));
                if (pinnedTo.size() == 1 || branch instanceof Condition.In && !pinnedTo.isEmpty()) {
                    values.addAll(pinnedTo);
                } else {
                    pinned = false;
                    break;
                }
            }
            if (pinned && !values.isEmpty()) return Optional.of(values);
        }
        return Optional.empty();
    }

    /** The candidates of {@code pk IN [...]} when all are values. */
    private static Optional<List<AttributeValue>> inValues(Condition condition, String attribute) {
        if (!(condition instanceof Condition.In in) || !(in.value() instanceof Operand.Path path) || !path.path().isTopLevel()
                || !path.path().attribute().equals(attribute)) {
            return Optional.empty();
        }
        List<AttributeValue> values = new ArrayList<>();
        for (Operand candidate : in.candidates()) {
            if (!(candidate instanceof Operand.Value value)) return Optional.empty();
            values.add(value.value());
        }
        return Optional.of(values);
    }


    /** A bound on the first sort attribute among the top-level conjuncts, of the key's type. */
    private static Optional<KeyTerm> sortBound(Condition where, QuerySchema schema) {
        if (schema.sortKeys().isEmpty()) return Optional.empty();
        KeySchema.KeyAttribute sort = schema.sortKeys().get(0);
        // A bound of another type than the sort key's, or begins_with on a number, is left to the filter.
        return conjuncts(where).stream().map(condition -> sortTerm(condition, sort.name())).flatMap(Optional::stream)
                .filter(term -> term.values().stream().allMatch(value -> value.type() == sort.type()))
                .filter(term -> term.operator() != KeyOperator.BEGINS_WITH || sort.type() != AttributeType.N)
                .findFirst();
    }

    /** The values the top-level conjuncts set the attribute equal to. */
    static List<AttributeValue> equalities(Condition where, String attribute) {
        List<AttributeValue> values = new ArrayList<>();
        for (Condition condition : conjuncts(where)) {
            if (condition instanceof Condition.Compare compare && compare.comparator() == Comparator.EQ) {
                valueAgainst(compare.left(), compare.right(), attribute).ifPresent(values::add);
                valueAgainst(compare.right(), compare.left(), attribute).ifPresent(values::add);
            }
        }
        return values;
    }

    /** The conditions the top-level ANDs join. */
    static List<Condition> conjuncts(Condition where) {
        List<Condition> conjuncts = new ArrayList<>();
        collect(where, false, conjuncts);
        return conjuncts;
    }

    /** The conditions the top-level ORs (or ANDs) join. */
    private static void collect(Condition condition, boolean ors, List<Condition> into) {
        if (!ors && condition instanceof Condition.And and) {
            collect(and.left(), false, into);
            collect(and.right(), false, into);
        } else if (ors && condition instanceof Condition.Or or) {
            collect(or.left(), true, into);
            collect(or.right(), true, into);
        } else {
            into.add(condition);
        }
    }

    /** The value of {@code other} when {@code side} is the top-level attribute and {@code other} a value. */
    private static Optional<AttributeValue> valueAgainst(Operand side, Operand other, String attribute) {
        if (side instanceof Operand.Path path && path.path().isTopLevel() && path.path().attribute().equals(attribute)
                && other instanceof Operand.Value value) {
            return Optional.of(value.value());
        }
        return Optional.empty();
    }

    private static Optional<KeyTerm> sortTerm(Condition condition, String sort) {
        if (condition instanceof Condition.Compare compare && compare.comparator() != Comparator.NE) {
            Optional<AttributeValue> forward = valueAgainst(compare.left(), compare.right(), sort);
            KeyOperator operator = KeyOperator.of(compare.comparator());
            if (forward.isPresent()) return Optional.of(new KeyTerm(sort, operator, List.of(forward.get())));
            return valueAgainst(compare.right(), compare.left(), sort)
                    .map(value -> new KeyTerm(sort, operator.mirrored(), List.of(value)));
        }
        if (condition instanceof Condition.Between between && between.upper() instanceof Operand.Value upper) {
            return valueAgainst(between.value(), between.lower(), sort)
                    .map(lower -> new KeyTerm(sort, KeyOperator.BETWEEN, List.of(lower, upper.value())));
        }
        if (condition instanceof Condition.BeginsWith begins) {
            return valueAgainst(begins.operand(), begins.prefix(), sort)
                    .map(prefix -> new KeyTerm(sort, KeyOperator.BEGINS_WITH, List.of(prefix)));
        }
        return Optional.empty();
    }
}
