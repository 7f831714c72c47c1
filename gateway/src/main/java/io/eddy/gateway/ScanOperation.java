package io.eddy.gateway;

import io.eddy.model.AttributeValue;
import io.eddy.model.DynamoException;
import io.eddy.model.SecondaryIndex;
import io.eddy.model.TableMetadata;
import io.eddy.model.expression.Condition;
import io.eddy.model.expression.ConditionExpressionParser;
import io.eddy.model.expression.DocumentPath;
import io.eddy.model.expression.ExpressionAttributes;
import io.eddy.model.expression.Projection;
import io.eddy.model.expression.ProjectionExpressionParser;
import io.eddy.model.legacy.LegacyConditions;
import io.eddy.model.query.QuerySchema;
import io.eddy.persistence.ItemPage;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Scan: one page of the whole table, or of one parallel-scan segment (a slice of the 64-bit hash
 * space), in hash order. Segments of one TotalSegments are disjoint and together cover the table.
 */
final class ScanOperation implements Operation {

    private static final long MAX_TOTAL_SEGMENTS = 1_000_000;

    private final NodeContext node;

    ScanOperation(NodeContext node) {
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
        Long segment = request.intValue("Segment");
        Long totalSegments = request.intValue("TotalSegments");
        boolean consistent = Boolean.TRUE.equals(request.bool("ConsistentRead"));
        String returnConsumedCapacity = request.string("ReturnConsumedCapacity");
        String conditionalOperator = request.string("ConditionalOperator");
        String filterExpression = request.string("FilterExpression");
        String projectionExpression = request.string("ProjectionExpression");
        RequestBody scanFilter = ConditionMapParameter.read(request, "ScanFilter");

        Constraints c = new Constraints();
        c.oneOf("select", select, PageRequest.SELECT_VALUES);
        c.tableName("indexName", indexName);
        c.atLeast("totalSegments", totalSegments, 1);
        c.atMost("totalSegments", totalSegments, MAX_TOTAL_SEGMENTS);
        c.oneOf("returnConsumedCapacity", returnConsumedCapacity, CapacityReport.VALUES);
        c.validTableName("tableName", tableName);
        c.oneOf("conditionalOperator", conditionalOperator, ItemRequests.CONDITIONAL_OPERATORS);
        ConditionMapParameter.checkOperators(c, "scanFilter", scanFilter);
        c.atLeast("segment", segment, 0);
        c.atMost("segment", segment, MAX_TOTAL_SEGMENTS - 1);
        c.lengthAtLeast("attributesToGet", attributesToGet, 1);
        c.atLeast("limit", limit, 1);
        c.throwIfAny();
        // Unlike Query, Scan reports the Select rules on their own.
        PageRequest.selectProblem(select, projectionExpression, attributesToGet, indexName).ifPresent(problem -> {
            throw DynamoException.validation(problem);
        });

        ItemRequests.checkEnvelope(request, List.of("ProjectionExpression", "FilterExpression"),
                List.of("AttributesToGet", "ScanFilter", "ConditionalOperator"));
        Optional<List<DocumentPath>> projection = Optional.ofNullable(attributesToGet).map(Projection::fromAttributesToGet);
        Optional<Condition> legacyFilter = LegacyConditions.filter(request.node("ScanFilter"), conditionalOperator);
        Optional<Map<String, AttributeValue>> startKey = StartKeys.read(request);
        checkSegments(segment, totalSegments);

        ExpressionAttributes attributes = request.expressionAttributes();
        Optional<Condition> filter = filterExpression == null ? legacyFilter
                : Optional.of(ConditionExpressionParser.parse(filterExpression, "FilterExpression", attributes));
        if (projectionExpression != null) projection = Optional.of(ProjectionExpressionParser.parse(projectionExpression, attributes));
        attributes.checkAllUsed();

        TableMetadata table = node.tableForData(tableName);
        Optional<SecondaryIndex> index = IndexReads.resolve(table, indexName, select, consistent, IndexReads.SCAN_OF_VECTOR_INDEX);
        // A scan's filter sees what the index holds (an attribute it lacks is absent); its projection may not name one.
        if (index.isPresent()) IndexReads.checkProjected(table, index.get(), List.of(), projection.orElse(List.of()));
        QuerySchema schema = index.map(i -> QuerySchema.of(i, table.keySchema())).orElseGet(() -> QuerySchema.of(table.keySchema()));
        startKey.ifPresent(key -> StartKeys.checkIsKeyOf(key, schema, index.isPresent()));
        PageRequest page = new PageRequest(tableName, filter, IndexReads.returnedPaths(table, index, select, projection),
                "COUNT".equals(select),
                limit == null ? Integer.MAX_VALUE : (int) Math.min(limit, Integer.MAX_VALUE), consistent,
                CapacityReport.of(returnConsumedCapacity), PageRequest.meter(node, table, index));
        page.checkKeyPaths(table, schema, true);
        int segmentIndex = segment == null ? 0 : segment.intValue();
        int segmentCount = totalSegments == null ? 1 : totalSegments.intValue();
        node.throughput().admit(table, ThroughputLimits.Use.READ, index);
        CompletionStage<ItemPage> read = node.shards().scan(table, index, segmentIndex, segmentCount, startKey, page.limit());
        return index.isEmpty() ? read.thenApply(items -> page.render(items, schema))
                : IndexReads.render(node, table, index.get(), select, page, schema, read);
    }

    private static void checkSegments(Long segment, Long totalSegments) {
        if (segment != null && totalSegments == null) {
            throw DynamoException.validation("The TotalSegments parameter is required but was not present in the request "
                    + "when Segment parameter is present");
        }
        if (totalSegments != null && segment == null) {
            throw DynamoException.validation("The Segment parameter is required but was not present in the request "
                    + "when parameter TotalSegments is present");
        }
        if (segment != null && segment >= totalSegments) {
            throw DynamoException.validation("The Segment parameter is zero-based and must be less than parameter "
                    + "TotalSegments: Segment: " + segment + " is not less than TotalSegments: " + totalSegments);
        }
    }
}
