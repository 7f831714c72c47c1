package io.eddy.model.partiql;

import io.eddy.model.AttributeValue;
import io.eddy.model.expression.Condition;
import io.eddy.model.expression.DocumentPath;
import io.eddy.model.expression.UpdateAction;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed PartiQL statement with its parameters already bound: the conditions are the condition
 * expressions' nodes and the values are attribute values, so statements are evaluated by the same
 * code as the expression parameters.
 */
public sealed interface Statement {

    /** The table the statement reads or writes. */
    String table();

    /** Whether the statement reads (SELECT) rather than writes (INSERT, UPDATE, DELETE, EXISTS). */
    default boolean isRead() {
        return this instanceof Select;
    }

    /**
     * {@code SELECT projection FROM table[.index] [WHERE condition] [ORDER BY key [ASC|DESC], …]}.
     *
     * @param projection empty for {@code *}
     */
    record Select(String table, Optional<String> index, Optional<List<DocumentPath>> projection,
                  Optional<Condition> where, List<OrderKey> orderBy) implements Statement {
        public Select {
            projection = projection.map(List::copyOf);
            orderBy = List.copyOf(orderBy);
        }
    }

    /** {@code INSERT INTO table VALUE item}: fails when an item with the same key exists. */
    record Insert(String table, Map<String, AttributeValue> item) implements Statement {
        public Insert {
            item = Map.copyOf(item);
        }
    }

    /**
     * {@code UPDATE table SET path = value … REMOVE path … WHERE condition [RETURNING …]}: the
     * condition names the whole key and must hold for the item, which must exist.
     */
    record Update(String table, List<UpdateAction> actions, Condition where, Returning returning) implements Statement {
        public Update {
            actions = List.copyOf(actions);
        }

        /** The actions as UpdateItem evaluates them. */
        public io.eddy.model.expression.Update update() {
            return new io.eddy.model.expression.Update(actions, io.eddy.model.expression.Update.Source.UPDATE_EXPRESSION);
        }
    }

    /**
     * {@code DELETE FROM table WHERE condition [RETURNING ALL OLD *]}: the condition names the whole
     * key; deleting an item that does not exist succeeds and changes nothing.
     */
    record Delete(String table, Condition where, Returning returning) implements Statement {}

    /** {@code EXISTS(SELECT … WHERE key and condition)}: ExecuteTransaction's condition check. */
    record Exists(Select select) implements Statement {
        @Override
        public String table() {
            return select.table();
        }
    }

    /** One key of ORDER BY. */
    record OrderKey(String attribute, boolean descending) {}

    /** What an UPDATE or DELETE returns of the item ({@code RETURNING ALL OLD *} and so on). */
    enum Returning {
        NONE, ALL_OLD, MODIFIED_OLD, ALL_NEW, MODIFIED_NEW;

        /** The ReturnValues value of UpdateItem that asks for the same attributes. */
        public String returnValues() {
            return switch (this) {
                case NONE -> "NONE";
                case ALL_OLD -> "ALL_OLD";
                case MODIFIED_OLD -> "UPDATED_OLD";
                case ALL_NEW -> "ALL_NEW";
                case MODIFIED_NEW -> "UPDATED_NEW";
            };
        }
    }
}
