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
        // A file where the journal's directory should be.
        Files.writeString(dataDir.resolve("journal"), "not a directory");
        long started = System.nanoTime();
        ExecutionException failure = assertThrows(ExecutionException.class, () -> TestNode.start(dataDir).close());
        StringBuilder causes = new StringBuilder();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) causes.append(cause.getMessage()).append(" / ");
        assertTrue(causes.toString().contains("cannot open the journal in " + dataDir.resolve("journal")), causes.toString());
        // Not the catalog's recovery timing out, nor the start's own deadline.
        assertTrue(System.nanoTime() - started < 20_000_000_000L, "failed only after " + (System.nanoTime() - started) / 1_000_000 + " ms");
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
