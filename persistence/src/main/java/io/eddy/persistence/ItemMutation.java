package io.eddy.persistence;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import io.eddy.model.AttributeValue;

/**
 * One change to the item store: an item ({@link StorageKeys#itemKey}) or an index entry
 * ({@link StorageKeys#indexEntryKey}) written or deleted, or a counter record (the
 * {@link PartitionMeta} of an index's share of a partition, or of an item collection) set. Keys are
 * copied on construction; as with any record holding an array, equality is by identity of the array.
 */
public sealed interface ItemMutation {

    byte[] key();

    record Put(byte[] key, Map<String, AttributeValue> item) implements ItemMutation {
        public Put {
            key = requireEntryKey(key);
            // An encoded item is unmodifiable already, and keeps its encoding for the store.
            if (!(item instanceof EncodedItem)) item = Collections.unmodifiableMap(new LinkedHashMap<>(item));
        }
    }

    record Delete(byte[] key) implements ItemMutation {
        public Delete {
            key = requireEntryKey(key);
        }
    }

    /** Sets the counters kept under {@code key} (a {@link StorageKeys#metaKey} or {@link StorageKeys#collectionKey}). */
    record SetMeta(byte[] key, PartitionMeta meta) implements ItemMutation {
        public SetMeta {
            if (key.length < 2 || key[0] != StorageKeys.META_SPACE && key[0] != StorageKeys.COLLECTION_SPACE) {
                throw new IllegalArgumentException("not a counter key");
            }
            key = key.clone();
        }
    }

    /** Sets the {@link ItemVersion} of the item with this item key (kept whether the item exists or was deleted). */
    record SetVersion(byte[] key, ItemVersion version) implements ItemMutation {
        public SetVersion {
            if (!StorageKeys.isItemKey(key)) throw new IllegalArgumentException("not an item key");
            key = key.clone();
        }
    }

    /** Guards the other key spaces: a Put or Delete can only touch an item or an index entry. */
    private static byte[] requireEntryKey(byte[] key) {
        if (!StorageKeys.isItemKey(key) && !StorageKeys.isIndexEntryKey(key)) throw new IllegalArgumentException("not an item key");
        return key.clone();
    }
}
