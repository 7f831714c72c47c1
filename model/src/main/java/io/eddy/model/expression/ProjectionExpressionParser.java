package io.eddy.model.expression;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Parses a ProjectionExpression: document paths separated by commas. Besides syntax errors,
 * DynamoDB reports, in this order of priority: a bare reserved word, an undefined
 * {@code #placeholder}, a path deeper than 32, two paths where one contains the other
 * ("overlap", duplicates included) and two paths that disagree on whether a step is a map key or
 * a list index ("conflict").
 */
public final class ProjectionExpressionParser {
    private ProjectionExpressionParser() {}

    private static final String KIND = "ProjectionExpression";
    private static final Problem[] PRIORITY = {
            Problem.RESERVED_WORD, Problem.UNDEFINED_PLACEHOLDER, Problem.PATH_TOO_DEEP, Problem.PATH_OVERLAP,
            Problem.PATH_CONFLICT};

    /** @throws io.eddy.model.DynamoException ValidationException "Invalid ProjectionExpression: …" */
    public static List<DocumentPath> parse(String expression, ExpressionAttributes attributes) {
        ExpressionText.check(expression, KIND);
        List<Syntax.PathSyntax> syntax = paths(new TokenCursor(expression));

        Problems problems = new Problems();
        List<DocumentPath> paths = new ArrayList<>();
        for (Syntax.PathSyntax path : syntax) {
            DocumentPath resolved = PathResolver.resolve(path, attributes, problems::report);
            if (resolved == null) continue;
            for (DocumentPath earlier : paths) checkPair(earlier, resolved, problems);
            paths.add(resolved);
        }
        Optional<String> problem = problems.first(PRIORITY);
        if (problem.isPresent()) throw ExpressionText.invalid(KIND, problem.get());
        return List.copyOf(paths);
    }

    private static List<Syntax.PathSyntax> paths(TokenCursor cursor) {
        List<Syntax.PathSyntax> paths = new ArrayList<>();
        do {
            Syntax.PathSyntax path = PathGrammar.path(cursor);
            if (path == null) throw cursor.syntaxError(KIND);
            paths.add(path);
        } while (cursor.accept(Token.Kind.COMMA));
        if (!cursor.accept(Token.Kind.END)) throw cursor.syntaxError(KIND);
        return paths;
    }

    /**
     * Two paths overlap when one is a prefix of the other; they conflict when, on their common
     * prefix, one has a map key where the other has a list index.
     */
    private static void checkPair(DocumentPath earlier, DocumentPath later, Problems problems) {
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
