package io.eddy.shards;

import io.eddy.persistence.ItemStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Drops what the item store still holds of tables that no longer exist. DeleteTable drops a
 * table's data at once, but writes already under way can land after that: a partition's write
 * accepted before the deletion and applied after it, a global index feed's last batch and
 * checkpoint before the feed is stopped. Left alone, those keys would stay forever, and a
 * partition's metadata left behind would keep its journal from being trimmed.
 *
 * <p>The stored table ids are read before the catalog: a table's keys are written only once the
 * node's registry holds the table (this node's catalog published it), so an id that is stored but
 * not in the registry read afterwards belongs to a deleted table. That holds while the catalog is
 * a local actor (one node), as everything else here assumes.
 */
public final class DeletedTables {

    private DeletedTables() {}

    /** Drops the leftovers of every deleted table; answers how many tables had any. */
    public static int sweep(ItemStore store, TableRegistry tables) {
        Set<UUID> stored = new HashSet<>(store.storedTableIds());
        Map<UUID, List<String>> metaIds = new HashMap<>();
        for (String metaId : store.metaIds()) {
            PartitionId.tableIdOfMetaId(metaId).ifPresent(tableId -> {
                metaIds.computeIfAbsent(tableId, id -> new ArrayList<>()).add(metaId);
                stored.add(tableId);
            });
        }
        int swept = 0;
        for (UUID tableId : stored) {
            if (tables.findById(tableId).isPresent() || tables.historyHeld(tableId)) continue;
            if (!store.dropTable(tableId, metaIds.getOrDefault(tableId, List.of()))) break; // closing: the next start's sweep goes on
            swept++;
        }
        return swept;
    }
}
