package io.eddy.persistence;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.AbstractMap;
import java.util.Map;
import java.util.Set;

import io.eddy.model.AttributeValue;
import io.eddy.model.AttributeValueJson;
import io.eddy.model.ItemSize;

/**
 * An unmodifiable item that carries its {@link ItemCodec} encoding: an item as the store read it,
 * or the new image of a write. A put used to encode its new image twice (for the journal's event
 * and for the store) and its old image, just decoded from the store, once more for the event;
 * with the encoding kept beside the attributes, each image is encoded at most once.
 *
 * <p>An item read from the store is decoded only when its attributes are first read: a Query page
 * without a filter or projection, or an old image that only goes into an event, never is. Its
 * size and its JSON come from the encoding ({@link ItemCodec#accountingSize}, {@link EncodedItemJson}).
 *
 * <p>Equal to any map with the same attributes ({@link ItemCodec#sameItem} compares two encoded
 * items without decoding them where it can). Made only by {@link ItemCodec}, which owns the
 * arrays it gives it: nothing else writes to them.
 */
public final class EncodedItem extends AbstractMap<String, AttributeValue>
        implements ItemSize.Known, AttributeValueJson.Writable {

    /** Null until first read, for an item made from an encoding; volatile, as items cross threads. */
    private volatile Map<String, AttributeValue> attributes;
    private final byte[] encoding;

    /** @param attributes unmodifiable, in the encoded order, or null to decode them when first read; {@code encoding} is not copied */
    EncodedItem(Map<String, AttributeValue> attributes, byte[] encoding) {
        this.attributes = attributes;
        this.encoding = encoding;
    }

    /** The encoding itself, not a copy: for this package's writers, which only read it. */
    byte[] encoding() {
        return encoding;
    }

    /**
     * The attribute {@code name} as 32-bit floats when it is a vector index entry's packed vector of
     * {@code length} floats or a list of {@code length} numbers, else null ({@link ItemCodec#floatList}).
     */
    public float[] floatList(String name, int length) {
        return ItemCodec.floatList(encoding, name, length);
    }

    /** {@link ItemSize#of}, read from the encoding. */
    @Override
    public long accountingSize() {
        return ItemCodec.accountingSize(encoding);
    }

    @Override
    public void writeJson(JsonGenerator g) throws IOException {
        EncodedItemJson.write(g, encoding);
    }

    /** Equal to a map with the same attributes; against another encoded item, read from the encodings where it can be. */
    @Override
    public boolean equals(Object other) {
        if (other instanceof EncodedItem encoded) {
            Boolean same = ItemCodec.sameItem(encoding, encoded.encoding);
            if (same != null) return same;
        }
        return super.equals(other);
    }

    @Override
    public int hashCode() {
        return super.hashCode();
    }

    private Map<String, AttributeValue> attributes() {
        Map<String, AttributeValue> decoded = attributes;
        if (decoded == null) attributes = decoded = ItemCodec.decodeAttributes(encoding);
        return decoded;
    }

    @Override
    public Set<Entry<String, AttributeValue>> entrySet() {
        return attributes().entrySet();
    }

    @Override
    public AttributeValue get(Object name) {
        return attributes().get(name);
    }

    @Override
    public boolean containsKey(Object name) {
        return attributes().containsKey(name);
    }

    @Override
    public int size() {
        return attributes().size();
    }
}
