package io.eddy.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.eddy.model.AttributeValue;
import io.eddy.model.AttributeValueJson;
import io.eddy.model.DynamoException;
import io.eddy.model.ItemSize;
import io.eddy.model.SecondaryIndex;
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
import io.eddy.persistence.EncodedItem;
import io.eddy.persistence.IndexEntries;
import io.eddy.persistence.ItemIterator;
import io.eddy.persistence.ItemStore;
import io.eddy.persistence.StorageKeys;
import io.eddy.persistence.StoredItem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;

/**
 * SearchVectors: the TopK items of a vector index most similar to the search vector, most similar
 * first, each with its score. Eddy searches exactly: it reads the index's entries of the
 * SearchConditionExpression's HASH value (all of them when the search schema has no HASH), kept
 * from the table's changes as a global index's are, and scores every one the condition admits.
 * DynamoDB's search is approximate; an exact one returns what it would at best, at a cost that
 * grows with the items of one HASH value.
 */
final class SearchVectorsOperation implements Operation {

    /**
     * The threads searches read and score on, off the HTTP server's and the actors' threads: as many
     * as there are cores (more would only share them), the searches beyond waiting their turn.
     */
    private static final ExecutorService SEARCHES = Executors.newFixedThreadPool(
            Runtime.getRuntime().availableProcessors(), runnable -> {
                Thread thread = new Thread(runnable, "eddy-vector-search");
                thread.setDaemon(true);
                return thread;
            });
    private static final String KIND = "SearchConditionExpression";
    /** Index entries read through one store iterator. */
    private static final int PAGE = 1000;
    /**
     * Marks a condition no item meets (two values for one attribute): not an attribute name, since
     * those are never empty.
     */
    private static final String IMPOSSIBLE = "";

    private final NodeContext node;
    private final ItemStore store;
    /**
     * How long a search may take from its request (eddy.vector-search-timeout): one that would run
     * longer, waiting for a search thread or reading the index, stops and answers an internal error
     * rather than hold a search thread for an answer its client has likely given up on.
     */
    private final Duration timeout;

    SearchVectorsOperation(NodeContext node, ItemStore store, Duration timeout) {
        this.node = node;
        this.store = store;
        this.timeout = timeout;
    }

    /** One item found, with its score, and its place in the index's order (which of equal scores ranks first). */
    private record Found(Map<String, AttributeValue> item, double score, long order) {}

    /**
     * What a search looks for: the vector, the index, the attribute values the condition requires
     * (and of those, the inline filters', which an entry of the HASH value read must also have),
     * how many results, and their ranking (most similar first; equal scores in the index's order).
     */
    private record Search(VectorIndex index, float[] vector, Map<String, AttributeValue> required, Map<String, AttributeValue> filters,
                          int topK, java.util.Comparator<Found> ranking, long deadline) {}

    @Override
    public CompletionStage<byte[]> handle(RequestBody request) {
        String tableName = request.string("TableName");
        String indexName = request.string("IndexName");
        JsonNode vectorNode = request.node("SearchVector");
        if (vectorNode != null && !vectorNode.isArray()) throw DynamoException.serialization(io.eddy.model.AttributeValueShapes.listMismatch(vectorNode));
        List<JsonNode> searchVectorNodes = new ArrayList<>();
        if (vectorNode != null) vectorNode.forEach(searchVectorNodes::add);
        searchVectorNodes.forEach(AttributeValueJson::checkValueShape);
        Long topK = request.longValue("TopK");
        String returnConsumedCapacity = request.string("ReturnConsumedCapacity");
        String condition = request.string(KIND);
        String projection = request.string("ProjectionExpression");
        ExpressionAttributes attributes = request.expressionAttributes();

        // Members are named as sent, not in lower camel case as DynamoDB's other operations name them:
        // ScyllaDB's tests, run against DynamoDB's SearchVectors, find "IndexName" and "TopK" in these messages,
        // and the conformance suite "greater than or equal to 1" for a TopK of 0.
        Constraints c = new Constraints();
        c.validTableName("TableName", tableName);
        c.notNull("IndexName", indexName);
        c.tableName("IndexName", indexName);
        c.notNull("SearchVector", vectorNode);
        c.lengthAtLeast("SearchVector", vectorNode == null ? null : searchVectorNodes, 1);
        c.lengthAtMost("SearchVector", vectorNode == null ? null : searchVectorNodes, VectorIndex.MAX_DIMENSIONS);
        c.notNull("TopK", topK);
        // Below 1 at the request model layer (the conformance suite), above 100 in the service's own words.
        c.atLeast("TopK", topK, 1);
        c.oneOf("ReturnConsumedCapacity", returnConsumedCapacity, CapacityReport.VALUES);
        c.throwIfAny();
        if (topK > 100) {
            throw DynamoException.validation("Provided TopK value '" + topK + "' is out of valid range. The value must be between 1 and "
                    + "100 inclusive");
        }

        TableMetadata table = node.tableForData(tableName);
        VectorIndex index = table.options().vectorIndex(indexName)
                .filter(found -> found.status() != SecondaryIndex.Status.DELETING)
                .orElseThrow(() -> DynamoException.validation("The table does not have the specified index: " + indexName));
        if (index.status() == SecondaryIndex.Status.CREATING) {
            throw DynamoException.validation("Cannot search backfilling vector index: " + indexName);
        }
        float[] vector = new float[searchVectorNodes.size()];
        for (int i = 0; i < vector.length; i++) {
            if (!(searchValue(searchVectorNodes.get(i)) instanceof AttributeValue.NumberValue number)
                    || !VectorIndex.fitsFloat(number.value())) {
                throw invalidSearchVector();
            }
            vector[i] = number.value().floatValue();
        }
        if (searchVectorNodes.size() != index.dimensions()) {
            throw DynamoException.validation("Input search vector dimension " + searchVectorNodes.size()
                    + " does not match vector index dimension " + index.dimensions());
        }
        Map<String, AttributeValue> required = condition == null ? Map.of() : required(index, ConditionExpressionParser.parse(condition, KIND, attributes));
        Optional<String> hash = index.hashAttribute();
        if (hash.isPresent() && !required.containsKey(hash.get())) {
            throw DynamoException.validation("SearchConditionExpression must be provided when SearchSchema has a HASH key");
        }
        // The index holds HASH values of their defined type only: a value of another type matches no item.
        if (hash.isPresent() && !table.definedType(hash.get()).equals(Optional.of(required.get(hash.get()).type()))) {
            required = Map.of(IMPOSSIBLE, required.get(hash.get()));
        }
        List<DocumentPath> paths = projection == null ? null : ProjectionExpressionParser.parse(projection, attributes);
        attributes.checkAllUsed();

        Map<String, AttributeValue> filters = new LinkedHashMap<>(required);
        hash.ifPresent(filters::remove);
        Search search = new Search(index, vector, required, filters, topK.intValue(), (a, b) -> index.moreSimilar(a.score(), b.score()) ? -1
                : index.moreSimilar(b.score(), a.score()) ? 1 : Long.compare(a.order(), b.order()), System.nanoTime() + timeout.toNanos());
        // The least similar kept result first, to be the one replaced.
        PriorityQueue<Found> best = new PriorityQueue<>(search.ranking().reversed());
        long[] counts = {0, 0};
        return CompletableFuture.runAsync(() -> {
            try {
                search(table, search, best, counts);
            } catch (TimeoutException e) {
                throw new CompletionException(e);
            }
        }, SEARCHES).thenApply(done -> {
            List<Found> results = new ArrayList<>(best);
            results.sort(search.ranking());
            long returned = 0;
            List<Map<String, AttributeValue>> items = new ArrayList<>();
            for (Found found : results) {
                Map<String, AttributeValue> item = projected(index, found.item(), paths);
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
     * Reads the index's entries of the searched HASH value, keeping the TopK most similar items in
     * {@code best}; on a search thread. A page at a time, each through an iterator of its own, so
     * that a long search does not hold the store (and its files) from one moment to its end.
     */
    private void search(TableMetadata table, Search search, PriorityQueue<Found> best, long[] counts) throws TimeoutException {
        if (search.required().containsKey(IMPOSSIBLE)) return;
        byte[] from = StorageKeys.indexPartitionPrefix(table.id(), search.index().id(),
                IndexEntries.vectorPartition(search.index(), search.required()));
        byte[] to = StorageKeys.prefixEnd(from);
        while (true) {
            try (ItemIterator entries = store.range(from, to, false)) {
                if (!entries.hasNext()) return;
                // Checked once a page has entries to read, so a search that has read them all answers.
                if (System.nanoTime() - search.deadline() >= 0) {
                    throw new TimeoutException("SearchVectors of " + table.name() + "/" + search.index().name() + " stopped after "
                            + counts[1] + " entries: it ran past eddy.vector-search-timeout (" + timeout + ")");
                }
                for (int read = 0; read < PAGE; read++) {
                    if (!entries.hasNext()) return;
                    StoredItem entry = entries.next();
                    consider(search, entry.item(), best, counts);
                    // The next key after this one: the page after starts there.
                    from = Arrays.copyOf(entry.key(), entry.key().length + 1);
                }
            }
        }
    }

    /**
     * Scores one entry of the searched HASH value (which its key already matched) if the inline
     * filters admit it. {@code counts}: the vector bytes examined so far, and the entries read (their
     * order in the index).
     */
    private static void consider(Search search, Map<String, AttributeValue> entry, PriorityQueue<Found> best, long[] counts) {
        long order = counts[1]++;
        for (Map.Entry<String, AttributeValue> wanted : search.filters().entrySet()) {
            if (!wanted.getValue().equals(entry.get(wanted.getKey()))) return;
        }
        // Read from the entry's encoding where it has one: decoding each number as a DynamoDB number would cost far more.
        float[] vector = entry instanceof EncodedItem encoded ? encoded.floatList(search.index().vectorAttribute(), search.index().dimensions())
                : search.index().entryVector(entry).orElse(null);
        if (vector == null) return;
        counts[0] += 4L * search.index().dimensions();
        Found found = new Found(entry, search.index().score(search.vector(), vector), order);
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
            throw DynamoException.validation("SearchConditionExpression must not contain any attributes that is not in SearchSchema. "
                    + "Invalid attribute: " + path.path().attribute());
        }
        AttributeValue earlier = required.putIfAbsent(path.path().attribute(), value.value());
        if (earlier != null && !earlier.equals(value.value())) required.put(IMPOSSIBLE, value.value());
    }

    /**
     * What a result shows of an item: the attributes the index projects (the table's keys and the
     * search schema's always), without the vector unless the ProjectionExpression asks for it (then
     * as the index keeps it, at 32-bit precision); a ProjectionExpression picks among those (an
     * attribute the index does not project is not there).
     */
    private static Map<String, AttributeValue> projected(VectorIndex index, Map<String, AttributeValue> entry, List<DocumentPath> paths) {
        if (paths == null) {
            Map<String, AttributeValue> projected = new LinkedHashMap<>(entry);
            projected.remove(index.vectorAttribute());
            return projected;
        }
        boolean showsVector = paths.stream().anyMatch(path -> path.attribute().equals(index.vectorAttribute()));
        return Projection.apply(showsVector ? index.storedAsList(entry) : entry, paths);
    }

    /** One element of SearchVector; one that is no attribute value at all (an "N" of "dog") is refused as any non-number is. */
    private static AttributeValue searchValue(JsonNode element) {
        try {
            return AttributeValueJson.read(element);
        } catch (DynamoException e) {
            throw invalidSearchVector();
        }
    }

    private static DynamoException invalidSearchVector() {
        return DynamoException.validation("Search vector contains invalid values. All values in the search vector must be "
                + "a 32-bit floating-point number attribute");
    }
}
