package io.eddy.persistence;

import java.util.Map;

import io.eddy.model.AttributeValue;

/** An item read from the store with its storage key (a {@link StorageKeys#itemKey} key). */
public record StoredItem(byte[] key, Map<String, AttributeValue> item) {}
