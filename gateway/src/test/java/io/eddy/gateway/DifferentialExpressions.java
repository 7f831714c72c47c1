package io.eddy.gateway;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Random condition, projection and update expressions with their placeholder maps, mostly valid
 * and sometimes broken in the ways clients break them (undefined or unused placeholders, bare
 * reserved words, syntax errors, bad function arguments), so both servers' errors are compared too.
 *
 * <p>Comparisons never put a document path on both sides: when both attributes are missing,
 * dynalite treats them as equal values, which DynamoDB does not document, so dynalite is no
 * reference there. Where dynalite has a known bug the generator steers around it (see TYPES and contains).
 */
final class DifferentialExpressions {

    record Expression(String text, Map<String, String> names, Map<String, AttributeValue> values) {}

    private static final List<String> COMPARATORS = List.of("=", "<>", "<", "<=", ">", ">=");
    /** Not BOOL: dynalite's attribute_type is false for {"BOOL": false} (a dynalite bug; Eddy's unit tests cover it). */
    private static final List<String> TYPES = List.of("S", "N", "B", "SS", "NS", "BS", "L", "M", "NULL");

    private final DifferentialValues random;
    private Map<String, String> names;
    /** Top-level names an update has written so far: actions mostly write distinct attributes, so most updates are valid. */
    private java.util.Set<String> targets = new java.util.HashSet<>();
    /** The top-level attributes this update's SET values read, which its ADD and DELETE leave alone. */
    private java.util.Set<String> sources = new java.util.HashSet<>();
    private Map<String, AttributeValue> values;
    /** Numbers value placeholders across expressions, so one request's expressions never share one. */
    private int nextValue;

    DifferentialExpressions(DifferentialValues random) {
        this.random = random;
    }

    Expression condition() {
        start();
        return finish(condition(0));
    }

    Expression projection() {
        start();
        List<String> paths = new ArrayList<>();
        for (int i = random.between(1, 3); i > 0; i--) paths.add(path());
        return finish(String.join(", ", paths));
    }

    Expression update() {
        start();
        targets = new java.util.HashSet<>();
        sources = new java.util.HashSet<>();
        List<String> clauses = new ArrayList<>();
        if (random.chance(0.7)) clauses.add("SET " + actions(this::setAction));
        // Top-level only: on an item that does not exist DynamoDB ignores REMOVE x.y and REMOVE x[0]
        // (ScyllaDB's tests record it from DynamoDB), while dynalite refuses them.
        if (random.chance(0.3)) clauses.add("REMOVE " + actions(() -> topLevelTarget()));
        // ADD and DELETE leave the SET sources alone: dynalite changes a set in place, so a SET that
        // copied it (by reference) would show the change, where DynamoDB reads the item as it was.
        if (random.chance(0.25)) clauses.add("ADD " + actions(() -> target(sources) + " " + value(random.chance(0.6) ? random.number() : random.set())));
        if (random.chance(0.2)) clauses.add("DELETE " + actions(() -> target(sources) + " " + value(random.set())));
        // Something set or added: an update that only removes does not create a missing item in DynamoDB
        // (ScyllaDB's tests record it from DynamoDB), while dynalite creates the key alone.
        if (clauses.stream().noneMatch(clause -> clause.startsWith("SET ") || clause.startsWith("ADD "))) clauses.add("SET " + setAction());
        java.util.Collections.shuffle(clauses, new java.util.Random(random.between(0, 1 << 20)));
        return finish(String.join(" ", clauses));
    }

    private void start() {
        names = new LinkedHashMap<>();
        values = new LinkedHashMap<>();
    }

    private Expression finish(String text) {
        if (random.chance(0.12)) return broken(text);
        return new Expression(text, names, values);
    }

    private Expression broken(String text) {
        switch (random.between(0, 6)) {
            case 0 -> values.put(":unused", random.string());
            case 1 -> names.put("#unused", "a");
            case 2 -> {
                if (!values.isEmpty()) values.remove(values.keySet().iterator().next());
                else text = text + " AND :missing = a";
            }
            case 3 -> text = text + " AND";
            case 4 -> text = "attribute_exists(name) AND (" + text + ")";
            case 5 -> text = "(" + text;
            default -> text = "";
        }
        return new Expression(text, names, values);
    }

    private String actions(java.util.function.Supplier<String> action) {
        List<String> out = new ArrayList<>();
        for (int i = random.between(1, 2); i > 0; i--) out.add(action.get());
        return String.join(", ", out);
    }

    /**
     * A SET action. Its source paths never share a top-level attribute with this update's targets,
     * nor its target with earlier sources: dynalite copies by reference, so {@code SET a.x = a}
     * makes a cyclic item and crashes it, and {@code SET a = b, b.x = :v} changes a too.
     */
    private String setAction() {
        String target = target(sources);
        java.util.function.Supplier<String> source = () -> path(targets);
        return switch (random.between(0, 5)) {
            case 0, 1 -> target + " = " + value(random.any(1));
            case 2 -> target + " = " + (random.chance(0.5) ? source.get() : "if_not_exists(" + source.get() + ", " + value(random.number()) + ")")
                    + (random.chance(0.5) ? " + " : " - ") + value(random.number());
            case 3 -> target + " = if_not_exists(" + source.get() + ", " + value(random.any(1)) + ")";
            case 4 -> target + " = list_append(" + (random.chance(0.5) ? source.get() + ", " + value(random.list(0))
                    : value(random.list(0)) + ", " + source.get()) + ")";
            default -> target + " = " + source.get();
        };
    }

    private String condition(int depth) {
        double r = random.between(0, 99) / 100.0;
        if (depth < 2 && r < 0.25) return condition(depth + 1) + (random.chance(0.5) ? " AND " : " OR ") + condition(depth + 1);
        // Not NOT NOT: dynalite refuses it, where DynamoDB (and Eddy) take it.
        if (depth < 2 && r < 0.32) {
            String negated = condition(depth + 1);
            return negated.startsWith("NOT ") ? "NOT (" + negated + ")" : "NOT " + negated;
        }
        if (depth < 2 && r < 0.40) return "(" + condition(depth + 1) + ")";
        return atom();
    }

    private String atom() {
        return switch (random.between(0, 9)) {
            case 0, 1 -> random.chance(0.8) ? path() + " " + random.pick(COMPARATORS) + " " + value(random.scalar())
                    : value(random.scalar()) + " " + random.pick(COMPARATORS) + " " + path();
            case 2 -> path() + " BETWEEN " + value(random.scalar()) + " AND " + value(random.scalar());
            case 3 -> {
                List<String> in = new ArrayList<>();
                for (int i = random.between(1, 4); i > 0; i--) in.add(value(random.scalar()));
                yield path() + " IN (" + String.join(", ", in) + ")";
            }
            case 4 -> "attribute_exists(" + path() + ")";
            case 5 -> "attribute_not_exists(" + path() + ")";
            case 6 -> "attribute_type(" + path() + ", " + value(AttributeValue.fromS(random.chance(0.95) ? random.pick(TYPES) : "X")) + ")";
            // An ASCII binary prefix: dynalite compares binaries as decoded UTF-8 text, so bytes that
            // are not UTF-8 all read as U+FFFD and "begin" any other such bytes.
            case 7 -> "begins_with(" + path() + ", " + value(random.chance(0.8) ? random.string() : random.asciiBinary()) + ")";
            // Not binary: dynalite compares binaries as decoded UTF-8 text, so any two invalid sequences "contain" each other.
            case 8 -> "contains(" + path() + ", " + value(random.chance(0.5) ? random.string() : random.number()) + ")";
            default -> "size(" + path() + ") " + random.pick(COMPARATORS) + " " + value(random.number());
        };
    }

    private String value(AttributeValue v) {
        String placeholder = ":v" + nextValue++;
        values.put(placeholder, v);
        return placeholder;
    }

    /** The path an update action writes: usually under a top-level name no earlier action of this update wrote. */
    private String target() {
        return target(java.util.Set.of());
    }

    /** As {@link #target()}, under a top-level name not in {@code avoid} when one is left. */
    private String target(java.util.Set<String> avoid) {
        StringBuilder path = new StringBuilder(topLevelTarget(avoid));
        if (random.chance(0.3)) {
            if (random.chance(0.5)) path.append('.').append(name(random.pick(DifferentialValues.NESTED_NAMES)));
            else path.append('[').append(random.between(0, 3)).append(']');
        }
        return path.toString();
    }

    private String topLevelTarget() {
        return topLevelTarget(java.util.Set.of());
    }

    private String topLevelTarget(java.util.Set<String> avoid) {
        List<String> allowed = DifferentialValues.TOP_NAMES.stream().filter(n -> !avoid.contains(n)).toList();
        if (allowed.isEmpty()) allowed = DifferentialValues.TOP_NAMES;
        List<String> free = allowed.stream().filter(n -> !targets.contains(n)).toList();
        String top = free.isEmpty() || random.chance(0.05) ? random.pick(allowed) : random.pick(free);
        targets.add(top);
        return name(top);
    }

    /** A document path: a top-level name (bare or as a #placeholder), then up to two map or list steps. */
    private String path() {
        return path(java.util.Set.of());
    }

    /** A document path whose top-level attribute is not in {@code avoid}, when one is left. */
    private String path(java.util.Set<String> avoid) {
        List<String> tops = DifferentialValues.TOP_NAMES.stream().filter(n -> !avoid.contains(n)).toList();
        if (tops.isEmpty()) tops = DifferentialValues.TOP_NAMES;
        String top = random.pick(tops);
        sources.add(top);
        StringBuilder path = new StringBuilder(name(top));
        for (int steps = random.chance(0.6) ? 0 : random.between(1, 2); steps > 0; steps--) {
            if (random.chance(0.5)) path.append('.').append(name(random.pick(DifferentialValues.NESTED_NAMES)));
            else path.append('[').append(random.between(0, 3)).append(']');
        }
        return path.toString();
    }

    private String name(String name) {
        if (!random.chance(0.3)) return name;
        String placeholder = "#" + name;
        names.put(placeholder, name);
        return placeholder;
    }
}
