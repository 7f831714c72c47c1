package io.eddy.model.expression;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The rule that the paths of one projection or one update must be independent: two paths
 * overlap when one is a prefix of the other (identical paths included), and conflict when, on
 * their common prefix, one has a map key where the other has a list index.
 */
public final class PathOverlaps {
    private PathOverlaps() {}

    /**
     * The message for the first path of {@code paths} that is not independent of an earlier one,
     * as an UpdateExpression or ProjectionExpression reports it; empty when they are independent.
     */
    public static Optional<String> firstProblem(List<DocumentPath> paths) {
        List<String> found = new ArrayList<>(1);
        for (int later = 1; later < paths.size() && found.isEmpty(); later++) {
            for (int earlier = 0; earlier < later && found.isEmpty(); earlier++) {
                check(paths.get(earlier), paths.get(later), (problem, message) -> found.add(message));
            }
        }
        return found.stream().findFirst();
    }

    /** Reports PATH_OVERLAP or PATH_CONFLICT for {@code later} against {@code earlier}, if they are not independent. */
    static void check(DocumentPath earlier, DocumentPath later, Problems.Sink problems) {
        List<DocumentPath.Element> a = earlier.elements();
        List<DocumentPath.Element> b = later.elements();
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            if (a.get(i).getClass() != b.get(i).getClass()) {
                problems.report(Problem.PATH_CONFLICT, "Two document paths conflict with each other; "
                        + "must remove or rewrite one of these paths; path one: " + earlier + ", path two: " + later);
                return;
            }
            if (!a.get(i).equals(b.get(i))) return;
        }
        problems.report(Problem.PATH_OVERLAP, "Two document paths overlap with each other; "
                + "must remove or rewrite one of these paths; path one: " + earlier + ", path two: " + later);
    }
}
