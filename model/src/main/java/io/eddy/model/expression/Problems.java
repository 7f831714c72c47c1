package io.eddy.model.expression;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/** Collects the first message of each {@link Problem} kind found while checking an expression. */
final class Problems {
    private final Map<Problem, String> first = new EnumMap<>(Problem.class);

    void report(Problem problem, String message) {
        first.putIfAbsent(problem, message);
    }

    boolean isEmpty() {
        return first.isEmpty();
    }

    /** The message of the highest-priority kind present, priorities given highest first. */
    Optional<String> first(Problem... priority) {
        for (Problem problem : priority) {
            String message = first.get(problem);
            if (message != null) return Optional.of(message);
        }
        return Optional.empty();
    }

    /** Where a problem found in a shared helper (such as path resolution) should be reported. */
    @FunctionalInterface
    interface Sink {
        void report(Problem problem, String message);
    }
}
