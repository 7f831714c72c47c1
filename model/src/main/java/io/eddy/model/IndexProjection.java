package io.eddy.model;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which attributes of an item a secondary index holds beyond the keys: all of them (ALL), none
 * (KEYS_ONLY), or the listed ones (INCLUDE). The table's and the index's key attributes are always
 * projected.
 *
 * @param nonKeyAttributes INCLUDE's attributes, in the order the request listed them; empty otherwise
 */
public record IndexProjection(ProjectionType type, List<String> nonKeyAttributes) {

    public enum ProjectionType { ALL, KEYS_ONLY, INCLUDE }

    public static final IndexProjection ALL = new IndexProjection(ProjectionType.ALL, List.of());

    public IndexProjection {
        nonKeyAttributes = nonKeyAttributes == null ? List.of() : List.copyOf(nonKeyAttributes);
    }

    /** Whether the index holds every attribute of its items. */
    public boolean all() {
        return type == ProjectionType.ALL;
    }

    /** What the index holds of {@code item}: everything (ALL), or its {@code keyNames} and the included attributes. */
    public Map<String, AttributeValue> apply(Map<String, AttributeValue> item, Collection<String> keyNames) {
        if (type == ProjectionType.ALL) return item;
        Map<String, AttributeValue> projected = new LinkedHashMap<>();
        for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
            if (keyNames.contains(attribute.getKey()) || nonKeyAttributes.contains(attribute.getKey())) {
                projected.put(attribute.getKey(), attribute.getValue());
            }
        }
        return projected;
    }
}
