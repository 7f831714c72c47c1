package io.eddy.model.expression;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns a parsed path into a {@link DocumentPath}: resolves {@code #placeholders} (marking them
 * used), and reports bare reserved words, undefined placeholders and paths deeper than 32.
 */
final class PathResolver {
    private PathResolver() {}

    /** The resolved path, or null when a placeholder is undefined (which is then reported). */
    static DocumentPath resolve(Syntax.PathSyntax syntax, ExpressionAttributes attributes, Problems.Sink sink) {
        List<DocumentPath.Element> elements = new ArrayList<>();
        boolean resolved = true;
        for (Syntax.Step step : syntax.steps()) {
            if (step instanceof Syntax.IndexStep index) {
                elements.add(new DocumentPath.Index(index.index()));
                continue;
            }
            Syntax.NameStep name = (Syntax.NameStep) step;
            if (!name.placeholder()) {
                if (ReservedWords.isReserved(name.text())) {
                    sink.report(Problem.RESERVED_WORD,
                            "Attribute name is a reserved keyword; reserved keyword: " + name.text());
                }
                elements.add(new DocumentPath.Name(name.text()));
                continue;
            }
            Optional<String> actual = attributes.name(name.text());
            if (actual.isEmpty()) {
                sink.report(Problem.UNDEFINED_PLACEHOLDER,
                        "An expression attribute name used in the document path is not defined; attribute name: "
                                + name.text());
                resolved = false;
            } else {
                elements.add(new DocumentPath.Name(actual.get()));
            }
        }
        if (syntax.steps().size() > DocumentPath.MAX_DEPTH) {
            sink.report(Problem.PATH_TOO_DEEP,
                    "The document path has too many nesting levels; nesting levels: " + syntax.steps().size());
        }
        return resolved ? new DocumentPath(elements) : null;
    }
}
