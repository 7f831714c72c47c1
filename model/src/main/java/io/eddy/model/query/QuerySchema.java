package io.eddy.model.query;

import io.eddy.model.KeySchema;
import io.eddy.model.KeySchema.KeyAttribute;
import io.eddy.model.SecondaryIndex;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The keys a Query or Scan reads by: the partition and sort key attributes of the table or of one
 * of its indexes, and the table's own key, which an index's starting key also carries.
 */
public record QuerySchema(List<KeyAttribute> partitionKeys, List<KeyAttribute> sortKeys, KeySchema tableKeys) {

    public QuerySchema {
        partitionKeys = List.copyOf(partitionKeys);
        sortKeys = List.copyOf(sortKeys);
    }

    public static QuerySchema of(KeySchema table) {
        return new QuerySchema(List.of(table.partitionKey()), table.sortKey().map(List::of).orElse(List.of()), table);
    }

    public static QuerySchema of(SecondaryIndex index, KeySchema table) {
        return new QuerySchema(index.partitionKeys(), index.sortKeys(), table);
    }

    /** Whether a key part has more than one attribute (a global index's multi-attribute key). */
    public boolean multiAttribute() {
        return partitionKeys.size() > 1 || sortKeys.size() > 1;
    }

    /** The attributes a starting key (and a LastEvaluatedKey) holds: the table's key, then the index's. */
    public Set<String> startKeyNames() {
        Set<String> names = new LinkedHashSet<>();
        names.add(tableKeys.partitionKey().name());
        tableKeys.sortKey().ifPresent(sort -> names.add(sort.name()));
        for (KeyAttribute attribute : keyAttributes()) names.add(attribute.name());
        return names;
    }

    /** The read's own key attributes, partition attributes first. */
    public List<KeyAttribute> keyAttributes() {
        List<KeyAttribute> all = new ArrayList<>(partitionKeys);
        all.addAll(sortKeys);
        return all;
    }

    /** Whether {@code name} is one of the read's own key attributes (a Query's filter may not name them). */
    public boolean isKeyAttribute(String name) {
        return keyAttributes().stream().anyMatch(attribute -> attribute.name().equals(name));
    }
}
