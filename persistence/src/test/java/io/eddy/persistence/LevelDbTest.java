package io.eddy.persistence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
        try (DB db = LevelDb.open(dir, new Options().createIfMissing(true))) {
            for (int i = 0; i < 1000; i++) db.put(("key" + i).getBytes(StandardCharsets.UTF_8), new byte[100]);
            db.compactRange(null, null); // into a table file, which LevelDB 1.23 names .ldb
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.anyMatch(file -> file.toString().endsWith(".ldb")), "a table file named as LevelDB 1.23 names it");
        }
        Path bundled = LevelDb.libraryDirectory(tmp, BUNDLED).orElseThrow();
        Process reader = ChildJvm.start(KeyCounter.class, "64m", dir, List.of("-D" + LevelDb.PATH_PROPERTY + "=" + bundled));
        String output = new String(reader.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(reader.waitFor(30, TimeUnit.SECONDS));
        assertTrue(output.contains("keys=1000 system=false"), output);
        try (DB db = LevelDb.open(dir, new Options())) {
            assertEquals(100, db.get("key999".getBytes(StandardCharsets.UTF_8)).length, "and the system's reads it again");
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
