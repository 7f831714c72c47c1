package io.eddy.persistence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.model.AttributeType;
import io.eddy.model.AttributeValue;
import io.eddy.model.IndexProjection;
import io.eddy.model.KeySchema;
import io.eddy.model.SecondaryIndex;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Which items a secondary index holds, and what a change of an item does to it. */
class IndexEntriesTest {

    static final UUID TABLE = UUID.randomUUID();
    static final KeySchema KEYS = KeySchema.hash("id", AttributeType.S);
    static final SecondaryIndex BY_X_Y = new SecondaryIndex("byXY", UUID.randomUUID(), SecondaryIndex.Kind.GLOBAL,
            List.of(new KeySchema.KeyAttribute("x", AttributeType.S)), List.of(new KeySchema.KeyAttribute("y", AttributeType.B)),
            IndexProjection.ALL, SecondaryIndex.Status.ACTIVE, null, null);

    static Map<String, AttributeValue> item(String x, int yBytes) {
        return Map.of("id", new AttributeValue.StringValue("a"), "x", new AttributeValue.StringValue(x),
                "y", new AttributeValue.BinaryValue(io.eddy.model.Bytes.wrap(new byte[yBytes])));
    }

    @Test
    void valuesNoIndexKeyMayHaveLeaveTheItemOut() {
        assertTrue(IndexEntries.of(TABLE, KEYS, BY_X_Y, item("x".repeat(2048), 1024)).isPresent());
        assertTrue(IndexEntries.of(TABLE, KEYS, BY_X_Y, item("", 1)).isEmpty());
        assertTrue(IndexEntries.of(TABLE, KEYS, BY_X_Y, item("x".repeat(2049), 1)).isEmpty());
        assertTrue(IndexEntries.of(TABLE, KEYS, BY_X_Y, item("x", 1025)).isEmpty());
        assertTrue(IndexEntries.of(TABLE, KEYS, BY_X_Y, item("x", 0)).isEmpty());
    }

    @Test
    void anEntryWrittenForSuchAValueGoesWithTheItemsNextChange() {
        // An older Eddy indexed an item older than the index whatever its values: its entry must not outlive the item.
        Map<String, AttributeValue> old = item("", 1);
        byte[] stale = StorageKeys.indexEntryKey(TABLE, BY_X_Y.id(), List.of(old.get("x")), List.of(old.get("y")), old.get("id"),
                Optional.empty());
        IndexEntries.Change deleted = IndexEntries.change(TABLE, KEYS, BY_X_Y, Optional.of(old), Optional.empty());
        assertEquals(1, deleted.mutations().size());
        assertArrayEquals(stale, ((ItemMutation.Delete) deleted.mutations().get(0)).key());
        IndexEntries.Change repaired = IndexEntries.change(TABLE, KEYS, BY_X_Y, Optional.of(old), Optional.of(item("ok", 1)));
        assertEquals(2, repaired.mutations().size());
        assertArrayEquals(stale, ((ItemMutation.Delete) repaired.mutations().get(0)).key());
        assertTrue(repaired.mutations().get(1) instanceof ItemMutation.Put);
        assertEquals(1, repaired.countDelta());
    }
}
