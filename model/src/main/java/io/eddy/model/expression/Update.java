package io.eddy.model.expression;

import io.eddy.model.ItemSize;
import java.util.ArrayList;
import java.util.List;

/**
 * What UpdateItem changes in an item: the actions of an UpdateExpression or of the legacy
 * AttributeUpdates, all evaluated against the item as it was before the update and applied
 * together by {@link UpdateEvaluator}. {@code source} decides the wording of type errors, which
 * differs between the two parameters.
 */
public record Update(List<UpdateAction> actions, Source source) {

    public Update {
        actions = List.copyOf(actions);
    }

    /** An UpdateItem without UpdateExpression or AttributeUpdates: it only creates the item. */
    public static final Update NONE = new Update(List.of(), Source.UPDATE_EXPRESSION);

    /** The request parameter an update came from. */
    public enum Source {
        UPDATE_EXPRESSION("An operand in the update expression has an incorrect data type"),
        ATTRIBUTE_UPDATES("Type mismatch for attribute to update");

        private final String typeMismatch;

        Source(String typeMismatch) {
            this.typeMismatch = typeMismatch;
        }

        /** DynamoDB's message when ADD or DELETE meets an attribute of another type. */
        public String typeMismatch() {
            return typeMismatch;
        }
    }

    /** The paths the actions write, in action order. */
    public List<DocumentPath> paths() {
        List<DocumentPath> paths = new ArrayList<>(actions.size());
        for (UpdateAction action : actions) paths.add(action.path());
        return paths;
    }

    /** The paths the SET actions' values read ({@code SET a = b + :v}, {@code if_not_exists(c, :d)}), in action order. */
    public List<DocumentPath> readPaths() {
        List<DocumentPath> paths = new ArrayList<>();
        for (UpdateAction action : actions) {
            if (action instanceof UpdateAction.SetAction set) collectReads(set.value(), paths);
        }
        return paths;
    }

    private static void collectReads(SetValue value, List<DocumentPath> paths) {
        if (value instanceof SetValue.Read read) {
            paths.add(read.path());
        } else if (value instanceof SetValue.IfNotExists ifNotExists) {
            paths.add(ifNotExists.path());
            collectReads(ifNotExists.fallback(), paths);
        } else if (value instanceof SetValue.ListAppend append) {
            collectReads(append.first(), paths);
            collectReads(append.second(), paths);
        } else if (value instanceof SetValue.Plus plus) {
            collectReads(plus.left(), paths);
            collectReads(plus.right(), paths);
        } else if (value instanceof SetValue.Minus minus) {
            collectReads(minus.left(), paths);
            collectReads(minus.right(), paths);
        }
    }

    /**
     * The bytes of the values the actions carry (SET's constants, ADD's and DELETE's values): with
     * the key, what an update adds to a transaction's 4 MB, since the item it will write is not
     * known before it is applied.
     */
    public long valueBytes() {
        long bytes = 0;
        for (UpdateAction action : actions) {
            if (action instanceof UpdateAction.SetAction set) bytes += valueBytes(set.value());
            else if (action instanceof UpdateAction.AddAction add) bytes += ItemSize.of(add.value());
            else if (action instanceof UpdateAction.DeleteAction delete) bytes += ItemSize.of(delete.value());
        }
        return bytes;
    }

    private static long valueBytes(SetValue value) {
        if (value instanceof SetValue.Constant constant) return ItemSize.of(constant.value());
        if (value instanceof SetValue.IfNotExists ifNotExists) return valueBytes(ifNotExists.fallback());
        if (value instanceof SetValue.ListAppend append) return valueBytes(append.first()) + valueBytes(append.second());
        if (value instanceof SetValue.Plus plus) return valueBytes(plus.left()) + valueBytes(plus.right());
        if (value instanceof SetValue.Minus minus) return valueBytes(minus.left()) + valueBytes(minus.right());
        return 0;
    }
}
