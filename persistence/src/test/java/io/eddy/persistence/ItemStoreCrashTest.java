package io.eddy.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.eddy.model.AttributeValue;

/** kill -9 of a process writing unsynced batches leaves each partition's meta matching its items. */
class ItemStoreCrashTest {

    @Test
    void appliedSequenceNumberMatchesItemsAfterKill(@TempDir Path dir) throws Exception {
        Process writer = CrashWriter.startReady(dir);
        try {
            Thread.sleep(300); // let it write more, then kill it mid-stream
        } finally {
            writer.destroyForcibly(); // SIGKILL
            assertTrue(writer.waitFor(30, TimeUnit.SECONDS));
        }

        try (ItemStore store = ItemStore.open(dir)) {
            PartitionMeta meta = store.meta(CrashWriter.PARTITION);
            long applied = meta.appliedSeqNr();
            System.out.println("recovered at applied sequence number " + applied);
            assertTrue(applied >= CrashWriter.READY_AFTER, "applied " + applied);
            assertEquals(2, meta.itemCount());

            byte[] from = StorageKeys.tablePrefix(CrashWriter.TABLE);
            List<String> values = new ArrayList<>();
            try (ItemIterator it = store.range(from, StorageKeys.prefixEnd(from), false)) {
                it.forEachRemaining(stored -> values.add(((AttributeValue.StringValue) stored.item().get("v")).value()));
            }
            values.sort(null);
            List<String> expected = new ArrayList<>(List.of("v" + (applied - 1), "v" + applied));
            expected.sort(null);
            assertEquals(expected, values, "exactly the items of sequence numbers " + (applied - 1) + " and " + applied);
        }
    }
}
