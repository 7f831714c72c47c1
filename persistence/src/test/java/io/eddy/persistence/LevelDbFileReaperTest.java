package io.eddy.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.model.AttributeValue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LevelDbFileReaperTest {
    @TempDir
    Path dir;

    @Test
    void linksLargeFilesAsTheyComeAndFreesThemAsTheyGo() throws Exception {
        Files.writeString(dir.resolve("000001.ldb"), "before");
        try (LevelDbFileReaper reaper = LevelDbFileReaper.start(dir, "test-reaper")) {
            assertNotNull(reaper);
            Path reaped = dir.resolve(LevelDbFileReaper.DIR);
            assertEquals(Set.of("000001.ldb"), names(reaped), "files there before the start are linked at once");
            assertEquals(2, links(dir.resolve("000001.ldb")));

            Files.writeString(dir.resolve("000002.log"), "log");
            Files.writeString(dir.resolve("000003.sst"), "table");
            Files.writeString(dir.resolve("MANIFEST-000004"), "small");
            Files.writeString(dir.resolve("LOG"), "small");
            awaitTrue(() -> names(reaped).equals(Set.of("000001.ldb", "000002.log", "000003.sst")));

            // LevelDB drops a file: the name goes, the data stays until the reaper frees it.
            Files.delete(dir.resolve("000001.ldb"));
            awaitTrue(() -> names(reaped).equals(Set.of("000002.log", "000003.sst")));
            assertEquals(2, links(dir.resolve("000002.log")), "the log keeps its second link");
        }
        assertEquals(Set.of(), names(dir.resolve(LevelDbFileReaper.DIR)), "close removes every link");
        assertEquals(1, links(dir.resolve("000002.log")));
        assertEquals("table", Files.readString(dir.resolve("000003.sst")), "the database's files are untouched");
    }

    @Test
    void removesLinksLeftByADeadProcessOnStart() throws Exception {
        Path reaped = Files.createDirectories(dir.resolve(LevelDbFileReaper.DIR));
        Files.writeString(reaped.resolve("000007.ldb"), "dropped by LevelDB before the crash");
        Files.writeString(dir.resolve("000008.ldb"), "live");
        Files.createLink(reaped.resolve("000008.ldb"), dir.resolve("000008.ldb"));
        try (LevelDbFileReaper reaper = LevelDbFileReaper.start(dir, "test-reaper")) {
            assertNotNull(reaper);
            assertEquals(Set.of("000008.ldb"), names(reaped));
            assertEquals(2, links(dir.resolve("000008.ldb")));
        }
    }

    @Test
    void doesNotStartWhereItCannotLink() throws IOException {
        Path notADirectory = Files.writeString(dir.resolve("file"), "");
        assertNull(LevelDbFileReaper.start(notADirectory, "test-reaper"));
    }

    @Test
    void theItemStoreLinksOnlyItsLiveFilesAndFreesTheRestThroughCompactions() throws Exception {
        Path itemsDir = dir.resolve("items");
        String value = "x".repeat(4000);
        UUID table = UUID.randomUUID();
        try (ItemStore store = ItemStore.open(itemsDir, 0)) {
            // ~120 MB of writes: memory-table flushes, log switches and compactions drop files.
            for (int round = 0; round < 6; round++) {
                for (int i = 0; i < 5000; i++) {
                    byte[] key = StorageKeys.itemKey(table, AttributeValue.s("k" + i), Optional.empty());
                    store.apply("t#0", new PartitionMeta(round * 5000L + i + 1, 5000, 0), List.of(new ItemMutation.Put(key,
                            Map.of("pk", AttributeValue.s("k" + i), "v", AttributeValue.s(value + round)))));
                }
            }
            Path reaped = itemsDir.resolve(LevelDbFileReaper.DIR);
            // Compactions may still be making and dropping files; wait for a moment at which
            // exactly the store's large files are linked, each by one link.
            awaitTrue(() -> linksExactly(itemsDir, reaped));
            assertTrue(names(reaped).size() >= 2, "the store's table files and log are linked");
        }
        assertEquals(Set.of(), names(itemsDir.resolve(LevelDbFileReaper.DIR)));
        try (ItemStore reopened = ItemStore.open(itemsDir, 0)) {
            byte[] key = StorageKeys.itemKey(table, AttributeValue.s("k42"), Optional.empty());
            assertEquals(AttributeValue.s(value + 5), reopened.get(key).orElseThrow().get("v"));
        }
    }

    private static boolean linksExactly(Path dbDir, Path reaped) {
        try {
            Set<String> linked = names(reaped);
            if (!linked.equals(largeFiles(dbDir))) return false;
            for (String name : linked) {
                if (links(dbDir.resolve(name)) != 2) return false;
            }
            return true;
        } catch (IOException | RuntimeException droppedMeanwhile) {
            return false;
        }
    }

    private static Set<String> largeFiles(Path dbDir) {
        return names(dbDir).stream().filter(LevelDbFileReaper::isLargeFile).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> names(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    private static int links(Path file) throws IOException {
        return (Integer) Files.getAttribute(file, "unix:nlink");
    }

    /** Waits (up to 30 s: a wait for the watch's reports, not a performance bound) until the condition holds. */
    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) break;
            Thread.sleep(20);
        }
        assertTrue(condition.getAsBoolean());
    }
}
