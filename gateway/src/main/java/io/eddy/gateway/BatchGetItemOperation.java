package io.eddy.gateway;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.eddy.model.AttributeValue;
import io.eddy.model.AttributeValueJson;
import io.eddy.model.CapacityUnits;
import io.eddy.model.DynamoException;
import io.eddy.model.ItemKeys;
import io.eddy.model.ItemSize;
import io.eddy.model.TableMetadata;
import io.eddy.model.expression.DocumentPath;
import io.eddy.model.expression.ExpressionAttributes;
import io.eddy.model.expression.Projection;
import io.eddy.model.expression.ProjectionExpressionParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * BatchGetItem: up to 100 keys over several tables, each read like a GetItem. A response carries
 * at most 16 MB of items; the keys that did not fit (or whose read failed) come back in
 * UnprocessedKeys, in the shape of RequestItems, for the client to ask again.
 */
final class BatchGetItemOperation implements Operation {

    static final int MAX_KEYS = 100;
    static final long MAX_RESPONSE_BYTES = 16L * 1024 * 1024;

    private final NodeContext node;

    BatchGetItemOperation(NodeContext node) {
        this.node = node;
    }

    /** One table's KeysAndAttributes, checked. */
    private record TableRead(String tableName, RequestBody request, List<Map<String, AttributeValue>> keys,
                             Optional<List<DocumentPath>> projection, boolean consistent) {}

    /** One key's outcome: the item found (if any) or a failure that leaves the key unprocessed. */
    private record KeyRead(Optional<Map<String, AttributeValue>> item, boolean failed) {}

    @Override
    public CompletionStage<byte[]> handle(RequestBody request) {
        String returnConsumedCapacity = request.string("ReturnConsumedCapacity");
        RequestBody requestItems = request.structMap("RequestItems", "KeysAndAttributes");
        Map<String, RequestBody> tables = new LinkedHashMap<>();
        if (requestItems != null) {
            for (String name : requestItems.fieldNames()) tables.put(name, readShapes(requestItems.struct(name)));
        }

        // An empty RequestItems is a missing one, in DynamoDB's words (captured, 2026), before any other check.
        if (requestItems != null && tables.isEmpty()) {
            throw DynamoException.validation("The requestItems parameter is required for BatchGetItem");
        }
        Constraints c = new Constraints();
        if (requestItems != null) c.tableNameKeys("requestItems", request.node("RequestItems"), tables.keySet());
        // After the table names, in one message (the conformance suite's capture, eu-west-2 and us-east-1 agreeing, 2026-10).
        c.oneOf("returnConsumedCapacity", returnConsumedCapacity, CapacityReport.VALUES);
        c.notNull("requestItems", requestItems);
        if (requestItems != null) {
            tables.forEach((name, table) -> {
                List<JsonNode> keys = table == null ? null : elements(table.node("Keys"));
                c.notNull("requestItems." + name + ".member.keys", keys);
                // Both bounds reported in DynamoDB's newer form, without the keys (captured, 2026; the empty list
                // by the conformance suite in 2026-10).
                if (keys != null && keys.isEmpty()) {
                    c.violation("Value at 'RequestItems." + name + ".member.Keys' failed to satisfy constraint: "
                            + "Member must have length greater than or equal to 1");
                }
                if (keys != null && keys.size() > MAX_KEYS) {
                    c.violation("Value at 'RequestItems." + name + ".member.Keys' failed to satisfy constraint: "
                            + "Member must have length less than or equal to " + MAX_KEYS);
                }
                c.lengthAtLeast("requestItems." + name + ".member.attributesToGet", table == null ? null : table.stringList("AttributesToGet"), 1);
            });
        }
        c.throwIfAny();

        // One projection style for the whole request: DynamoDB refuses ProjectionExpression on one
        // table beside AttributesToGet on another, as it refuses both on one table.
        boolean expressions = tables.values().stream().anyMatch(t -> t != null && t.string("ProjectionExpression") != null);
        boolean legacy = tables.values().stream().anyMatch(t -> t != null && t.stringList("AttributesToGet") != null);
        if (expressions && legacy) {
            ExpressionAttributes.checkEnvelope(List.of("ProjectionExpression"), List.of("AttributesToGet"), false, false);
        }
        List<TableRead> requested = new ArrayList<>();
        int keyCount = 0;
        for (Map.Entry<String, RequestBody> table : tables.entrySet()) {
            TableRead read = check(table.getKey(), table.getValue());
            keyCount += read.keys().size();
            if (keyCount > MAX_KEYS) throw DynamoException.validation("Too many items requested for the BatchGetItem call");
            requested.add(read);
        }
        // Each table's keys are checked as it is found, in request order. A table named twice (by its name and by its
        // ARN) is read once, as its later entry asks: DynamoDB answers with one entry for it (a 2026 test suite run against it).
        List<TableMetadata> metadata = new ArrayList<>();
        List<TableRead> reads = new ArrayList<>();
        List<List<Map<String, AttributeValue>>> validKeys = new ArrayList<>();
        for (TableRead read : requested) {
            TableMetadata table = node.tableForData(read.tableName());
            List<Map<String, AttributeValue>> keys = read.keys().stream().map(key -> ItemKeys.validateKey(key, table.keySchema())).toList();
            read.projection().ifPresent(paths -> KeyPaths.checkScalar(paths, table));
            for (int earlier = 0; earlier < metadata.size(); earlier++) {
                if (metadata.get(earlier).id().equals(table.id())) {
                    metadata.remove(earlier);
                    reads.remove(earlier);
                    validKeys.remove(earlier);
                    break;
                }
            }
            metadata.add(table);
            reads.add(read);
            validKeys.add(keys);
        }

        // A table out of capacity leaves its keys unprocessed; the request fails only when every table is.
        List<Optional<DynamoException>> refusals = metadata.stream()
                .map(table -> node.throughput().refusal(table, ThroughputLimits.Use.READ, Optional.empty())).toList();
        if (refusals.stream().allMatch(Optional::isPresent)) {
            for (int t = 0; t < metadata.size(); t++) {
                TableMetadata table = metadata.get(t);
                validKeys.get(t).forEach(key -> node.contributors().throttled(table, null, key));
            }
            throw refusals.get(0).get();
        }
        List<List<CompletableFuture<KeyRead>>> results = new ArrayList<>();
        for (int t = 0; t < reads.size(); t++) {
            TableMetadata table = metadata.get(t);
            boolean refused = refusals.get(t).isPresent();
            if (refused) validKeys.get(t).forEach(key -> node.contributors().throttled(table, null, key));
            results.add(validKeys.get(t).stream().map(key -> refused
                    ? CompletableFuture.completedFuture(new KeyRead(Optional.empty(), true))
                    : node.shards().getItem(table, key)
                            .handle((item, failure) -> new KeyRead(failure == null ? item : Optional.empty(), failure != null))
                            .toCompletableFuture()).toList());
        }
        CapacityReport capacity = CapacityReport.of(returnConsumedCapacity);
        return CompletableFuture.allOf(results.stream().flatMap(List::stream).toArray(CompletableFuture[]::new))
                .thenApply(done -> render(reads, metadata, results, capacity));
    }

    /** The SerializationException pass over one table's KeysAndAttributes. */
    private static RequestBody readShapes(RequestBody table) {
        if (table == null) return null;
        table.attributeMapList("Keys");
        table.stringList("AttributesToGet");
        table.bool("ConsistentRead");
        table.string("ProjectionExpression");
        ExpressionAttributes.checkShapes(table.node("ExpressionAttributeNames"), null);
        return table;
    }

    private static List<JsonNode> elements(JsonNode array) {
        if (array == null) return null;
        List<JsonNode> elements = new ArrayList<>();
        array.forEach(elements::add);
        return elements;
    }

    /** DynamoDB's checks on one table's request, before any table is looked up. */
    private static TableRead check(String tableName, RequestBody table) {
        ItemRequests.checkEnvelope(table, List.of("ProjectionExpression"), List.of("AttributesToGet"));
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        Set<Map<String, AttributeValue>> seen = new HashSet<>();
        for (JsonNode keyNode : table.node("Keys")) {
            Map<String, AttributeValue> key = AttributeValueJson.readItem(keyNode);
            if (!seen.add(key)) throw DynamoException.validation("Provided list of item keys contains duplicates");
            keys.add(key);
        }
        List<String> attributesToGet = table.stringList("AttributesToGet");
        Optional<List<DocumentPath>> projection = Optional.ofNullable(attributesToGet).map(Projection::fromAttributesToGet);
        ExpressionAttributes attributes = ExpressionAttributes.fromJson(table.node("ExpressionAttributeNames"), null);
        String projectionExpression = table.string("ProjectionExpression");
        if (projectionExpression != null) projection = Optional.of(ProjectionExpressionParser.parse(projectionExpression, attributes));
        attributes.checkAllUsed();
        return new TableRead(tableName, table, keys, projection, Boolean.TRUE.equals(table.bool("ConsistentRead")));
    }

    private byte[] render(List<TableRead> reads, List<TableMetadata> tables, List<List<CompletableFuture<KeyRead>>> results,
                          CapacityReport capacity) {
        Map<String, List<Map<String, AttributeValue>>> responses = new LinkedHashMap<>();
        Map<String, List<Map<String, AttributeValue>>> unprocessed = new LinkedHashMap<>();
        Map<String, Double> units = new LinkedHashMap<>();
        long bytes = 0;
        boolean full = false;
        for (int t = 0; t < reads.size(); t++) {
            TableRead read = reads.get(t);
            List<Map<String, AttributeValue>> items = responses.computeIfAbsent(read.tableName(), name -> new ArrayList<>());
            double tableUnits = 0;
            for (int k = 0; k < read.keys().size(); k++) {
                KeyRead result = results.get(t).get(k).join();
                Optional<Map<String, AttributeValue>> item =
                        result.item().map(found -> read.projection().map(paths -> Projection.apply(found, paths)).orElse(found));
                long size = item.map(ItemSize::of).orElse(0L);
                // Once the response is full, the keys after this one wait for the next call too.
                full |= bytes + size > MAX_RESPONSE_BYTES;
                if (full || result.failed()) {
                    unprocessed.computeIfAbsent(read.tableName(), name -> new ArrayList<>()).add(read.keys().get(k));
                    continue;
                }
                bytes += size;
                item.ifPresent(items::add);
                node.contributors().accessed(tables.get(t), null, read.keys().get(k));
                tableUnits += CapacityUnits.readItem(result.item(), read.consistent());
            }
            units.put(read.tableName(), tableUnits);
            node.throughput().charge(tables.get(t), ThroughputLimits.Use.READ, ConsumedCapacity.ofTable(read.tableName(), tableUnits));
        }
        return Json.object(g -> {
            g.writeObjectFieldStart("Responses");
            for (Map.Entry<String, List<Map<String, AttributeValue>>> table : responses.entrySet()) {
                g.writeArrayFieldStart(table.getKey());
                for (Map<String, AttributeValue> item : table.getValue()) AttributeValueJson.writeItem(g, item);
                g.writeEndArray();
            }
            g.writeEndObject();
            g.writeObjectFieldStart("UnprocessedKeys");
            for (TableRead read : reads) {
                List<Map<String, AttributeValue>> keys = unprocessed.get(read.tableName());
                if (keys != null) writeUnprocessed(g, read, keys);
            }
            g.writeEndObject();
            capacity.writeListField(g, units);
        });
    }

    /** The keys left over, with the table's other request members as the client sent them. */
    private static void writeUnprocessed(JsonGenerator g, TableRead read, List<Map<String, AttributeValue>> keys)
            throws IOException {
        g.writeObjectFieldStart(read.tableName());
        g.writeArrayFieldStart("Keys");
        for (Map<String, AttributeValue> key : keys) AttributeValueJson.writeItem(g, key);
        g.writeEndArray();
        for (String member : List.of("AttributesToGet", "ConsistentRead", "ProjectionExpression", "ExpressionAttributeNames")) {
            JsonNode value = read.request().node(member);
            if (value != null) {
                g.writeFieldName(member);
                g.writeTree(value);
            }
        }
        g.writeEndObject();
    }
}
