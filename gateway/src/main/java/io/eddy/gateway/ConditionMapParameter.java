package io.eddy.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.eddy.model.AttributeValue;
import io.eddy.model.AttributeValueJson;
import io.eddy.model.DynamoException;
import io.eddy.model.query.KeyOperator;
import io.eddy.model.query.KeyTerm;
import io.eddy.model.query.LegacyKeyConditions;
import java.util.ArrayList;
import java.util.List;

/**
 * A legacy map of attribute conditions, {@code {"attr": {"ComparisonOperator": …, "AttributeValueList":
 * […]}}}: KeyConditions, and the shape shared by QueryFilter and ScanFilter; Expected adds
 * {@code Value} and {@code Exists} to each entry and makes the operator optional.
 */
final class ConditionMapParameter {
    private ConditionMapParameter() {}

    /** The SerializationException pass over KeyConditions, QueryFilter or ScanFilter: see {@link #read(RequestBody, String, String)}. */
    static RequestBody read(RequestBody request, String field) {
        return read(request, field, "Condition");
    }

    /** The SerializationException pass: objects (of structure {@code entryShape}), a string operator, a list of attribute values. */
    private static RequestBody read(RequestBody request, String field, String entryShape) {
        RequestBody conditions = request.structMap(field, entryShape);
        if (conditions == null) return null;
        for (String attribute : conditions.fieldNames()) {
            RequestBody condition = conditions.struct(attribute);
            if (condition == null) continue;
            condition.string("ComparisonOperator");
            JsonNode values = condition.node("AttributeValueList");
            if (values == null) continue;
            if (!values.isArray()) throw DynamoException.serialization(io.eddy.model.AttributeValueShapes.listMismatch(values));
            for (JsonNode value : values) AttributeValueJson.checkValueShape(value);
        }
        return conditions;
    }

    /** Expected's SerializationException pass: as {@link #read}, plus a boolean Exists and an attribute-value Value. */
    static RequestBody readExpected(RequestBody request) {
        RequestBody expected = read(request, "Expected", "ExpectedAttributeValue");
        if (expected == null) return null;
        for (String attribute : expected.fieldNames()) {
            RequestBody entry = expected.struct(attribute);
            if (entry == null) continue;
            entry.bool("Exists");
            entry.attributeValue("Value");
        }
        return expected;
    }

    /** Expected's ComparisonOperators: optional, but members of the enum when present. */
    static void checkOptionalOperators(Constraints c, String path, RequestBody conditions) {
        if (conditions == null) return;
        for (String attribute : conditions.fieldNames()) {
            RequestBody condition = conditions.struct(attribute);
            if (condition != null) c.oneOf(path + "." + attribute + ".member.comparisonOperator", condition.string("ComparisonOperator"), KeyOperator.WIRE_NAMES);
        }
    }

    /** Each condition's ComparisonOperator is a required member of an enum, e.g. at 'keyConditions.a.member.comparisonOperator'. */
    static void checkOperators(Constraints c, String path, RequestBody conditions) {
        if (conditions == null) return;
        for (String attribute : conditions.fieldNames()) {
            RequestBody condition = conditions.struct(attribute);
            String operator = condition == null ? null : condition.string("ComparisonOperator");
            String member = path + "." + attribute + ".member.comparisonOperator";
            c.notNull(member, operator);
            c.oneOf(member, operator, KeyOperator.WIRE_NAMES);
        }
    }

    /**
     * KeyConditions as key terms, checked attribute by attribute, then that there is one at least.
     * More than two is a matter of the key schema ({@link io.eddy.model.query.QueryKeys#resolve}):
     * a global index with multi-attribute keys takes more (moto's tests, run against DynamoDB).
     */
    static List<KeyTerm> keyTerms(RequestBody conditions) {
        List<KeyTerm> terms = new ArrayList<>();
        for (String attribute : conditions.fieldNames()) {
            RequestBody condition = conditions.struct(attribute);
            List<AttributeValue> values = new ArrayList<>();
            JsonNode list = condition.node("AttributeValueList");
            if (list != null) for (JsonNode value : list) values.add(AttributeValueJson.read(value));
            KeyOperator operator = KeyOperator.valueOf(condition.string("ComparisonOperator"));
            terms.add(LegacyKeyConditions.term(attribute, operator, values));
        }
        if (terms.isEmpty()) LegacyKeyConditions.checkCount(terms);
        return terms;
    }
}
