package io.eddy.gateway;

import io.eddy.model.AttributeValue;
import io.eddy.model.DynamoException;
import io.eddy.model.KeySchema;
import io.eddy.model.SecondaryIndex;
import io.eddy.model.TableMetadata;
import io.eddy.model.expression.Condition;
import io.eddy.model.expression.ConditionExpressionParser;
import io.eddy.model.expression.ConditionPaths;
import io.eddy.model.expression.DocumentPath;
import io.eddy.model.expression.ExpressionAttributes;
import io.eddy.model.expression.Projection;
import io.eddy.model.expression.ProjectionExpressionParser;
import io.eddy.model.legacy.LegacyConditions;
import io.eddy.model.query.KeyCondition;
import io.eddy.model.query.KeyConditionExpressions;
import io.eddy.model.query.KeyTerm;
import io.eddy.model.query.QueryKeys;
import io.eddy.model.query.QuerySchema;
import io.eddy.persistence.ItemPage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Query: one page of the items of one partition-key value, in sort-key order or reverse — one
 * range read of the item store by the partition that owns the key, never a scan of the table.
 * Checks run in DynamoDB's order: member constraints and Select, expression envelope, legacy
 * parameters (QueryFilter and ConditionalOperator become a filter), AttributesToGet, ExclusiveStartKey values, the expressions, the key condition's shape;
 * then the table, the key schema and the starting key against it, and the key paths.
 */
final class QueryOperation implements Operation {

    private final NodeContext node;

    QueryOperation(NodeContext node) {
        this.node = node;
    }

    @Override
    public CompletionStage<byte[]> handle(RequestBody request) {
        ItemRequests.checkShapes(request, "ExclusiveStartKey");
        String tableName = request.string("TableName");
        String indexName = request.string("IndexName");
        String select = request.string("Select");
        List<String> attributesToGet = request.stringList("AttributesToGet");
        Long limit = request.intValue("Limit");
        boolean consistent = Boolean.TRUE.equals(request.bool("ConsistentRead"));
        boolean forward = !Boolean.FALSE.equals(request.bool("ScanIndexForward"));
        String returnConsumedCapacity = request.string("ReturnConsumedCapacity");
        String conditionalOperator = request.string("ConditionalOperator");
        String keyConditionExpression = request.string("KeyConditionExpression");
        String filterExpression = request.string("FilterExpression");
        String projectionExpression = request.string("ProjectionExpression");
        RequestBody queryFilter = ConditionMapParameter.read(request, "QueryFilter");
        RequestBody keyConditions = ConditionMapParameter.read(request, "KeyConditions");

        Constraints c = new Constraints();
        c.oneOf("select", select, PageRequest.SELECT_VALUES);
        c.tableName("indexName", indexName);
        c.oneOf("returnConsumedCapacity", returnConsumedCapacity, CapacityReport.VALUES);
        ConditionMapParameter.checkOperators(c, "queryFilter", queryFilter);
        c.validTableName("tableName", tableName);
        c.oneOf("conditionalOperator", conditionalOperator, ItemRequests.CONDITIONAL_OPERATORS);
        c.lengthAtLeast("attributesToGet", attributesToGet, 1);
        // Query's Limit is reported in DynamoDB's newer form, without the value (Scan's still with it; captured, 2026).
        if (limit != null && limit < 1) {
            c.violation("Value at 'Limit' failed to satisfy constraint: Member must have value greater than or equal to 1");
        }
        ConditionMapParameter.checkOperators(c, "keyConditions", keyConditions);
        // Query reports the Select rules among the member constraints ("1 validation error detected: …").
        PageRequest.selectProblem(select, projectionExpression, attributesToGet, indexName).ifPresent(c::violation);
        c.throwIfAny();

        List<String> legacy = new ArrayList<>(List.of("AttributesToGet", "QueryFilter", "ConditionalOperator"));
        // KeyConditions may stand next to FilterExpression and ProjectionExpression, not next to KeyConditionExpression.
        if (keyConditionExpression != null) legacy.add("KeyConditions");
        ItemRequests.checkEnvelope(request, List.of("ProjectionExpression", "FilterExpression", "KeyConditionExpression"), legacy);
        Optional<Condition> legacyFilter = LegacyConditions.filter(request.node("QueryFilter"), conditionalOperator);
        Optional<List<DocumentPath>> projection = Optional.ofNullable(attributesToGet).map(Projection::fromAttributesToGet);
        Optional<Map<String, AttributeValue>> startKey = StartKeys.read(request);
        if (keyConditions == null && keyConditionExpression == null) {
            throw DynamoException.validation("Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.");
        }

        ExpressionAttributes attributes = request.expressionAttributes();
        Optional<Condition> keyCondition = Optional.ofNullable(keyConditionExpression)
                .map(text -> ConditionExpressionParser.parse(text, "KeyConditionExpression", attributes));
        Optional<Condition> filter = filterExpression == null ? legacyFilter
                : Optional.of(ConditionExpressionParser.parse(filterExpression, "FilterExpression", attributes));
        if (projectionExpression != null) projection = Optional.of(ProjectionExpressionParser.parse(projectionExpression, attributes));
        attributes.checkAllUsed();
        List<KeyTerm> terms = keyCondition.map(KeyConditionExpressions::terms)
                .orElseGet(() -> ConditionMapParameter.keyTerms(keyConditions));

        TableMetadata table = node.tableForData(tableName);
        Optional<SecondaryIndex> index = IndexReads.resolve(table, indexName, select, consistent, IndexReads.QUERY_OF_VECTOR_INDEX);
        // A local index fetches from the table what its filter or projection names and it lacks; a global one cannot.
        if (index.isPresent() && !index.get().local()) {
            IndexReads.checkProjected(table, index.get(), filter.map(ConditionPaths::of).orElse(List.of()), projection.orElse(List.of()));
        }
        QuerySchema schema = index.map(i -> QuerySchema.of(i, table.keySchema())).orElseGet(() -> QuerySchema.of(table.keySchema()));
        if (keyCondition.isPresent()) QueryKeys.checkExpressionConditionCount(terms, schema);
        KeyCondition keys = QueryKeys.resolve(terms, schema, startKey);
        checkQueryFilterKeys(queryFilter, schema);
        PageRequest page = new PageRequest(tableName, filter, IndexReads.returnedPaths(table, index, select, projection),
                "COUNT".equals(select),
                limit == null ? Integer.MAX_VALUE : (int) Math.min(limit, Integer.MAX_VALUE), consistent,
                CapacityReport.of(returnConsumedCapacity), PageRequest.meter(node, table, index));
        page.checkKeyPaths(table, schema, false);
        node.throughput().admit(table, ThroughputLimits.Use.READ, index);
        CompletionStage<ItemPage> read = node.shards().query(table, index, keys, forward, startKey, page.limit());
        return index.isEmpty() ? read.thenApply(items -> page.render(items, schema))
                : IndexReads.render(node, table, index.get(), select, page, schema, read);
    }

    /** A QueryFilter may not name a key attribute, which the key conditions already decide on. */
    private static void checkQueryFilterKeys(RequestBody queryFilter, QuerySchema schema) {
        if (queryFilter == null) return;
        List<String> filtered = queryFilter.fieldNames();
        for (String key : schema.keyAttributes().stream().map(KeySchema.KeyAttribute::name).toList()) {
            if (filtered.contains(key)) {
                throw DynamoException.validation("QueryFilter can only contain non-primary key attributes: Primary key attribute: " + key);
            }
        }
    }
}
