package io.eddy.persistence;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Run in a child JVM by {@link ItemStoreCrashTest} and {@link TornLogRepairTest}: applies events to one partition until it is
 * killed. Event n puts item n and deletes item n-2, so a partition whose applied sequence
 * number is n holds exactly items n-1 and n.
 */
public final class CrashWriter {
    static final UUID TABLE = UUID.fromString("33333333-3333-3333-3333-333333333333");
    static final String PARTITION = "crash#0";
    static final long READY_AFTER = 2000;

    /** Starts the writer in a JVM of its own and returns once it has written {@link #READY_AFTER} batches. */
    static Process startReady(Path dir) throws IOException {
        return ChildJvm.startReady(CrashWriter.class, dir, List.of(), List.of());
    }

    public static void main(String[] args) throws Exception {
        ItemStore store = ItemStore.open(Path.of(args[0]));
        for (long seq = 1; ; seq++) {
            List<ItemMutation> mutations = new ArrayList<>();
            mutations.add(ItemStoreTest.put(ItemStoreTest.key(TABLE, "k", seq), "v" + seq));
            if (seq > 2) mutations.add(new ItemMutation.Delete(ItemStoreTest.key(TABLE, "k", seq - 2)));
            store.apply(PARTITION, new PartitionMeta(seq, Math.min(seq, 2), 0), mutations);
            if (seq == READY_AFTER) {
                System.out.println("ready");
                System.out.flush();
            }
        }
    }
}
