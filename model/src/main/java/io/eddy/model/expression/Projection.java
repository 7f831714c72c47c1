package io.eddy.model.expression;

import io.eddy.model.AttributeValue;
import io.eddy.model.DynamoException;
import io.eddy.model.ItemSize;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Applies a projection to an item. Nested structure is kept: projecting {@code a.b} of
 * {@code {a: {M: {b: 1, c: 2}}}} gives {@code {a: {M: {b: 1}}}}. List elements picked by index
 * are returned in index order with the gaps closed up, so {@code l[3], l[1]} of a five-element
 * list gives a two-element list. Paths that do not resolve are left out.
 */
public final class Projection {
    private Projection() {}

    /**
     * The legacy AttributesToGet parameter as top-level paths.
     *
     * @throws DynamoException "One or more parameter values were invalid: Duplicate value in
     *         attribute name: a"
     */
    public static List<DocumentPath> fromAttributesToGet(List<String> attributes) {
        Set<String> seen = new HashSet<>();
        List<DocumentPath> paths = new ArrayList<>();
        for (String attribute : attributes) {
            ItemSize.checkAttributeName(attribute); // as an item's names are held (ScyllaDB's tests, run against DynamoDB)
            if (!seen.add(attribute)) {
                throw DynamoException.invalidParameter("Duplicate value in attribute name: " + attribute);
            }
            paths.add(DocumentPath.of(attribute));
        }
        return List.copyOf(paths);
    }

    public static Map<String, AttributeValue> apply(Map<String, AttributeValue> item, List<DocumentPath> paths) {
        MapNode root = new MapNode();
        for (DocumentPath path : paths) {
            path.get(item).ifPresent(value -> root.insert(path.elements(), 0, value));
        }
        return root.build();
    }

    /** The projection under construction: map and list nodes down to the projected values. */
    private sealed interface Node permits MapNode, ListNode, Leaf {
        AttributeValue value();

        /** The child node for the element at {@code depth}, creating it as the next element demands. */
        static Node forNext(List<DocumentPath.Element> elements, int depth) {
            return elements.get(depth) instanceof DocumentPath.Name ? new MapNode() : new ListNode();
        }
    }

    private record Leaf(AttributeValue value) implements Node {}

    private static final class MapNode implements Node {
        private final Map<String, Node> children = new LinkedHashMap<>();

        void insert(List<DocumentPath.Element> elements, int depth, AttributeValue value) {
            String key = ((DocumentPath.Name) elements.get(depth)).name();
            children.put(key, descend(children.get(key), elements, depth, value));
        }

        Map<String, AttributeValue> build() {
            Map<String, AttributeValue> result = new LinkedHashMap<>();
            children.forEach((key, node) -> result.put(key, node.value()));
            return result;
        }

        @Override
        public AttributeValue value() {
            return new AttributeValue.MapValue(build());
        }
    }

    private static final class ListNode implements Node {
        private final TreeMap<Integer, Node> children = new TreeMap<>();

        void insert(List<DocumentPath.Element> elements, int depth, AttributeValue value) {
            int index = ((DocumentPath.Index) elements.get(depth)).index();
            children.put(index, descend(children.get(index), elements, depth, value));
        }

        @Override
        public AttributeValue value() {
            List<AttributeValue> values = new ArrayList<>();
            for (Node child : children.values()) values.add(child.value());
            return new AttributeValue.ListValue(values);
        }
    }

    /** The node at {@code depth} after placing {@code value} at the end of the path below it. */
    private static Node descend(Node existing, List<DocumentPath.Element> elements, int depth, AttributeValue value) {
        if (depth == elements.size() - 1) return new Leaf(value);
        // Validated projections never nest a path under another, but AttributesToGet-style input
        // may repeat a path; a later, deeper path then replaces the leaf.
        Node node = existing == null || existing instanceof Leaf ? Node.forNext(elements, depth + 1) : existing;
        if (node instanceof MapNode map && elements.get(depth + 1) instanceof DocumentPath.Name) {
            map.insert(elements, depth + 1, value);
        } else if (node instanceof ListNode list && elements.get(depth + 1) instanceof DocumentPath.Index) {
            list.insert(elements, depth + 1, value);
        }
        return node;
    }
}
