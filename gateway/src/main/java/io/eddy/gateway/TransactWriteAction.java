package io.eddy.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.eddy.model.AttributeValue;
import io.eddy.model.AttributeValueJson;
import io.eddy.model.ItemKeys;
import io.eddy.model.ItemSize;
import io.eddy.model.TableMetadata;
import io.eddy.model.expression.Condition;
import io.eddy.model.expression.ConditionExpressionParser;
import io.eddy.model.expression.ExpressionAttributes;
import io.eddy.model.expression.SetValue;
import io.eddy.model.expression.Update;
import io.eddy.model.expression.UpdateAction;
import io.eddy.model.expression.UpdateEvaluator;
import io.eddy.model.expression.UpdateExpressionParser;
import io.eddy.shards.ItemUpdate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One action of a TransactWriteItems request (ConditionCheck, Put, Delete or Update), read and
 * checked as the single-item operation checks it, with the same messages: placeholders,
 * attribute values, expressions, unused placeholders, a Put's item size.
 *
 * @param attributes the Put's item, or the other actions' Key
 */
record TransactWriteAction(Kind kind, String tableName, Map<String, AttributeValue> attributes,
                           WriteCondition condition, Optional<Update> update) {

    /** The action members of a TransactWriteItem, in the API's order, with their constraint-path names. */
    enum Kind {
        ConditionCheck("conditionCheck"), Put("put"), Delete("delete"), Update("update");

        final String path;

        Kind(String path) {
            this.path = path;
        }

        String attributesField() {
            return this == Put ? "Item" : "Key";
        }
    }

    /** The SerializationException pass over the action's members (others are not read, as DynamoDB ignores them). */
    static void checkShapes(Kind kind, RequestBody action) {
        action.string("TableName");
        action.string("ConditionExpression");
        if (kind == Kind.Update) action.string("UpdateExpression");
        action.string("ReturnValuesOnConditionCheckFailure");
        JsonNode attributes = action.node(kind.attributesField());
        if (attributes != null) AttributeValueJson.checkItemShape(attributes);
        ExpressionAttributes.checkShapes(action.node("ExpressionAttributeNames"), action.node("ExpressionAttributeValues"));
    }

    /** The action's member constraints, at paths like {@code transactItems.1.member.put.tableName}. */
    static void checkConstraints(Constraints c, String path, Kind kind, RequestBody action) {
        c.notNull(path + "." + kind.attributesField().toLowerCase(java.util.Locale.ROOT), action.node(kind.attributesField()));
        c.validTableName(path + ".tableName", action.string("TableName"));
        if (kind == Kind.ConditionCheck) c.notNull(path + ".conditionExpression", action.string("ConditionExpression"));
        if (kind == Kind.Update) c.notNull(path + ".updateExpression", action.string("UpdateExpression"));
        c.oneOf(path + ".returnValuesOnConditionCheckFailure", action.string("ReturnValuesOnConditionCheckFailure"),
                WriteCondition.RETURN_VALUES_ON_FAILURE);
    }

    /**
     * Reads the action, checking it in the single-item operation's order, except that placeholders
     * without any expression are taken, unused, as DynamoDB takes them in a transaction (a 2026
     * test suite run against it).
     */
    static TransactWriteAction parse(Kind kind, RequestBody action) {
        Map<String, AttributeValue> attributes = action.attributeMap(kind.attributesField());
        ExpressionAttributes placeholders = action.expressionAttributes();
        Optional<Update> update = kind == Kind.Update
                ? Optional.of(UpdateExpressionParser.parse(action.string("UpdateExpression"), placeholders))
                : Optional.empty();
        String conditionExpression = action.string("ConditionExpression");
        Optional<Condition> condition = conditionExpression == null ? Optional.empty()
                : Optional.of(ConditionExpressionParser.parse(conditionExpression, "ConditionExpression", placeholders));
        if (update.isPresent() || condition.isPresent()) placeholders.checkAllUsed();
        if (kind == Kind.Put) ItemKeys.checkItemSize(attributes);
        return new TransactWriteAction(kind, action.string("TableName"), attributes,
                WriteCondition.of(condition, action.string("ReturnValuesOnConditionCheckFailure")), update);
    }

    /** The item's primary key under the table's schema. */
    Map<String, AttributeValue> key(TableMetadata table) {
        return kind == Kind.Put ? ItemKeys.keyOfItem(attributes, table.keySchema()) : ItemKeys.validateKey(attributes, table.keySchema());
    }

    /**
     * @throws io.eddy.model.DynamoException when a Put or an Update gives an index key attribute an
     *         empty value: DynamoDB fails the whole request for it rather than cancel the action
     */
    void checkIndexKeyValues(TableMetadata table) {
        if (kind == Kind.Put) ItemKeys.checkNoEmptyIndexKeys(attributes, table, false);
        update.ifPresent(u -> ItemKeys.checkNoEmptyIndexKeys(constantsOfTopLevelSets(u), table, true));
    }

    private static Map<String, AttributeValue> constantsOfTopLevelSets(Update update) {
        Map<String, AttributeValue> values = new HashMap<>();
        for (UpdateAction action : update.actions()) {
            if (action instanceof UpdateAction.SetAction set && set.path().isTopLevel()
                    && set.value() instanceof SetValue.Constant constant) {
                values.put(set.path().attribute(), constant.value());
            }
        }
        return values;
    }

    /** @throws io.eddy.model.DynamoException when an Update writes a key attribute of the table */
    void checkAgainst(TableMetadata table) {
        update.ifPresent(u -> UpdateItemOperation.checkKeyUntouched(u, table.keySchema()));
    }

    /**
     * What the action does to its item, decided against the item as stored when the transaction
     * prepares; a Put or Update also checks the values it gives the table's index key attributes.
     */
    ItemUpdate itemUpdate(Map<String, AttributeValue> key, TableMetadata table) {
        return switch (kind) {
            case ConditionCheck -> current -> {
                condition.check(current);
                return current;
            };
            case Put -> current -> {
                condition.check(current);
                // A Put replaces the whole item, so every index key value it gives is checked, as PutItem
                // checks them: one the item already had may break a key that index added since.
                ItemKeys.checkIndexKeys(attributes, Optional.empty(), table);
                return Optional.of(attributes);
            };
            case Delete -> current -> {
                condition.check(current);
                return Optional.empty();
            };
            case Update -> current -> {
                condition.check(current);
                Optional<Map<String, AttributeValue>> updated = UpdateEvaluator.apply(update.get(), key, current).stored();
                updated.ifPresent(item -> ItemKeys.checkUpdatedIndexKeys(item, current, table));
                return updated;
            };
        };
    }

    /** The bytes the action adds to the transaction's 4 MB: a Put's item, the others' key (and an Update's values). */
    long size() {
        return ItemSize.of(attributes) + update.map(Update::valueBytes).orElse(0L);
    }
}
