package io.eddy.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.eddy.model.expression.ConditionExpressionParser;
import io.eddy.model.expression.ConditionPaths;
import io.eddy.model.partiql.Statement;
import io.eddy.model.expression.DocumentPath;
import io.eddy.model.expression.ExpressionAttributes;
import io.eddy.model.expression.ProjectionExpressionParser;
import io.eddy.model.expression.Update;
import io.eddy.model.expression.UpdateExpressionParser;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The IAM condition key {@code dynamodb:Attributes} of a data request: the top-level names of the
 * attributes the request itself names, as DynamoDB's documentation defines it (a nested path counts
 * as its top-level attribute: {@code Address.City} is {@code Address}). Never the attributes stored
 * or returned: a read without a projection names only its key, which is why AWS's policies pair the
 * key with {@code dynamodb:Select}. Names come from the Key, Keys and Item maps (key attributes
 * included), ProjectionExpression and AttributesToGet, the condition, filter and key condition
 * expressions and their legacy parameters, and UpdateExpression (what it writes and what it reads)
 * or AttributeUpdates; {@code #name} placeholders stand for their names.
 */
final class RequestAttributes {

    private static final List<String> NAMED_MAPS = List.of("Key", "Item", "AttributeUpdates", "Expected", "QueryFilter", "ScanFilter",
            "KeyConditions");
    private static final List<String> CONDITIONS = List.of("ConditionExpression", "FilterExpression", "KeyConditionExpression");

    private RequestAttributes() {}

    /**
     * The names {@code part} names: a request, one table's part of a BatchGetItem (its Keys and
     * projection) or of a BatchWriteItem (its list of PutRequest and DeleteRequest), or one action of
     * a transaction.
     *
     * @throws RuntimeException when an expression or a placeholder does not parse (the operation
     *         refuses the request; until then the key cannot be known)
     */
    static Set<String> of(JsonNode part) {
        Set<String> names = new LinkedHashSet<>();
        if (part.isArray()) {
            for (JsonNode write : part) {
                addFieldNames(names, write.path("PutRequest").get("Item"));
                addFieldNames(names, write.path("DeleteRequest").get("Key"));
            }
            return names;
        }
        for (String map : NAMED_MAPS) addFieldNames(names, part.get(map));
        for (JsonNode key : part.path("Keys")) addFieldNames(names, key);
        for (JsonNode attribute : part.path("AttributesToGet")) names.add(attribute.asText());
        ExpressionAttributes attributes = ExpressionAttributes.fromJson(part.get("ExpressionAttributeNames"), part.get("ExpressionAttributeValues"));
        String projection = text(part, "ProjectionExpression");
        if (projection != null) addTopLevel(names, ProjectionExpressionParser.parse(projection, attributes));
        for (String condition : CONDITIONS) {
            String expression = text(part, condition);
            if (expression != null) addTopLevel(names, ConditionPaths.of(ConditionExpressionParser.parse(expression, condition, attributes)));
        }
        String update = text(part, "UpdateExpression");
        if (update != null) {
            Update parsed = UpdateExpressionParser.parse(update, attributes);
            addTopLevel(names, parsed.paths());
            addTopLevel(names, parsed.readPaths());
        }
        return names;
    }

    /**
     * The names a PartiQL statement (its parameters bound) names: a SELECT's projection, WHERE and
     * ORDER BY; an INSERT's item; an UPDATE's SET and REMOVE targets, the paths its values read and
     * its WHERE; a DELETE's or EXISTS's WHERE.
     */
    static Set<String> of(Statement statement) {
        Set<String> names = new LinkedHashSet<>();
        if (statement instanceof Statement.Insert insert) {
            names.addAll(new java.util.TreeSet<>(insert.item().keySet()));
        } else if (statement instanceof Statement.Update update) {
            addTopLevel(names, update.update().paths());
            addTopLevel(names, update.update().readPaths());
            addTopLevel(names, ConditionPaths.of(update.where()));
        } else if (statement instanceof Statement.Delete delete) {
            addTopLevel(names, ConditionPaths.of(delete.where()));
        } else {
            Statement.Select select = statement instanceof Statement.Exists exists ? exists.select() : (Statement.Select) statement;
            select.projection().ifPresent(paths -> addTopLevel(names, paths));
            select.where().ifPresent(where -> addTopLevel(names, ConditionPaths.of(where)));
            for (Statement.OrderKey key : select.orderBy()) names.add(key.attribute());
        }
        return names;
    }

    private static String text(JsonNode part, String member) {
        JsonNode value = part.get(member);
        if (value == null || value.isNull()) return null;
        if (!value.isTextual()) throw new IllegalArgumentException(member + " is not a string");
        return value.asText();
    }

    private static void addFieldNames(Set<String> names, JsonNode map) {
        if (map != null && map.isObject()) map.fieldNames().forEachRemaining(names::add);
    }

    private static void addTopLevel(Set<String> names, List<DocumentPath> paths) {
        for (DocumentPath path : paths) names.add(path.attribute());
    }
}
