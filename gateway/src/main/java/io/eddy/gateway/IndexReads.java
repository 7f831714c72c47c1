package io.eddy.gateway;

import io.eddy.model.AttributeValue;
import io.eddy.model.CapacityUnits;
import io.eddy.model.DynamoException;
import io.eddy.model.ItemKeys;
import io.eddy.model.SecondaryIndex;
import io.eddy.model.TableMetadata;
import io.eddy.model.expression.Condition;
import io.eddy.model.expression.ConditionPaths;
import io.eddy.model.expression.DocumentPath;
import io.eddy.model.query.QuerySchema;
import io.eddy.persistence.IndexEntries;
import io.eddy.persistence.ItemPage;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Query and Scan on a secondary index (IndexName): which index, DynamoDB's refusals, and the items
 * a local index fetches from the table when the read wants attributes the index does not hold.
 */
final class IndexReads {

    private IndexReads() {}

    /** DynamoDB's refusals of a Query and of a Scan that name a vector index (read with SearchVectors only), as the service words them. */
    static final String QUERY_OF_VECTOR_INDEX = "Query operation not supported on this index type.";
    static final String SCAN_OF_VECTOR_INDEX = "Scan operation not supported on this index type";

    /**
     * The index a read names, if any, checked as DynamoDB does: it must exist, and not be a vector
     * index ({@code vectorIndexRefusal}), a global index must not be read consistently nor while it
     * is being backfilled, and Select ALL_ATTRIBUTES needs a global index that projects every
     * attribute.
     */
    static Optional<SecondaryIndex> resolve(TableMetadata table, String indexName, String select, boolean consistent,
                                            String vectorIndexRefusal) {
        if (indexName == null) return Optional.empty();
        if (table.options().vectorIndex(indexName).isPresent()) {
            // A Query reads a vector index as a global one first: a consistent one is refused in those words
            // (a 2026 test suite run against DynamoDB); a Scan gets its own refusal either way.
            if (consistent && vectorIndexRefusal.equals(QUERY_OF_VECTOR_INDEX)) throw consistentReadOfGlobalIndex();
            throw DynamoException.validation(vectorIndexRefusal);
        }
        SecondaryIndex index = table.options().index(indexName)
                .filter(found -> found.status() != SecondaryIndex.Status.DELETING)
                .orElseThrow(() -> DynamoException.validation("The table does not have the specified index: " + indexName));
        if (index.local()) return Optional.of(index);
        if (consistent) throw consistentReadOfGlobalIndex();
        if (index.status() == SecondaryIndex.Status.CREATING) {
            throw DynamoException.validation("Cannot read from backfilling global secondary index: " + indexName);
        }
        if ("ALL_ATTRIBUTES".equals(select) && !index.projection().all()) {
            throw DynamoException.invalidParameter("Select type ALL_ATTRIBUTES is not supported for global secondary index "
                    + indexName + " because its projection type is not ALL");
        }
        return Optional.of(index);
    }

    private static DynamoException consistentReadOfGlobalIndex() {
        return DynamoException.validation("Consistent reads are not supported on global secondary indexes");
    }

    /**
     * What a read returns of each item: its ProjectionExpression or AttributesToGet when it has one;
     * otherwise, reading a local index that does not project every attribute with the default
     * Select or ALL_PROJECTED_ATTRIBUTES, the index's attributes — also when a filter on other
     * attributes made the read fetch the items from the table.
     */
    static Optional<List<DocumentPath>> returnedPaths(TableMetadata table, Optional<SecondaryIndex> index, String select,
                                                      Optional<List<DocumentPath>> projection) {
        if (projection.isPresent() || index.isEmpty() || !index.get().local() || index.get().projection().all()
                || "ALL_ATTRIBUTES".equals(select)) {
            return projection;
        }
        return Optional.of(heldAttributes(table, index.get()).stream().map(DocumentPath::of).toList());
    }

    /**
     * DynamoDB's refusals of a read of an index that does not project every attribute (its words,
     * captured from the service, 2026): {@code filterPaths}, the filter of a read keyed on the
     * index (a Query), naming an attribute the index lacks ("Secondary index", either kind), then a
     * projection naming one a global index lacks ("Global secondary index"; a local index fetches
     * such attributes from the table).
     */
    static void checkProjected(TableMetadata table, SecondaryIndex index, List<DocumentPath> filterPaths, List<DocumentPath> projection) {
        if (index.projection().all()) return;
        Set<String> held = heldAttributes(table, index);
        List<String> filtered = missing(filterPaths, held);
        if (!filtered.isEmpty()) {
            throw DynamoException.invalidParameter("Secondary index " + index.name() + " does not project one or more filter attributes: "
                    + filtered);
        }
        List<String> projected = missing(projection, held);
        if (!index.local() && !projected.isEmpty()) {
            throw DynamoException.invalidParameter("Global secondary index " + index.name() + " does not project " + projected);
        }
    }

    private static List<String> missing(List<DocumentPath> paths, Set<String> held) {
        return paths.stream().map(DocumentPath::attribute).filter(name -> !held.contains(name)).distinct().toList();
    }

    /**
     * The attributes an index's entries hold when it does not project every attribute: the
     * table's key, the index's key and the projection's non-key attributes, in that order.
     */
    static Set<String> heldAttributes(TableMetadata table, SecondaryIndex index) {
        Set<String> held = new LinkedHashSet<>(IndexEntries.keyNames(table.keySchema(), index));
        held.addAll(index.projection().nonKeyAttributes());
        return held;
    }

    /**
     * Whether a read of a local index must fetch the items from the table: when it asks for all
     * attributes, or its projection or filter names an attribute the index does not hold.
     */
    static boolean fetchesItems(TableMetadata table, SecondaryIndex index, String select,
                                Optional<List<DocumentPath>> projection, Optional<Condition> filter) {
        if (!index.local() || index.projection().all()) return false;
        if ("ALL_ATTRIBUTES".equals(select)) return true;
        Set<String> held = heldAttributes(table, index);
        List<DocumentPath> named = new ArrayList<>(projection.orElse(List.of()));
        filter.ifPresent(condition -> named.addAll(ConditionPaths.of(condition)));
        return named.stream().map(DocumentPath::attribute).anyMatch(attribute -> !held.contains(attribute));
    }

    /** The Query or Scan response to a page of index entries ({@link #read}). */
    static CompletionStage<byte[]> render(NodeContext node, TableMetadata table, SecondaryIndex index, String select,
                                          PageRequest page, QuerySchema schema, CompletionStage<ItemPage> read) {
        return read(node, table, Optional.of(index), select, page, read)
                .thenApply(done -> page.render(done.entries(), done.items(), schema, done.consumed()));
    }

    /** A page read from the table or an index: the entries read, the items they are returned as, and what they cost. */
    record PageRead(ItemPage entries, List<Map<String, AttributeValue>> items, ConsumedCapacity consumed) {}

    /**
     * A page of the table's items as read, or of index entries as they are or (a local index whose
     * entries lack what the read wants) as the table's items they stand for; the index's units are
     * the entries' bytes, the table's those of the items fetched.
     */
    static CompletionStage<PageRead> read(NodeContext node, TableMetadata table, Optional<SecondaryIndex> index, String select,
                                          PageRequest page, CompletionStage<ItemPage> read) {
        if (index.isEmpty()) {
            return read.thenApply(entries -> new PageRead(entries, entries.items(),
                    ConsumedCapacity.ofTable(table.name(), page.readUnits(entries))));
        }
        boolean fetch = fetchesItems(table, index.get(), select, page.projection(), page.filter());
        return read.thenCompose(entries -> {
            double indexUnits = page.readUnits(entries);
            if (!fetch) {
                return CompletableFuture.completedFuture(new PageRead(entries, entries.items(),
                        ConsumedCapacity.ofIndex(table.name(), index.get(), indexUnits, 0)));
            }
            return fetch(node, table, entries, page.consistent()).thenApply(fetched -> new PageRead(entries, fetched.items(),
                    ConsumedCapacity.ofIndex(table.name(), index.get(), indexUnits, fetched.tableUnits())));
        });
    }

    /** The table's items behind a page of index entries, in the page's order, and the units the fetches cost. */
    record Fetched(List<Map<String, AttributeValue>> items, double tableUnits) {}

    static CompletionStage<Fetched> fetch(NodeContext node, TableMetadata table, ItemPage page, boolean consistent) {
        List<CompletableFuture<Optional<Map<String, AttributeValue>>>> reads = page.items().stream()
                .map(entry -> node.shards().getItem(table, ItemKeys.keyOfItem(entry, table.keySchema())).toCompletableFuture())
                .toList();
        return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).thenApply(done -> {
            List<Map<String, AttributeValue>> items = new ArrayList<>(reads.size());
            double units = 0;
            for (int i = 0; i < reads.size(); i++) {
                Optional<Map<String, AttributeValue>> item = reads.get(i).join();
                // An item deleted since its entry was read keeps its entry's attributes.
                items.add(item.orElse(page.items().get(i)));
                units += CapacityUnits.readItem(item, consistent);
            }
            return new Fetched(items, units);
        });
    }
}
