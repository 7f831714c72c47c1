package io.eddy.model.expression;

import io.eddy.model.AttributeValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A document path such as {@code a.b[2].c}: a top-level attribute name followed by map keys and
 * list indexes. Names are already resolved (no {@code #placeholders}); a name may contain any
 * characters, including dots, when it came from ExpressionAttributeNames.
 */
public record DocumentPath(List<Element> elements) {

    /** DynamoDB allows a document path at most this many elements deep. */
    public static final int MAX_DEPTH = 32;

    public DocumentPath {
        elements = List.copyOf(elements);
        if (elements.isEmpty() || !(elements.get(0) instanceof Name)) {
            throw new IllegalArgumentException("a document path starts with an attribute name: " + elements);
        }
    }

    /** One step of a path. */
    public sealed interface Element permits Name, Index {}

    /** A top-level attribute or map key. */
    public record Name(String name) implements Element {}

    /** A list position, zero-based. */
    public record Index(int index) implements Element {
        public Index {
            if (index < 0) throw new IllegalArgumentException("negative list index " + index);
        }
    }

    /** The path of a top-level attribute. */
    public static DocumentPath of(String attribute) {
        return new DocumentPath(List.of(new Name(attribute)));
    }

    /** The name of the top-level attribute the path starts at. */
    public String attribute() {
        return ((Name) elements.get(0)).name();
    }

    public boolean isTopLevel() {
        return elements.size() == 1;
    }

    public int depth() {
        return elements.size();
    }

    /** This path extended by one element. */
    public DocumentPath child(Element element) {
        List<Element> longer = new ArrayList<>(elements);
        longer.add(element);
        return new DocumentPath(longer);
    }

    /**
     * The value at this path, or empty when any step is missing: an absent attribute or key, an
     * index past the end of a list, or a step into a value of the wrong kind (a key into a list,
     * an index into a map or scalar).
     */
    public Optional<AttributeValue> get(Map<String, AttributeValue> item) {
        AttributeValue current = item.get(attribute());
        for (int i = 1; i < elements.size() && current != null; i++) {
            current = step(current, elements.get(i));
        }
        return Optional.ofNullable(current);
    }

    private static AttributeValue step(AttributeValue value, Element element) {
        if (element instanceof Name name && value instanceof AttributeValue.MapValue map) {
            return map.values().get(name.name());
        }
        if (element instanceof Index index && value instanceof AttributeValue.ListValue list) {
            return index.index() < list.values().size() ? list.values().get(index.index()) : null;
        }
        return null;
    }

    /** DynamoDB's rendering in error messages: {@code [a, b, [2], c]}. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("[");
        for (int i = 0; i < elements.size(); i++) {
            if (i > 0) text.append(", ");
            Element element = elements.get(i);
            if (element instanceof Name name) {
                text.append(name.name());
            } else {
                text.append('[').append(((Index) element).index()).append(']');
            }
        }
        return text.append(']').toString();
    }
}
