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
            for (DocumentPath earlier : paths) PathOverlaps.check(earlier, resolved, problems::report);
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
}
