package io.eddy.gateway;

import com.fasterxml.jackson.core.JsonGenerator;
import io.eddy.model.AttributeValue;
import io.eddy.model.AttributeValueJson;
import io.eddy.model.DynamoException;
import io.eddy.model.ErrorCode;
import io.eddy.model.ItemKeys;
import io.eddy.model.TableMetadata;
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
 * BatchWriteItem: up to 25 puts and deletes over several tables, each applied like an
 * unconditional PutItem or DeleteItem in its own partition (atomic one by one, not as a batch).
 * Nothing is written unless the whole request is valid. A write that fails inside the node comes
 * back in UnprocessedItems, in the shape of RequestItems, for the client to send again.
 */
final class BatchWriteItemOperation implements Operation {

    static final int MAX_WRITES = 25;

    private final NodeContext node;

    BatchWriteItemOperation(NodeContext node) {
        this.node = node;
    }

    /** One PutRequest (item present) or DeleteRequest (key only), decoded. */
    private record Write(Map<String, AttributeValue> attributes, boolean put) {}

    /** A write ready to run: its table, its validated key and what it does. */
    private record Planned(TableMetadata table, Map<String, AttributeValue> key, Write write) {}

    @Override
    public CompletionStage<byte[]> handle(RequestBody request) {
        String returnConsumedCapacity = request.string("ReturnConsumedCapacity");
        String returnItemCollectionMetrics = request.string("ReturnItemCollectionMetrics");
        RequestBody requestItems = request.structListMap("RequestItems", "WriteRequest");
        Map<String, List<RequestBody>> tables = new LinkedHashMap<>();
        if (requestItems != null) {
            for (String name : requestItems.fieldNames()) tables.put(name, readShapes(requestItems, name));
        }

        // An empty RequestItems is a missing one, in DynamoDB's words (captured, 2026), before any other check.
        if (requestItems != null && tables.isEmpty()) {
            throw DynamoException.validation("The requestItems parameter is required for BatchWriteItem");
        }
        // The enums (and missing request items) first, ahead of the request items' table names, which
        // they leave unreported (the conformance suite's capture, eu-west-2 and us-east-1 agreeing, 2026-10).
        Constraints first = new Constraints();
        first.oneOf("returnConsumedCapacity", returnConsumedCapacity, CapacityReport.VALUES);
        first.oneOf("returnItemCollectionMetrics", returnItemCollectionMetrics, List.of("SIZE", "NONE"));
        first.notNull("requestItems", requestItems);
        first.throwIfAny();
        Constraints c = new Constraints();
        if (requestItems != null) {
            Object shown = request.node("RequestItems");
            c.tableNameKeys("requestItems", shown, tables.keySet());
            c.valueLengths("requestItems", shown, tables.values().stream().map(List::size).toList(), 1, MAX_WRITES);
            tables.forEach((name, writes) -> {
                for (int i = 0; i < writes.size(); i++) {
                    String path = "requestItems." + name + ".member." + (i + 1) + ".member.";
                    RequestBody delete = writes.get(i).struct("DeleteRequest");
                    RequestBody put = writes.get(i).struct("PutRequest");
                    if (delete != null) c.notNull(path + "deleteRequest.key", delete.node("Key"));
                    if (put != null) c.notNull(path + "putRequest.item", put.node("Item"));
                }
            });
        }
        c.throwIfAny();
        if (tables.values().stream().mapToInt(List::size).sum() > MAX_WRITES) {
            throw DynamoException.validation("Too many items requested for the BatchWriteItem call");
        }

        Map<String, List<Write>> decoded = new LinkedHashMap<>();
        tables.forEach((name, writes) -> decoded.put(name, writes.stream().map(BatchWriteItemOperation::decode).toList()));
        List<Planned> plan = new ArrayList<>();
        decoded.forEach((name, writes) -> plan.addAll(plan(node.tableForData(name), writes)));

        // A table out of capacity leaves its writes unprocessed; the request fails only when every table is.
        Map<TableMetadata, Optional<DynamoException>> refusals = new LinkedHashMap<>();
        for (Planned planned : plan) {
            refusals.computeIfAbsent(planned.table(), table -> node.throughput().refusal(table, ThroughputLimits.Use.WRITE, Optional.empty()));
        }
        if (refusals.values().stream().anyMatch(Optional::isPresent)) {
            for (Planned planned : plan) {
                if (refusals.get(planned.table()).isPresent()) node.contributors().throttled(planned.table(), null, planned.key());
            }
        }
        if (refusals.values().stream().allMatch(Optional::isPresent)) throw refusals.values().iterator().next().get();
        List<CompletableFuture<Optional<ConsumedCapacity>>> results = plan.stream()
                .map(planned -> refusals.get(planned.table()).isPresent()
                        ? CompletableFuture.completedFuture(Optional.<ConsumedCapacity>empty()) : run(planned))
                .toList();
        CapacityReport capacity = CapacityReport.of(returnConsumedCapacity);
        return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new))
                .thenApply(done -> render(plan, results, capacity, returnItemCollectionMetrics));
    }

    /** The SerializationException pass over one table's list of write requests. */
    private static List<RequestBody> readShapes(RequestBody requestItems, String table) {
        List<RequestBody> writes = requestItems.structList(table, "WriteRequest");
        if (writes == null) return List.of();
        for (RequestBody write : writes) {
            RequestBody put = write.struct("PutRequest");
            if (put != null && put.node("Item") != null) AttributeValueJson.checkItemShape(put.node("Item"));
            RequestBody delete = write.struct("DeleteRequest");
            if (delete != null && delete.node("Key") != null) AttributeValueJson.checkItemShape(delete.node("Key"));
        }
        return writes;
    }

    /** A request must be exactly one of PutRequest and DeleteRequest; DynamoDB words that oddly. */
    private static Write decode(RequestBody request) {
        RequestBody put = request.struct("PutRequest");
        RequestBody delete = request.struct("DeleteRequest");
        if ((put == null) == (delete == null)) {
            throw DynamoException.validation("Supplied AttributeValue has more than one datatypes set, "
                    + "must contain exactly one of the supported datatypes");
        }
        if (delete != null) return new Write(delete.attributeMap("Key"), false);
        Map<String, AttributeValue> item = put.attributeMap("Item");
        ItemKeys.checkItemSize(item);
        return new Write(item, true);
    }

    /** Validates the keys against the table; two writes of one item in a batch are refused. */
    private static List<Planned> plan(TableMetadata table, List<Write> writes) {
        List<Planned> planned = new ArrayList<>();
        Set<Map<String, AttributeValue>> seen = new HashSet<>();
        for (Write write : writes) {
            Map<String, AttributeValue> key = write.put() ? keyOfPut(write.attributes(), table) : ItemKeys.validateKey(write.attributes(), table.keySchema());
            if (write.put()) ItemKeys.checkIndexKeys(write.attributes(), Optional.empty(), table);
            if (!seen.add(key)) throw DynamoException.validation("Provided list of item keys contains duplicates");
            planned.add(new Planned(table, key, write));
        }
        return planned;
    }

    /** BatchWriteItem words a put's missing or mistyped key like a Key parameter's. */
    private static Map<String, AttributeValue> keyOfPut(Map<String, AttributeValue> item, TableMetadata table) {
        try {
            return ItemKeys.keyOfItem(item, table.keySchema());
        } catch (DynamoException e) {
            String message = e.getMessage();
            if (message.contains("Missing the key") || message.contains("Type mismatch for key")) {
                throw DynamoException.validation("The provided key element does not match the schema");
            }
            throw e;
        }
    }

    /**
     * The write's capacity units, or empty when it failed inside the node and stays unprocessed. A
     * write that would grow its item collection past the limit fails the request instead, as
     * DynamoDB's BatchWriteItem does (ItemCollectionSizeLimitExceededException): sent again, it
     * would only fail again.
     */
    private CompletableFuture<Optional<ConsumedCapacity>> run(Planned planned) {
        Write write = planned.write();
        return node.shards().writeItem(planned.table(), planned.key(),
                        current -> write.put() ? Optional.of(write.attributes()) : Optional.empty())
                .handle((written, failure) -> {
                    if (failure == null) return Optional.of(ConsumedCapacity.ofWrite(planned.table(), written.oldImage(), written.newImage()));
                    if (Failures.cause(failure) instanceof DynamoException refused
                            && refused.code() == ErrorCode.ItemCollectionSizeLimitExceededException) {
                        throw refused;
                    }
                    return Optional.<ConsumedCapacity>empty();
                })
                .toCompletableFuture();
    }

    private byte[] render(List<Planned> plan, List<CompletableFuture<Optional<ConsumedCapacity>>> results, CapacityReport capacity,
                          String returnItemCollectionMetrics) {
        Map<String, List<Write>> unprocessed = new LinkedHashMap<>();
        Map<String, ConsumedCapacity> units = new LinkedHashMap<>();
        Map<TableMetadata, List<Map<String, AttributeValue>>> collections = new LinkedHashMap<>();
        for (int i = 0; i < plan.size(); i++) {
            Planned planned = plan.get(i);
            String table = planned.table().name();
            Optional<ConsumedCapacity> result = results.get(i).join();
            result.ifPresent(consumed -> {
                node.throughput().charge(planned.table(), ThroughputLimits.Use.WRITE, consumed);
                node.contributors().accessed(planned.table(), null, planned.key());
            });
            units.merge(table, result.orElse(ConsumedCapacity.ofTable(table, 0)), ConsumedCapacity::plus);
            if (result.isEmpty()) {
                unprocessed.computeIfAbsent(table, name -> new ArrayList<>()).add(planned.write());
            } else if (ItemCollectionMetrics.reported(returnItemCollectionMetrics, planned.table())) {
                collections.computeIfAbsent(planned.table(), t -> new ArrayList<>()).add(planned.key());
            }
        }
        return Json.object(g -> {
            g.writeObjectFieldStart("UnprocessedItems");
            for (Map.Entry<String, List<Write>> table : unprocessed.entrySet()) {
                g.writeArrayFieldStart(table.getKey());
                for (Write write : table.getValue()) writeRequest(g, write);
                g.writeEndArray();
            }
            g.writeEndObject();
            capacity.writeListField(g, units.values());
            ItemCollectionMetrics.writeByTable(g, node, collections);
        });
    }

    private static void writeRequest(JsonGenerator g, Write write) throws IOException {
        g.writeStartObject();
        g.writeObjectFieldStart(write.put() ? "PutRequest" : "DeleteRequest");
        g.writeFieldName(write.put() ? "Item" : "Key");
        AttributeValueJson.writeItem(g, write.attributes());
        g.writeEndObject();
        g.writeEndObject();
    }
}
