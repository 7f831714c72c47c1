package io.eddy.model.legacy;

import com.fasterxml.jackson.databind.JsonNode;
import io.eddy.model.AttributeType;
import io.eddy.model.AttributeValue;
import io.eddy.model.AttributeValueJson;
import io.eddy.model.DynamoException;
import io.eddy.model.ItemSize;
import io.eddy.model.expression.DocumentPath;
import io.eddy.model.expression.SetValue;
import io.eddy.model.expression.Update;
import io.eddy.model.expression.UpdateAction;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The legacy AttributeUpdates parameter as an {@link Update} of top-level attributes: PUT is a
 * SET, DELETE without a value a REMOVE, DELETE with a set a set DELETE, ADD an ADD (which here
 * also appends a list to a list).
 */
public final class LegacyAttributeUpdates {
    private LegacyAttributeUpdates() {}

    private static final Set<AttributeType> ADD_TYPES = EnumSet.of(
            AttributeType.N, AttributeType.SS, AttributeType.NS, AttributeType.BS, AttributeType.L);
    private static final Set<AttributeType> SET_TYPES = EnumSet.of(AttributeType.SS, AttributeType.NS, AttributeType.BS);

    /**
     * @param attributeUpdates the parameter's JSON after the SerializationException pass, each
     *                         Action already checked against the enum; null when absent
     * @throws DynamoException ValidationException "One or more parameter values were invalid: …"
     *         for an action without the value it needs or with a value of a type it does not take
     */
    public static Update parse(JsonNode attributeUpdates) {
        List<UpdateAction> actions = new ArrayList<>();
        if (attributeUpdates == null) return new Update(actions, Update.Source.ATTRIBUTE_UPDATES);
        for (Map.Entry<String, JsonNode> entry : attributeUpdates.properties()) {
            JsonNode update = entry.getValue();
            // DynamoDB skips an entry that is null.
            if (update == null || update.isNull()) continue;
            ItemSize.checkAttributeName(entry.getKey()); // the name it writes is held as an item's are

            JsonNode actionNode = update.get("Action");
            String action = actionNode == null || actionNode.isNull() ? "PUT" : actionNode.textValue();
            JsonNode valueNode = update.get("Value");
            AttributeValue value = valueNode == null || valueNode.isNull() ? null : AttributeValueJson.read(valueNode);
            actions.add(action(DocumentPath.of(entry.getKey()), action, value));
        }
        return new Update(actions, Update.Source.ATTRIBUTE_UPDATES);
    }

    private static UpdateAction action(DocumentPath path, String action, AttributeValue value) {
        if (value == null && !action.equals("DELETE")) {
            throw DynamoException.invalidParameter("Only DELETE action is allowed when no attribute value is specified");
        }
        return switch (action) {
            case "PUT" -> new UpdateAction.SetAction(path, new SetValue.Constant(null, value));
            case "DELETE" -> {
                if (value == null) yield new UpdateAction.RemoveAction(path);
                if (!SET_TYPES.contains(value.type())) {
                    throw DynamoException.invalidParameter("DELETE action with value is not supported for the type " + value.type());
                }
                yield new UpdateAction.DeleteAction(path, value);
            }
            case "ADD" -> {
                if (!ADD_TYPES.contains(value.type())) {
                    throw DynamoException.invalidParameter("ADD action is not supported for the type " + value.type());
                }
                yield new UpdateAction.AddAction(path, value);
            }
            default -> throw new IllegalArgumentException("unchecked Action " + action);
        };
    }
}
