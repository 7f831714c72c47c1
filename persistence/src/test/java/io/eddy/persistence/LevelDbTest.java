package io.eddy.persistence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.iq80.leveldb.CompressionType;
import org.iq80.leveldb.DB;
import org.iq80.leveldb.DBIterator;
import org.iq80.leveldb.Options;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * leveldbjni's native library comes from one file per user and build, not a new temporary file per
 * start; where the build made its library on the system's LevelDB, that one is loaded.
 */
class LevelDbTest {

    private static final String BUNDLED = LevelDb.bundledResource().orElseThrow();

    @Test
    void theSystemsLevelDbIsLoadedWhereTheBuildMadeItsLibrary(@TempDir Path dir) throws Exception {
        boolean built = builtLibrary();
        // .ci/run asks the build to make it (build-leveldbjni.sh); elsewhere it may not have been made.
        if ("required".equals(System.getenv("EDDY_LEVELDB_NATIVE"))) assertTrue(built, "the build made the library");
        Assumptions.assumeTrue(built, "the build made no library on the system's LevelDB");
        LevelDb.open(dir, new Options().createIfMissing(true)).close();
        List<String> mapped = Files.readAllLines(Path.of("/proc/self/maps"));
        assertTrue(mapped.stream().anyMatch(line -> line.contains("/libleveldb.so.1")), "the system's LevelDB is mapped");
        List<String> jniLibraries = mapped.stream().filter(line -> line.contains("/libleveldbjni"))
                .map(line -> line.substring(line.indexOf('/'))).distinct().toList();
        assertEquals(1, jniLibraries.size(), "one leveldbjni library, not leveldbjni's own beside it: " + jniLibraries);
    }

    @Test
    void theLibraryIsWrittenOnceIntoADirectoryOnlyItsOwnerCanWrite(@TempDir Path tmp) throws Exception {
        Path dir = LevelDb.libraryDirectory(tmp, BUNDLED).orElseThrow();
        assertEquals(tmp, dir.getParent());
        assertTrue(dir.getFileName().toString().startsWith("eddy-leveldbjni-"));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        Path library = dir.resolve(System.mapLibraryName("leveldbjni"));
        assertArrayEquals(jarsLibrary(), Files.readAllBytes(library));
        var written = Files.getLastModifiedTime(library);
        Thread.sleep(20);
        assertEquals(Optional.of(dir), LevelDb.libraryDirectory(tmp, BUNDLED), "the same directory the next time");
        assertEquals(written, Files.getLastModifiedTime(library), "and the file is not written again");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(library), files.toList(), "nothing else left there");
        }
    }

    @Test
    void aDirectoryOthersCanWriteOrALinkIsNotTrusted(@TempDir Path tmp, @TempDir Path other) throws Exception {
        String name = LevelDb.libraryDirectory(other, BUNDLED).orElseThrow().getFileName().toString();
        Path shared = Files.createDirectory(tmp.resolve(name));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertEquals(Optional.empty(), LevelDb.libraryDirectory(tmp, BUNDLED), "writable by others");
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwx------"));
        assertEquals(Optional.of(shared), LevelDb.libraryDirectory(tmp, BUNDLED), "once only its owner can write it");

        Path linked = Files.createTempDirectory("linked");
        Files.delete(linked);
        Path elsewhere = Files.createDirectories(other.resolve("elsewhere"));
        Files.setPosixFilePermissions(elsewhere, PosixFilePermissions.fromString("rwx------"));
        Files.createDirectory(linked);
        Path link = Files.createSymbolicLink(linked.resolve(name), elsewhere);
        try {
            assertEquals(Optional.empty(), LevelDb.libraryDirectory(linked, BUNDLED), "a link, wherever it points");
        } finally {
            Files.delete(link);
            Files.delete(linked);
        }
    }

    @Test
    void aDirectoryTheSystemsLevelDbWroteOpensUnderLeveldbjnisOwn(@TempDir Path dir, @TempDir Path tmp) throws Exception {
        Assumptions.assumeTrue(builtLibrary(), "the build made no library on the system's LevelDB");
        try (DB db = LevelDb.open(dir, new Options().createIfMissing(true), new TableFileOptions(8 << 20, 10, -1))) {
            for (int i = 0; i < 1000; i++) db.put(("key" + i).getBytes(StandardCharsets.UTF_8), new byte[100]);
            db.compactRange(null, null); // into a table file, which LevelDB 1.23 names .ldb
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.anyMatch(file -> file.toString().endsWith(".ldb")), "a table file named as LevelDB 1.23 names it");
        }
        assertTrue(tableFiles(dir).stream().allMatch(LevelDbTest::hasBloomFilter), "with a filter, which LevelDB 1.8 passes over");
        Path bundled = LevelDb.libraryDirectory(tmp, BUNDLED).orElseThrow();
        Process reader = ChildJvm.start(KeyCounter.class, "64m", dir, List.of("-D" + LevelDb.PATH_PROPERTY + "=" + bundled));
        String output = new String(reader.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(reader.waitFor(30, TimeUnit.SECONDS));
        assertTrue(output.contains("keys=1000 system=false"), output);
        try (DB db = LevelDb.open(dir, new Options())) {
            assertEquals(100, db.get("key999".getBytes(StandardCharsets.UTF_8)).length, "and the system's reads it again");
        }
    }

    @Test
    void theSystemsLevelDbWritesTableFilesAsTableOptionsSay(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(builtLibrary(), "the build made no library on the system's LevelDB");
        Path larger = fill(dir.resolve("larger"), new TableFileOptions(8 << 20, 10, -1));
        Path defaults = fill(dir.resolve("defaults"), TableFileOptions.LEVELDB_DEFAULTS); // after: none of it left for this open
        assertTrue(tableFiles(defaults).size() >= 4, "12 MB in several files: " + tableFiles(defaults));
        assertTrue(largestTableFile(defaults) <= (3 << 20), "LevelDB's own 2 MB files: " + largestTableFile(defaults));
        assertTrue(largestTableFile(larger) > (6 << 20), "files up to 8 MB: " + largestTableFile(larger));
        assertTrue(tableFiles(defaults).stream().noneMatch(LevelDbTest::hasBloomFilter), "no filter unless asked for");
        assertTrue(tableFiles(larger).stream().allMatch(LevelDbTest::hasBloomFilter), "a Bloom filter in every table file");
        try (DB db = LevelDb.open(larger, new Options(), new TableFileOptions(8 << 20, 10, -1))) {
            assertEquals(4096, db.get(key(2999)).length, "a key the filter lets through");
            assertEquals(null, db.get("absent".getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Test
    void tableFilesPastTheMappingBudgetAreReadWithoutBeingMapped(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(builtLibrary(), "the build made no library on the system's LevelDB");
        // ~6 files of ~2 MB each: LevelDB's own limit would map them all.
        TableFileOptions unmapped = new TableFileOptions(2 << 20, 0, 0);
        TableFileOptions fiveMegabytes = new TableFileOptions(2 << 20, 0, 5 << 20); // a budget of its own, another value
        Path none = fill(dir.resolve("none"), unmapped);
        Path some = fill(dir.resolve("some"), fiveMegabytes);
        assertEquals(0, mappedTableFiles(none), "none mapped");
        assertEquals(0, mappedTableFiles(some), "none left mapped");
        try (DB db = LevelDb.open(none, new Options(), unmapped)) {
            readsEveryValue(db);
            assertEquals(0, mappedTableFiles(none), "with none of its table files mapped");
        }
        try (DB db = LevelDb.open(some, new Options(), fiveMegabytes)) {
            readsEveryValue(db);
            long mapped = mappedTableFiles(some);
            assertTrue(mapped >= 1 && mapped <= 2, "as many files mapped as 5 MB holds: " + mapped);
        }
    }

    /** Every value {@link #fill} wrote, read back. */
    private static void readsEveryValue(DB db) {
        for (int i = 0; i < 3000; i++) assertEquals(4096, db.get(key(i)).length, "every value read back");
    }

    private static long mappedTableFiles(Path store) throws IOException {
        return Files.readAllLines(Path.of("/proc/self/maps")).stream()
                .filter(line -> line.endsWith(".ldb") && line.contains(store + "/")).count();
    }

    /**
     * 12 MB of values that do not compress, compacted into table files as {@code tables} says. The
     * keys go in out of order: LevelDB moves a flushed memtable that overlaps nothing down a level
     * as it is, and a full compaction would then leave it at the memtable's size.
     */
    private static Path fill(Path dir, TableFileOptions tables) throws Exception {
        Random random = new Random(7);
        List<Integer> order = new ArrayList<>(IntStream.range(0, 3000).boxed().toList());
        Collections.shuffle(order, random);
        Options options = new Options().createIfMissing(true).compressionType(CompressionType.NONE).writeBufferSize(1 << 20);
        try (DB db = LevelDb.open(dir, options, tables)) {
            for (int i : order) {
                byte[] value = new byte[4096];
                random.nextBytes(value);
                db.put(key(i), value);
            }
            db.compactRange(null, null);
        }
        return dir;
    }

    private static byte[] key(int i) {
        return String.format("key%06d", i).getBytes(StandardCharsets.UTF_8);
    }

    private static List<Path> tableFiles(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(file -> file.toString().endsWith(".ldb") || file.toString().endsWith(".sst")).toList();
        }
    }

    private static long largestTableFile(Path dir) throws Exception {
        long largest = 0;
        for (Path table : tableFiles(dir)) largest = Math.max(largest, Files.size(table));
        return largest;
    }

    /** Whether a table file's meta index names LevelDB's built-in Bloom filter. */
    private static boolean hasBloomFilter(Path table) {
        try {
            return new String(Files.readAllBytes(table), StandardCharsets.ISO_8859_1).contains("filter.leveldb.BuiltinBloomFilter2");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Opens the database in its argument (leveldbjni's own LevelDB, as the test names it), and prints what it holds and which LevelDB read it. */
    static final class KeyCounter {
        public static void main(String[] args) throws Exception {
            int keys = 0;
            try (DB db = LevelDb.open(Path.of(args[0]), new Options()); DBIterator it = db.iterator()) {
                for (it.seekToFirst(); it.hasNext(); it.next()) keys++;
            }
            boolean system = Files.readAllLines(Path.of("/proc/self/maps")).stream().anyMatch(line -> line.contains("/libleveldb.so.1"));
            System.out.println("keys=" + keys + " system=" + system);
        }
    }

    @Test
    void aLibraryOnTheSystemsLevelDbThatDoesNotLoadLeavesLeveldbjnisOwn(@TempDir Path dir, @TempDir Path tmp,
                                                                       @TempDir Path classes) throws Exception {
        // As on a machine without the system's LevelDB: the build's library is there but cannot be loaded.
        Path unloadable = classes.resolve(LevelDb.SYSTEM_LEVELDB);
        Files.createDirectories(unloadable.getParent());
        Files.writeString(unloadable, "not a library");
        Process node = ChildJvm.startReady(StoreOpener.class, dir, List.of("-Djava.io.tmpdir=" + tmp), List.of(classes));
        try {
            List<String> mapped = Files.readAllLines(Path.of("/proc", Long.toString(node.pid()), "maps"));
            assertTrue(mapped.stream().noneMatch(l -> l.contains("/libleveldb.so.1")), "not the system's LevelDB");
            assertTrue(mapped.stream().anyMatch(l -> l.contains("/libleveldbjni")), "leveldbjni's own library");
        } finally {
            node.destroyForcibly();
            assertTrue(node.waitFor(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void aNodeKilledWithSigkillLeavesNoCopyOfTheLibraryBehind(@TempDir Path dir, @TempDir Path tmp) throws Exception {
        for (int run = 1; run <= 2; run++) {
            Process node = ChildJvm.startReady(StoreOpener.class, dir, List.of("-Djava.io.tmpdir=" + tmp), List.of());
            try {
                assertTrue(node.isAlive());
            } finally {
                node.destroyForcibly();
                assertTrue(node.waitFor(30, TimeUnit.SECONDS));
            }
            try (Stream<Path> files = Files.list(tmp)) {
                List<String> names = files.map(file -> file.getFileName().toString()).toList();
                assertEquals(1, names.size(), "run " + run + " left " + names);
                assertTrue(names.get(0).startsWith("eddy-leveldbjni-"), names.get(0));
            }
        }
    }

    /** Opens an item store, says so, and waits to be killed. */
    static final class StoreOpener {
        public static void main(String[] args) throws Exception {
            ItemStore.open(Path.of(args[0]).resolve("items"));
            System.out.println("ready");
            System.out.flush();
            Thread.sleep(60_000);
        }
    }

    /** Whether the build made its library on the system's LevelDB (build-leveldbjni.sh). */
    private static boolean builtLibrary() {
        return LevelDb.class.getClassLoader().getResource(LevelDb.SYSTEM_LEVELDB) != null;
    }

    private static byte[] jarsLibrary() throws Exception {
        try (InputStream in = LevelDb.class.getClassLoader()
                .getResourceAsStream(BUNDLED)) {
            return in.readAllBytes();
        }
    }
}
