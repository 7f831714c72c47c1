package io.eddy.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a node's start fails, and the server's command line refuses what it cannot use. */
class NodeStartTest {

    @TempDir
    Path dataDir;

    @Test
    void aJournalThatCannotOpenFailsTheStartWithItsCause() throws Exception {
        // Not the class's @TempDir: the failed node's actor system is still stopping, and closing what it
        // opened there, when the start has failed, so JUnit's deletion could find the directory not empty.
        Path dataDir = Files.createTempDirectory("eddy-failed-start");
        try {
            // A file where the journal's directory should be.
            Files.writeString(dataDir.resolve("journal"), "not a directory");
            long started = System.nanoTime();
            ExecutionException failure = assertThrows(ExecutionException.class, () -> TestNode.start(dataDir).close());
            StringBuilder causes = new StringBuilder();
            for (Throwable cause = failure; cause != null; cause = cause.getCause()) causes.append(cause.getMessage()).append(" / ");
            assertTrue(causes.toString().contains("cannot open the journal in " + dataDir.resolve("journal")), causes.toString());
            // Not the catalog's recovery timing out, nor the start's own deadline.
            assertTrue(System.nanoTime() - started < 20_000_000_000L, "failed only after " + (System.nanoTime() - started) / 1_000_000 + " ms");
        } finally {
            deleteOnceStopped(dataDir);
        }
    }

    /** A second node on a data directory in use fails with one line that says so (EddyServer logs it without a stack trace). */
    @Test
    void aDataDirectoryInUseFailsTheStartWithOneLine() throws Exception {
        Path dataDir = Files.createTempDirectory("eddy-dir-in-use");
        try {
            try (TestNode first = TestNode.start(dataDir)) {
                ExecutionException failure = assertThrows(ExecutionException.class, () -> TestNode.start(dataDir).close());
                String line = EddyServer.usersToFix(failure.getCause());
                assertTrue(line != null && line.startsWith("cannot open the item store under " + dataDir + ": IO error: lock ")
                        && line.endsWith(" (is another Eddy server using this data directory?)"), String.valueOf(line));
                first.client.listTables();
            }
        } finally {
            deleteOnceStopped(dataDir);
        }
        assertEquals(null, EddyServer.usersToFix(new IllegalStateException("the table catalog could not recover")));
    }

    /**
     * Deletes {@code dir} once the failed node's actor system ("eddy") has no thread left, which may
     * open the journal there yet as it stops; then tries again for a few seconds if need be.
     */
    private static void deleteOnceStopped(Path dir) throws InterruptedException {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (System.nanoTime() < deadline
                && Thread.getAllStackTraces().keySet().stream().anyMatch(thread -> thread.getName().startsWith("eddy-"))) {
            Thread.sleep(100);
        }
        for (int attempt = 0; attempt < 20 && Files.exists(dir); attempt++) {
            try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
                for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(path);
            } catch (java.io.IOException | java.io.UncheckedIOException e) {
                Thread.sleep(250);
            }
        }
    }

    @Test
    void theCommandLineRefusesWhatItCannotUse() {
        assertEquals("invalid port: 70000 (0 to 65535; 0 takes any free port)",
                assertThrows(IllegalArgumentException.class, () -> EddyServer.config(new String[] {"--port", "70000"})).getMessage());
        assertEquals("invalid port: abc (0 to 65535; 0 takes any free port)",
                assertThrows(IllegalArgumentException.class, () -> EddyServer.config(new String[] {"--port", "abc"})).getMessage());
        assertEquals("the data directory must not be empty",
                assertThrows(IllegalArgumentException.class, () -> EddyServer.config(new String[] {"--data-dir", ""})).getMessage());
        assertEquals("missing value for --port",
                assertThrows(IllegalArgumentException.class, () -> EddyServer.config(new String[] {"--port"})).getMessage());
        Config config = EddyServer.config(new String[] {"--port", "8123", "--data-dir", dataDir.toString()});
        assertEquals(8123, config.getInt("eddy.http.port"));
        assertEquals(dataDir.resolve("journal").toString(), config.getString("eddy.journal.dir"));
    }

    @Test
    void aConfigFileThatDoesNotParseIsRefusedAsSuch() throws Exception {
        Path file = dataDir.resolve("bad.conf");
        Files.writeString(file, "eddy { region = ");
        assertThrows(com.typesafe.config.ConfigException.class, () -> EddyServer.config(new String[] {"--config", file.toString()}));
    }
}
