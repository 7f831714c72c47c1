package io.eddy.model;

import java.util.Map;
import java.util.Optional;

/**
 * DynamoDB's capacity-unit arithmetic, on the accounting sizes of {@link ItemSize}.
 *
 * <ul>
 *   <li>A read unit covers 4 KB read with strong consistency; an eventually consistent read
 *       costs half. Every read costs at least one unit, even of an item that does not exist.</li>
 *   <li>GetItem (and each key of BatchGetItem, counted separately) rounds the item up to 4 KB.</li>
 *   <li>Query and Scan add up the sizes of every item they read, before any filter, and round the
 *       total up to 4 KB once.</li>
 *   <li>A write unit covers 1 KB; a write costs the larger of the item before and after it, rounded
 *       up to 1 KB, and at least one unit (a delete of a missing item too).</li>
 * </ul>
 */
public final class CapacityUnits {
    private CapacityUnits() {}

    private static final long READ_UNIT_BYTES = 4 * 1024;
    private static final long WRITE_UNIT_BYTES = 1024;

    /** Reading one item (or finding none) by key. */
    public static double readItem(Optional<Map<String, AttributeValue>> item, boolean consistent) {
        return read(item.map(ItemSize::of).orElse(0L), consistent);
    }

    /** Reading {@code bytes} in total in one Query or Scan page. */
    public static double read(long bytes, boolean consistent) {
        long units = Math.max(1, ceilDiv(bytes, READ_UNIT_BYTES));
        return consistent ? units : units / 2.0;
    }

    /** Replacing {@code before} (empty when new) by {@code after} (empty when deleted). */
    public static double write(Optional<Map<String, AttributeValue>> before, Optional<Map<String, AttributeValue>> after) {
        long bytes = Math.max(before.map(ItemSize::of).orElse(0L), after.map(ItemSize::of).orElse(0L));
        return Math.max(1, ceilDiv(bytes, WRITE_UNIT_BYTES));
    }

    /** Writing {@code bytes} (an index entry written or deleted). */
    public static double write(long bytes) {
        return Math.max(1, ceilDiv(bytes, WRITE_UNIT_BYTES));
    }

    private static long ceilDiv(long bytes, long unit) {
        return (bytes + unit - 1) / unit;
    }
}
