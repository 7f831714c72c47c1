package io.eddy.persistence;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.eddy.model.AttributeValue;
import io.eddy.model.ItemSize;

/**
 * A page of items read from one key range: the items in key order (or reverse), the sum of their
 * {@link ItemSize accounting sizes}, and whether the range holds nothing more.
 */
public record ItemPage(List<Map<String, AttributeValue>> items, long bytes, boolean exhausted) {

    /** DynamoDB's limit on the data one Query or Scan call reads, before any filter: 1 MB. */
    public static final long MAX_BYTES = 1024 * 1024;

    public static final ItemPage EMPTY = new ItemPage(List.of(), 0, true);

    public ItemPage {
        items = List.copyOf(items);
    }

    /**
     * Reads items of {@code range} until {@code maxItems} are read or {@code byteBudget} is reached.
     * Like DynamoDB, the item that reaches the budget is still part of the page.
     */
    public static ItemPage read(ItemStore store, KeyRange range, boolean reverse, int maxItems, long byteBudget) {
        if (maxItems <= 0 || byteBudget <= 0 || range.isEmpty()) return new ItemPage(List.of(), 0, range.isEmpty());
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        long bytes = 0;
        try (ItemIterator cursor = store.range(range.from(), range.toExclusive(), reverse)) {
            while (items.size() < maxItems && bytes < byteBudget && cursor.hasNext()) {
                Map<String, AttributeValue> item = cursor.next().item();
                items.add(item);
                bytes += ItemSize.of(item);
            }
            return new ItemPage(items, bytes, !cursor.hasNext());
        }
    }

    /** This page followed by {@code next} (a later range). */
    public ItemPage followedBy(ItemPage next) {
        List<Map<String, AttributeValue>> all = new ArrayList<>(items);
        all.addAll(next.items);
        return new ItemPage(all, bytes + next.bytes, next.exhausted);
    }
}
