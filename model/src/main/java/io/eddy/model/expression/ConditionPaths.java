package io.eddy.model.expression;

import java.util.ArrayList;
import java.util.List;

/** The document paths a condition reads, in text order (for checks such as "no key attributes in a filter"). */
public final class ConditionPaths {
    private ConditionPaths() {}

    public static List<DocumentPath> of(Condition condition) {
        List<DocumentPath> paths = new ArrayList<>();
        collect(condition, paths);
        return paths;
    }

    private static void collect(Condition condition, List<DocumentPath> paths) {
        if (condition instanceof Condition.And and) {
            collect(and.left(), paths);
            collect(and.right(), paths);
        } else if (condition instanceof Condition.Or or) {
            collect(or.left(), paths);
            collect(or.right(), paths);
        } else if (condition instanceof Condition.Not not) {
            collect(not.condition(), paths);
        } else if (condition instanceof Condition.Compare compare) {
            operands(paths, compare.left(), compare.right());
        } else if (condition instanceof Condition.Between between) {
            operands(paths, between.value(), between.lower(), between.upper());
        } else if (condition instanceof Condition.In in) {
            operands(paths, in.value());
            in.candidates().forEach(candidate -> operands(paths, candidate));
        } else if (condition instanceof Condition.AttributeExists exists) {
            paths.add(exists.path());
        } else if (condition instanceof Condition.AttributeNotExists notExists) {
            paths.add(notExists.path());
        } else if (condition instanceof Condition.AttributeTypeIs typeIs) {
            operands(paths, typeIs.operand(), typeIs.type());
        } else if (condition instanceof Condition.BeginsWith beginsWith) {
            operands(paths, beginsWith.operand(), beginsWith.prefix());
        } else if (condition instanceof Condition.Contains contains) {
            operands(paths, contains.container(), contains.element());
        } else {
            throw new IllegalStateException("unknown condition " + condition);
        }
    }

    private static void operands(List<DocumentPath> paths, Operand... operands) {
        for (Operand operand : operands) {
            if (operand instanceof Operand.Path path) paths.add(path.path());
            else if (operand instanceof Operand.Size size) operands(paths, size.of());
        }
    }
}
