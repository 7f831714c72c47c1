package io.eddy.gateway;

import io.eddy.model.AttributeValue;
import io.eddy.model.DynamoException;
import io.eddy.model.ErrorCode;
import io.eddy.model.ItemKeys;
import io.eddy.model.ItemSize;
import io.eddy.model.TableMetadata;
import io.eddy.model.expression.Update;
import io.eddy.model.expression.UpdateEvaluator;
import io.eddy.model.partiql.Statement;
import io.eddy.model.partiql.WhereKeys;
import io.eddy.shards.ItemReply;
import io.eddy.shards.ItemUpdate;
import java.util.Map;
import java.util.Optional;

/**
 * A PartiQL INSERT, UPDATE, DELETE or EXISTS as a write of one item: its table, its key and what it
 * does to the item, decided in the item's partition against the item as stored, as PutItem,
 * UpdateItem, DeleteItem and a transaction's ConditionCheck decide it.
 *
 * <ul>
 *   <li>INSERT fails with DuplicateItemException when the key is taken;</li>
 *   <li>UPDATE's WHERE names the key and must hold, so the item must exist;</li>
 *   <li>DELETE's WHERE, but for its key equalities, must hold of an item that exists; a DELETE of a
 *       missing item does nothing and succeeds, whatever else its WHERE says;</li>
 *   <li>EXISTS changes nothing; its WHERE must hold.</li>
 * </ul>
 */
record PartiqlWrite(TableMetadata table, Map<String, AttributeValue> key, ItemUpdate update, Statement statement) {

    static final String DUPLICATE_ITEM = "Duplicate primary key exists in table";

    /** @throws DynamoException ValidationException when the statement does not name one item of the table */
    static PartiqlWrite of(Statement statement, TableMetadata table, boolean returnItemOnFailure) {
        if (statement instanceof Statement.Insert insert) {
            Map<String, AttributeValue> item = insert.item();
            Map<String, AttributeValue> key = ItemKeys.keyOfItem(item, table.keySchema());
            ItemKeys.checkItemSize(item);
            UpdateEvaluator.checkNesting(item);
            return new PartiqlWrite(table, key, current -> {
                if (current.isPresent()) throw new DynamoException(ErrorCode.DuplicateItemException, DUPLICATE_ITEM);
                ItemKeys.checkIndexKeys(item, current, table);
                return Optional.of(item);
            }, statement);
        }
        if (statement instanceof Statement.Exists exists) {
            if (exists.select().index().isPresent()) throw DynamoException.validation("Operations on indices are not supported in transactions");
            if (!WhereKeys.namesItem(exists.select().where(), table.keySchema())) {
                throw DynamoException.validation("EXISTS() must contain a single item read with additional condition");
            }
        }
        Map<String, AttributeValue> key = PartiqlRequests.itemKey(statement, table);
        if (statement instanceof Statement.Update update) {
            Update change = update.update();
            UpdateItemOperation.checkKeyUntouched(change, table.keySchema());
            WriteCondition condition = new WriteCondition(Optional.of(update.where()), returnItemOnFailure);
            return new PartiqlWrite(table, key, current -> {
                condition.check(current);
                Optional<Map<String, AttributeValue>> updated = UpdateEvaluator.apply(change, key, current).stored();
                updated.ifPresent(item -> ItemKeys.checkUpdatedIndexKeys(item, current, table));
                return updated;
            }, statement);
        }
        if (statement instanceof Statement.Delete delete) {
            // The WHERE without its key equalities is the condition on an item that exists; a missing item is a
            // silent no-op, not a failed condition (Ketlark's conformance suite, run against DynamoDB, 2026).
            WriteCondition condition = new WriteCondition(WhereKeys.withoutKeyEqualities(delete.where(), table.keySchema()),
                    returnItemOnFailure);
            return new PartiqlWrite(table, key, current -> {
                if (current.isEmpty()) return current;
                condition.check(current);
                return Optional.empty();
            }, statement);
        }
        WriteCondition condition = new WriteCondition(((Statement.Exists) statement).select().where(), returnItemOnFailure);
        return new PartiqlWrite(table, key, current -> {
            condition.check(current);
            return current;
        }, statement);
    }

    /** What RETURNING asks for of the written item; nothing for INSERT and EXISTS. */
    Map<String, AttributeValue> returned(ItemReply.Written written) {
        if (statement instanceof Statement.Update update) {
            return UpdateItemOperation.returnedAttributes(update.returning().returnValues(), update.update(), written);
        }
        if (statement instanceof Statement.Delete delete && delete.returning() == Statement.Returning.ALL_OLD) {
            return written.oldImage().orElse(Map.of());
        }
        return Map.of();
    }

    /** The bytes the write adds to a transaction's 4 MB, as TransactWriteItems counts its actions. */
    long size() {
        if (statement instanceof Statement.Insert insert) return ItemSize.of(insert.item());
        long values = statement instanceof Statement.Update update ? update.update().valueBytes() : 0;
        return ItemSize.of(key) + values;
    }
}
