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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** leveldbjni's native library comes from one file per user and build, not a new temporary file per start. */
class LevelDbTest {

    @Test
    void theLibraryIsWrittenOnceIntoADirectoryOnlyItsOwnerCanWrite(@TempDir Path tmp) throws Exception {
        Path dir = LevelDb.libraryDirectory(tmp).orElseThrow();
        assertEquals(tmp, dir.getParent());
        assertTrue(dir.getFileName().toString().startsWith("eddy-leveldbjni-"));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        Path library = dir.resolve(System.mapLibraryName("leveldbjni"));
        assertArrayEquals(jarsLibrary(), Files.readAllBytes(library));
        var written = Files.getLastModifiedTime(library);
        Thread.sleep(20);
        assertEquals(Optional.of(dir), LevelDb.libraryDirectory(tmp), "the same directory the next time");
        assertEquals(written, Files.getLastModifiedTime(library), "and the file is not written again");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(library), files.toList(), "nothing else left there");
        }
    }

    @Test
    void aDirectoryOthersCanWriteOrALinkIsNotTrusted(@TempDir Path tmp, @TempDir Path other) throws Exception {
        String name = LevelDb.libraryDirectory(other).orElseThrow().getFileName().toString();
        Path shared = Files.createDirectory(tmp.resolve(name));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertEquals(Optional.empty(), LevelDb.libraryDirectory(tmp), "writable by others");
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwx------"));
        assertEquals(Optional.of(shared), LevelDb.libraryDirectory(tmp), "once only its owner can write it");

        Path linked = Files.createTempDirectory("linked");
        Files.delete(linked);
        Path elsewhere = Files.createDirectories(other.resolve("elsewhere"));
        Files.setPosixFilePermissions(elsewhere, PosixFilePermissions.fromString("rwx------"));
        Files.createDirectory(linked);
        Path link = Files.createSymbolicLink(linked.resolve(name), elsewhere);
        try {
            assertEquals(Optional.empty(), LevelDb.libraryDirectory(linked), "a link, wherever it points");
        } finally {
            Files.delete(link);
            Files.delete(linked);
        }
    }

    @Test
    void aNodeKilledWithSigkillLeavesNoCopyOfTheLibraryBehind(@TempDir Path dir, @TempDir Path tmp) throws Exception {
        for (int run = 1; run <= 2; run++) {
            Process node = ChildJvm.start(StoreOpener.class, "64m", dir, List.of("-Djava.io.tmpdir=" + tmp));
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
                StringBuilder output = new StringBuilder();
                String line;
                while ((line = out.readLine()) != null && !line.equals("ready")) output.append(line).append('\n');
                assertEquals("ready", line, () -> "the store did not open: " + output);
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

    private static byte[] jarsLibrary() throws Exception {
        try (InputStream in = LevelDb.class.getClassLoader()
                .getResourceAsStream("META-INF/native/linux64/" + System.mapLibraryName("leveldbjni"))) {
            return in.readAllBytes();
        }
    }
}
