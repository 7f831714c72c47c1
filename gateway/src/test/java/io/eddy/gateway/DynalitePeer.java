package io.eddy.gateway;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * dynalite (the open-source DynamoDB implementation on LevelDB, pinned in tools/dynalite) as the
 * reference the differential tests compare Eddy against, in memory on a random loopback port.
 * Amazon's DynamoDB Local would be the closer reference, but its licence is the vendor's own, so
 * the tests do not download it.
 *
 * <p>Installs the pinned package with {@code npm ci} on first use, so {@code mvn verify} stays the
 * one test command; it needs Node.js and npm on the PATH.
 */
final class DynalitePeer implements AutoCloseable {

    /** dynalite's own output, to tell why it stopped answering if it ever does. */
    static final Path LOG = Path.of("target", "dynalite.log");

    private final Process process;
    final DynamoDbClient client;

    private DynalitePeer(Process process, int port) {
        this.process = process;
        this.client = TestNode.client(URI.create("http://127.0.0.1:" + port));
    }

    static DynalitePeer start() throws Exception {
        Path home = toolsDirectory();
        Path cli = home.resolve("node_modules/dynalite/cli.js");
        if (!Files.exists(cli)) run(home, List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"));
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Process process = new ProcessBuilder("node", cli.toString(), "--host", "127.0.0.1", "--port", Integer.toString(port),
                "--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(LOG.toFile()))
                .start();
        awaitListening(process, port);
        return new DynalitePeer(process, port);
    }

    private static Path toolsDirectory() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("tools/dynalite/package.json");
            if (Files.exists(candidate)) return candidate.getParent();
        }
        throw new IllegalStateException("tools/dynalite not found above " + Path.of("").toAbsolutePath());
    }

    private static void run(Path dir, List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).inheritIO().start();
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed in " + dir
                    + " (the differential tests need Node.js and npm on the PATH)");
        }
    }

    private static void awaitListening(Process process, int port) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) throw new IllegalStateException("dynalite exited with " + process.exitValue());
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("dynalite did not listen on " + port + " within 30 s");
    }

    @Override
    public void close() throws InterruptedException {
        client.close();
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
    }
}
