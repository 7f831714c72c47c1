package io.eddy.model.partiql;

import io.eddy.model.AttributeType;
import io.eddy.model.AttributeValue;
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
        if (!schema.sortKeys().isEmpty()) {
            KeySchema.KeyAttribute sort = schema.sortKeys().get(0);
            // A bound of another type than the sort key's, or begins_with on a number, is left to the filter.
            conjuncts(where.get()).stream().map(condition -> sortTerm(condition, sort.name())).flatMap(Optional::stream)
                    .filter(term -> term.values().stream().allMatch(value -> value.type() == sort.type()))
                    .filter(term -> term.operator() != KeyOperator.BEGINS_WITH || sort.type() != AttributeType.N)
                    .findFirst().ifPresent(terms::add);
        }
        return Optional.of(terms);
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
        collect(where, conjuncts);
        return conjuncts;
    }

    private static void collect(Condition condition, List<Condition> into) {
        if (condition instanceof Condition.And and) {
            collect(and.left(), into);
            collect(and.right(), into);
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
