package io.eddy.persistence;

import java.util.AbstractMap;
import java.util.Map;
import java.util.Set;

import io.eddy.model.AttributeValue;
import io.eddy.model.ItemSize;

/**
 * An unmodifiable item that carries its {@link ItemCodec} encoding: an item as the store read it,
 * or the new image of a write. A put used to encode its new image twice (for the journal's event
 * and for the store) and its old image, just decoded from the store, once more for the event;
 * with the encoding kept beside the attributes, each image is encoded at most once.
 *
 * <p>Equal to any map with the same attributes. Made only by {@link ItemCodec#encoded} and
 * {@link ItemCodec#decodeItem}, which own the arrays they give it: nothing else writes to them.
 */
public final class EncodedItem extends AbstractMap<String, AttributeValue> implements ItemSize.Known {

    private final Map<String, AttributeValue> attributes;
    private final byte[] encoding;

    /** @param attributes unmodifiable, in the encoded order; {@code encoding} is its encoding and is not copied */
    EncodedItem(Map<String, AttributeValue> attributes, byte[] encoding) {
        this.attributes = attributes;
        this.encoding = encoding;
    }

    /** The encoding itself, not a copy: for this package's writers, which only read it. */
    byte[] encoding() {
        return encoding;
    }

    /** {@link ItemSize#of}, read from the encoding. */
    @Override
    public long accountingSize() {
        return ItemCodec.accountingSize(encoding);
    }

    @Override
    public Set<Entry<String, AttributeValue>> entrySet() {
        return attributes.entrySet();
    }

    @Override
    public AttributeValue get(Object name) {
        return attributes.get(name);
    }

    @Override
    public boolean containsKey(Object name) {
        return attributes.containsKey(name);
    }

    @Override
    public int size() {
        return attributes.size();
    }
}
