package io.eddy.persistence;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import io.eddy.model.AttributeValue;

/**
 * One change to the item store, keyed by a {@link StorageKeys#itemKey} key. Keys are copied on
 * construction; as with any record holding an array, equality is by identity of the array.
 */
public sealed interface ItemMutation {

    byte[] key();

    record Put(byte[] key, Map<String, AttributeValue> item) implements ItemMutation {
        public Put {
            key = requireItemKey(key);
            item = Collections.unmodifiableMap(new LinkedHashMap<>(item));
        }
    }

    record Delete(byte[] key) implements ItemMutation {
        public Delete {
            key = requireItemKey(key);
        }
    }

    /** Guards the metadata key space: a mutation can only touch an item. */
    private static byte[] requireItemKey(byte[] key) {
        if (!StorageKeys.isItemKey(key)) throw new IllegalArgumentException("not an item key");
        return key.clone();
    }
}
