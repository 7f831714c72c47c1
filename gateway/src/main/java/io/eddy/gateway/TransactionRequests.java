package io.eddy.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.eddy.model.AttributeValue;
import io.eddy.model.CancellationReason;
import io.eddy.model.CapacityUnits;
import io.eddy.model.DynamoException;
import io.eddy.model.ItemKeys;
import io.eddy.model.TableMetadata;
import io.eddy.shards.PreparedTransaction.PreparedWrite;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;
import java.util.function.IntToDoubleFunction;
import java.util.function.IntToLongFunction;
import java.util.function.Supplier;

/**
 * What TransactWriteItems, TransactGetItems and ExecuteTransaction share: limits, key checks,
 * duplicate items, cancellation, admission against the tables' throughput limits and the charge
 * of what a transaction consumed.
 */
final class TransactionRequests {

    private TransactionRequests() {}

    static final int MAX_ITEMS = 100;

    /** The aggregate size of a transaction's items: what a TransactWriteItems writes, what a TransactGetItems reads. */
    static final long MAX_BYTES = 4L * 1024 * 1024;

    /** Refuses a transaction whose items come to more than {@link #MAX_BYTES}. */
    static void checkAggregateSize(long bytes) {
        if (bytes > MAX_BYTES) {
            throw DynamoException.validation("Collection size of items exceeded, which can also be caused by the "
                    + "aggregate size of the items in the transaction exceeding the 4MB limit");
        }
    }

    /** The elements of a JSON array (null when absent), as DynamoDB shows the list in constraint messages. */
    static List<JsonNode> elements(JsonNode array) {
        if (array == null) return null;
        List<JsonNode> elements = new ArrayList<>();
        array.forEach(elements::add);
        return elements;
    }

    /** TransactItems: present, 1 to 100 elements. */
    static void checkItemCount(Constraints c, JsonNode transactItems) {
        checkCount(c, "transactItems", transactItems, MAX_ITEMS);
    }

    /** A required list parameter of 1 to {@code max} elements (TransactItems, TransactStatements, Statements). */
    static void checkCount(Constraints c, String path, JsonNode list, int max) {
        List<JsonNode> elements = elements(list);
        c.notNull(path, elements);
        c.lengthAtLeast(path, elements, 1);
        c.lengthAtMost(path, elements, max);
    }

    /**
     * An action's key checked against its table. A key that does not fit the schema (an attribute
     * missing or of the wrong type) or is too long cancels the transaction with that action's
     * ValidationError; an empty value fails the request with a ValidationException.
     *
     * @return the key, or null when {@code reasons[index]} now holds the action's ValidationError
     */
    static Map<String, AttributeValue> key(Supplier<Map<String, AttributeValue>> check, CancellationReason[] reasons, int index) {
        try {
            return check.get();
        } catch (DynamoException e) {
            if (!ItemKeys.cancelsTransaction(e)) throw e;
            reasons[index] = CancellationReason.validationError(e.getMessage());
            return null;
        }
    }

    /** @throws DynamoException when two actions name the same item */
    static void checkNoDuplicates(List<TableMetadata> tables, List<Map<String, AttributeValue>> keys) {
        Set<List<Object>> seen = new HashSet<>();
        for (int i = 0; i < keys.size(); i++) {
            if (keys.get(i) == null) continue;
            if (!seen.add(List.of(tables.get(i).id(), keys.get(i)))) {
                throw DynamoException.validation("Transaction request cannot include multiple operations on one item");
            }
        }
    }

    /** @throws DynamoException TransactionCanceledException when any action already has a reason to fail */
    static void cancelIfAnyReason(CancellationReason[] reasons) {
        boolean any = false;
        for (int i = 0; i < reasons.length; i++) {
            if (reasons[i] == null) reasons[i] = CancellationReason.NONE;
            else any = true;
        }
        if (any) throw DynamoException.transactionCanceled(List.of(reasons));
    }

    /**
     * Admits the actions against their tables' throughput limits; their keys count as accessed, or
     * those of the throttled actions as throttled, for Contributor Insights.
     *
     * @param use how the action at an index uses its table: a Get reads; every write action, a ConditionCheck too, writes
     * @throws DynamoException TransactionCanceledException when a table (or a global index) an action
     *         uses is out of capacity: ProvisionedThroughputExceeded or ThrottlingError for those actions
     */
    static void admit(NodeContext node, List<TableMetadata> tables, List<Map<String, AttributeValue>> keys,
                      IntFunction<ThroughputLimits.Use> use) {
        CancellationReason[] throttled = new CancellationReason[tables.size()];
        // Each table's limit is asked once per use, so that a refusal counts once however many actions it holds back.
        Map<List<Object>, Optional<DynamoException>> refusals = new HashMap<>();
        boolean any = false;
        for (int i = 0; i < tables.size(); i++) {
            TableMetadata table = tables.get(i);
            ThroughputLimits.Use how = use.apply(i);
            throttled[i] = refusals.computeIfAbsent(List.of(table.id(), how), k -> node.throughput().refusal(table, how, Optional.empty()))
                    .map(CancellationReason::of).orElse(null);
            any |= throttled[i] != null;
        }
        for (int i = 0; i < tables.size(); i++) {
            if (!any) node.contributors().accessed(tables.get(i), null, keys.get(i));
            else if (throttled[i] != null) node.contributors().throttled(tables.get(i), null, keys.get(i));
        }
        cancelIfAnyReason(throttled);
    }

    /**
     * What a committed transaction's writes cost, by table (every table of the request listed):
     * twice the units of the same writes outside a transaction, on the table and on each index
     * whose entry a write changes, or for a check twice the write units of its item (DynamoDB bills
     * a ConditionCheck as a write: the dynamodb-conformance suite, measured against it); each
     * charged to its table's (and global indexes') write limits.
     *
     * @param isCheck whether the action at an index only checks its item
     * @param reported whether the units are reported (otherwise they are sized only for limited tables)
     */
    static Map<String, ConsumedCapacity> chargeWrites(NodeContext node, List<PreparedWrite> writes, List<TableMetadata> tables,
                                                      IntPredicate isCheck, boolean reported) {
        Map<String, ConsumedCapacity> units = emptyCharges(tables);
        for (PreparedWrite write : writes) {
            TableMetadata table = tables.get(write.action());
            // Sizing a write's index entries passes over the item for each index: only when it is used.
            if (!reported && !node.throughput().limited(table)) continue;
            boolean check = isCheck.test(write.action());
            ConsumedCapacity consumed = check
                    ? ConsumedCapacity.ofTable(table.name(), 2 * ConsumedCapacity.writeUnitsOf(table, write.oldImage()))
                    : ConsumedCapacity.ofWrite(table, write.oldImage(), write.newImage()).times(2);
            units.merge(table.name(), consumed, ConsumedCapacity::plus);
            node.throughput().charge(table, ThroughputLimits.Use.WRITE, consumed);
        }
        return units;
    }

    /**
     * What answering a transaction replayed under its ClientRequestToken costs, by table: a
     * transactional read (twice a strongly consistent one) of each action's {@code size} bytes,
     * charged to its table's read limit.
     */
    static Map<String, ConsumedCapacity> chargeReplay(NodeContext node, List<TableMetadata> tables, IntToLongFunction size) {
        return chargeTransactionalReads(node, tables, i -> 2 * CapacityUnits.read(size.applyAsLong(i), true));
    }

    /**
     * What a transactional read of the items costs, by table: twice a strongly consistent read of
     * each; each charged to its table's read limit.
     */
    static Map<String, ConsumedCapacity> chargeReads(NodeContext node, List<Optional<Map<String, AttributeValue>>> found,
                                                     List<TableMetadata> tables) {
        return chargeTransactionalReads(node, tables, i -> 2 * CapacityUnits.readItem(found.get(i), true));
    }

    private static Map<String, ConsumedCapacity> chargeTransactionalReads(NodeContext node, List<TableMetadata> tables,
                                                                          IntToDoubleFunction unitsOf) {
        Map<String, ConsumedCapacity> units = emptyCharges(tables);
        for (int i = 0; i < tables.size(); i++) {
            TableMetadata table = tables.get(i);
            ConsumedCapacity read = ConsumedCapacity.ofTable(table.name(), unitsOf.applyAsDouble(i));
            units.merge(table.name(), read, ConsumedCapacity::plus);
            node.throughput().charge(table, ThroughputLimits.Use.READ, read);
        }
        return units;
    }

    /** Every table of the request, in its order, at no units yet. */
    private static Map<String, ConsumedCapacity> emptyCharges(List<TableMetadata> tables) {
        Map<String, ConsumedCapacity> units = new LinkedHashMap<>();
        for (TableMetadata table : tables) units.putIfAbsent(table.name(), ConsumedCapacity.ofTable(table.name(), 0));
        return units;
    }

    /**
     * A digest of the request's {@code members} (all its parameters but the ClientRequestToken),
     * the same for the same request however its JSON objects are ordered: what ClientRequestToken
     * idempotency compares, as DynamoDB refuses the token "with a change in other parameters".
     */
    static String requestHash(RequestBody request, String... members) {
        ObjectNode compared = Json.MAPPER.createObjectNode();
        for (String member : members) {
            JsonNode value = request.node(member);
            // An explicit default (ReturnConsumedCapacity NONE) is the same request as none given.
            if (value != null && !value.asText().equals("NONE")) compared.set(member, value);
        }
        return requestHash(compared);
    }

    /** A digest of the JSON, the same however its objects are ordered. */
    static String requestHash(JsonNode json) {
        StringBuilder canonical = new StringBuilder();
        canonicalize(json, canonical);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void canonicalize(JsonNode node, StringBuilder out) {
        if (node.isObject()) {
            TreeMap<String, JsonNode> fields = new TreeMap<>();
            node.fields().forEachRemaining(field -> fields.put(field.getKey(), field.getValue()));
            out.append('{');
            fields.forEach((name, value) -> {
                out.append(TextNode.valueOf(name)).append(':');
                canonicalize(value, out);
                out.append(',');
            });
            out.append('}');
        } else if (node.isArray()) {
            out.append('[');
            for (JsonNode element : node) {
                canonicalize(element, out);
                out.append(',');
            }
            out.append(']');
        } else {
            out.append(node.toString());
        }
    }
}
