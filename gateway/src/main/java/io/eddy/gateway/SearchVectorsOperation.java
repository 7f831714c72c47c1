package io.eddy.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.eddy.model.AttributeValue;
import io.eddy.model.AttributeValueJson;
import io.eddy.model.DynamoException;
import io.eddy.model.IndexProjection;
import io.eddy.model.ItemKeys;
import io.eddy.model.ItemSize;
import io.eddy.model.TableMetadata;
import io.eddy.model.VectorIndex;
import io.eddy.model.expression.Comparator;
import io.eddy.model.expression.Condition;
import io.eddy.model.expression.ConditionExpressionParser;
import io.eddy.model.expression.DocumentPath;
import io.eddy.model.expression.ExpressionAttributes;
import io.eddy.model.expression.Operand;
import io.eddy.model.expression.Projection;
import io.eddy.model.expression.ProjectionExpressionParser;
import io.eddy.persistence.ItemPage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * SearchVectors: the TopK items of a vector index most similar to the search vector, most similar
 * first, each with its score. Eddy searches exactly: it reads the table's items a page at a time
 * and scores every item the index holds (its vector attribute a list of the index's dimensions,
 * and its HASH attribute present) that the SearchConditionExpression admits. DynamoDB's search is
 * approximate; an exact one returns what it would at best, at a cost that grows with the table.
 */
final class SearchVectorsOperation implements Operation {

    /** Items read from the store per page while searching. */
    private static final int PAGE = 1000;
    /**
     * The threads searches read and score on, off the HTTP server's and the actors' threads: as many
     * as there are cores (more would only share them), the searches beyond waiting their turn.
     */
    private static final java.util.concurrent.ExecutorService SEARCHES = java.util.concurrent.Executors.newFixedThreadPool(
            Runtime.getRuntime().availableProcessors(), runnable -> {
                Thread thread = new Thread(runnable, "eddy-vector-search");
                thread.setDaemon(true);
                return thread;
            });
    private static final String KIND = "SearchConditionExpression";
    /**
     * Marks a condition no item meets (two values for one attribute): not an attribute name, since
     * those are never empty.
     */
    private static final String IMPOSSIBLE = "";

    private final NodeContext node;

    SearchVectorsOperation(NodeContext node) {
        this.node = node;
    }

    /** One item found, with its score, and its place in the table's order (which of equal scores ranks first). */
    private record Found(Map<String, AttributeValue> item, double score, long order) {}

    /**
     * What a search looks for: the vector, the index, the attribute values the condition requires,
     * how many results, and their ranking (most similar first; equal scores in the table's order).
     */
    private record Search(VectorIndex index, float[] vector, Map<String, AttributeValue> required, int topK,
                          java.util.Comparator<Found> ranking) {}

    @Override
    public CompletionStage<byte[]> handle(RequestBody request) {
        String tableName = request.string("TableName");
        String indexName = request.string("IndexName");
        JsonNode vectorNode = request.node("SearchVector");
        if (vectorNode != null && !vectorNode.isArray()) throw DynamoException.serialization("Unexpected value type in payload for SearchVector");
        List<JsonNode> searchVectorNodes = new ArrayList<>();
        if (vectorNode != null) vectorNode.forEach(searchVectorNodes::add);
        searchVectorNodes.forEach(AttributeValueJson::checkValueShape);
        Long topK = request.longValue("TopK");
        String returnConsumedCapacity = request.string("ReturnConsumedCapacity");
        String condition = request.string(KIND);
        String projection = request.string("ProjectionExpression");
        ExpressionAttributes attributes = request.expressionAttributes();

        Constraints c = new Constraints();
        c.validTableName("tableName", tableName);
        c.notNull("indexName", indexName);
        c.tableName("indexName", indexName);
        c.notNull("searchVector", vectorNode);
        c.lengthAtLeast("searchVector", vectorNode == null ? null : searchVectorNodes, 1);
        c.lengthAtMost("searchVector", vectorNode == null ? null : searchVectorNodes, VectorIndex.MAX_DIMENSIONS);
        c.notNull("topK", topK);
        c.atLeast("topK", topK, 1);
        c.oneOf("returnConsumedCapacity", returnConsumedCapacity, CapacityReport.VALUES);
        c.throwIfAny();
        if (topK > 100) {
            throw DynamoException.validation("Provided TopK value '" + topK + "' is out of valid range. The value must be between 1 and "
                    + "100 inclusive");
        }

        TableMetadata table = node.tableForData(tableName);
        VectorIndex index = table.options().vectorIndex(indexName)
                .orElseThrow(() -> DynamoException.validation("The table does not have the specified index: " + indexName));
        if (searchVectorNodes.size() != index.dimensions()) {
            throw DynamoException.validation("Input search vector dimension " + searchVectorNodes.size()
                    + " does not match vector index dimension " + index.dimensions());
        }
        float[] vector = new float[searchVectorNodes.size()];
        for (int i = 0; i < vector.length; i++) {
            if (!(AttributeValueJson.read(searchVectorNodes.get(i)) instanceof AttributeValue.NumberValue number)
                    || !VectorIndex.fitsFloat(number.value())) {
                throw DynamoException.validation("Invalid SearchVector: element " + (i + 1)
                        + " is not a number within the range of a 32-bit floating point number");
            }
            vector[i] = number.value().floatValue();
        }
        Map<String, AttributeValue> required = condition == null ? Map.of() : required(index, ConditionExpressionParser.parse(condition, KIND, attributes));
        if (index.hashAttribute().isPresent() && !required.containsKey(index.hashAttribute().get())) {
            throw DynamoException.validation("SearchConditionExpression must be provided when SearchSchema has a HASH key");
        }
        List<DocumentPath> paths = projection == null ? null : ProjectionExpressionParser.parse(projection, attributes);
        attributes.checkAllUsed();

        Search search = new Search(index, vector, required, topK.intValue(), (a, b) -> index.moreSimilar(a.score(), b.score()) ? -1
                : index.moreSimilar(b.score(), a.score()) ? 1 : Long.compare(a.order(), b.order()));
        // The least similar kept result first, to be the one replaced.
        PriorityQueue<Found> best = new PriorityQueue<>(search.ranking().reversed());
        long[] counts = {0, 0};
        return searchFrom(table, search, Optional.empty(), best, counts).thenApply(done -> {
            List<Found> results = new ArrayList<>(best);
            results.sort(search.ranking());
            long returned = 0;
            List<Map<String, AttributeValue>> items = new ArrayList<>();
            for (Found found : results) {
                Map<String, AttributeValue> item = projected(table, index, found.item(), paths);
                returned += ItemSize.of(item);
                items.add(item);
            }
            // DynamoDB meters the vector data a search examines and the data it returns, at least 1 KB a request
            // (its formula is not documented: Eddy counts 4 bytes a dimension of each vector it scores).
            double bytes = Math.max(1024, counts[0] + returned);
            return Json.object(g -> {
                g.writeArrayFieldStart("SearchResults");
                for (int i = 0; i < results.size(); i++) {
                    g.writeStartObject();
                    g.writeFieldName("Item");
                    AttributeValueJson.writeItem(g, items.get(i));
                    g.writeNumberField("Score", results.get(i).score());
                    g.writeEndObject();
                }
                g.writeEndArray();
                if (returnConsumedCapacity != null && !returnConsumedCapacity.equals("NONE")) {
                    g.writeObjectFieldStart("ConsumedCapacity");
                    g.writeNumberField("VectorSearchRequestBytes", bytes);
                    g.writeEndObject();
                }
            });
        });
    }

    /**
     * Reads the table a page at a time from {@code start}, keeping the TopK most similar items in
     * {@code best}. Each page is read and scored on a search thread: a page read from the store
     * completes at once, so chaining them on the caller would read the whole table on the request's
     * thread, one stack frame deeper each page.
     */
    private CompletionStage<Void> searchFrom(TableMetadata table, Search search, Optional<Map<String, AttributeValue>> start,
                                             PriorityQueue<Found> best, long[] counts) {
        return CompletableFuture.supplyAsync(() -> node.shards().scan(table, 0, 1, start, PAGE), SEARCHES)
                .thenCompose(read -> read)
                // Scored on a search thread also when the page came from a partition actor's reply.
                .thenComposeAsync(page -> {
                    for (Map<String, AttributeValue> item : page.items()) consider(search, item, best, counts);
                    if (page.exhausted() || page.items().isEmpty()) return CompletableFuture.<Void>completedFuture(null);
                    Map<String, AttributeValue> last = ItemKeys.keyOfItem(page.items().get(page.items().size() - 1), table.keySchema());
                    return searchFrom(table, search, Optional.of(last), best, counts);
                }, SEARCHES);
    }

    /** {@code counts}: the vector bytes examined so far, and the items read (their order in the table). */
    private static void consider(Search search, Map<String, AttributeValue> item, PriorityQueue<Found> best, long[] counts) {
        long order = counts[1]++;
        if (search.required().containsKey(IMPOSSIBLE)) return;
        for (Map.Entry<String, AttributeValue> wanted : search.required().entrySet()) {
            if (!wanted.getValue().equals(item.get(wanted.getKey()))) return;
        }
        Optional<float[]> vector = search.index().indexedVector(item);
        if (vector.isEmpty()) return;
        counts[0] += 4L * search.index().dimensions();
        Found found = new Found(item, search.index().score(search.vector(), vector.get()), order);
        if (best.size() < search.topK()) {
            best.add(found);
        } else if (search.ranking().compare(found, best.peek()) < 0) {
            best.poll();
            best.add(found);
        }
    }

    /**
     * The attribute values a SearchConditionExpression requires: equalities of search schema
     * attributes (top level) with values, joined by AND, as DynamoDB's vector search takes them.
     */
    private static Map<String, AttributeValue> required(VectorIndex index, Condition condition) {
        Map<String, AttributeValue> required = new LinkedHashMap<>();
        collect(index, condition, required);
        return required;
    }

    private static void collect(VectorIndex index, Condition condition, Map<String, AttributeValue> required) {
        if (condition instanceof Condition.And and) {
            collect(index, and.left(), required);
            collect(index, and.right(), required);
            return;
        }
        if (!(condition instanceof Condition.Compare compare)) {
            throw DynamoException.validation("Invalid SearchConditionExpression: Invalid operator used in SearchConditionExpression");
        }
        if (compare.comparator() != Comparator.EQ) {
            throw DynamoException.validation("Invalid SearchConditionExpression: Invalid comparator used in SearchConditionExpression");
        }
        Operand.Path path = compare.left() instanceof Operand.Path p ? p : compare.right() instanceof Operand.Path p2 ? p2 : null;
        Operand.Value value = compare.right() instanceof Operand.Value v ? v : compare.left() instanceof Operand.Value v2 ? v2 : null;
        if (path == null || value == null) {
            throw DynamoException.validation("Invalid SearchConditionExpression: a condition compares an attribute of the search schema with a value");
        }
        if (!path.path().isTopLevel() || index.searchAttribute(path.path().attribute()).isEmpty()) {
            throw DynamoException.validation("Invalid SearchConditionExpression: " + path.path().attribute()
                    + " is not a top-level attribute of the vector index's SearchSchema");
        }
        AttributeValue earlier = required.putIfAbsent(path.path().attribute(), value.value());
        if (earlier != null && !earlier.equals(value.value())) required.put(IMPOSSIBLE, value.value());
    }

    /**
     * What a result shows of an item: the attributes the index projects (the table's keys and the
     * search schema's always), without the vector unless the ProjectionExpression asks for it; a
     * ProjectionExpression picks among those (an attribute the index does not project is not there).
     */
    private static Map<String, AttributeValue> projected(TableMetadata table, VectorIndex index, Map<String, AttributeValue> item,
                                                         List<DocumentPath> paths) {
        List<String> always = new ArrayList<>(List.of(table.keySchema().partitionKey().name()));
        table.keySchema().sortKey().ifPresent(sort -> always.add(sort.name()));
        index.searchSchema().forEach(attribute -> always.add(attribute.name()));
        always.add(index.vectorAttribute());
        Map<String, AttributeValue> projected = new LinkedHashMap<>(index.projection().apply(item, always));
        if (paths == null) {
            projected.remove(index.vectorAttribute());
            return projected;
        }
        return Projection.apply(projected, paths);
    }
}
