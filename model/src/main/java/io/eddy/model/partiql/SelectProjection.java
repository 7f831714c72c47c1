package io.eddy.model.partiql;

import io.eddy.model.AttributeValue;
import io.eddy.model.expression.DocumentPath;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a SELECT returns of an item: each projected path's value under the name of its last map
 * key or attribute, followed by the list indexes after it ({@code SELECT m.x, m.y[1]} gives
 * {@code x} and {@code y[1]}), not nested as a ProjectionExpression would return it. This is how
 * DynamoDB (its own emulator's shared PartiQL code) unnests a projection.
 */
public final class SelectProjection {

    private SelectProjection() {}

    /** The item as the SELECT returns it; all of it for {@code SELECT *}. */
    public static Map<String, AttributeValue> apply(Map<String, AttributeValue> item, Optional<List<DocumentPath>> projection) {
        if (projection.isEmpty()) return item;
        Map<String, AttributeValue> selected = new LinkedHashMap<>();
        for (DocumentPath path : projection.get()) {
            path.get(item).ifPresent(value -> selected.put(name(path), value));
        }
        return selected;
    }

    /** {@code y[1]} for {@code m.y[1]}: the last name and the indexes that follow it. */
    static String name(DocumentPath path) {
        StringBuilder name = new StringBuilder();
        for (DocumentPath.Element element : path.elements()) {
            if (element instanceof DocumentPath.Name named) {
                name.setLength(0);
                name.append(named.name());
            } else {
                name.append('[').append(((DocumentPath.Index) element).index()).append(']');
            }
        }
        return name.toString();
    }
}
