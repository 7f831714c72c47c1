package io.eddy.gateway;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Node.js server the tests run beside Eddy, from a package pinned under {@code tools/<name>}:
 * installed with {@code npm ci} on first use (so {@code mvn verify} stays the one test command; it
 * needs Node.js and npm on the PATH), started on a random loopback port, its output in a log.
 */
record NodeTool(Process process, int port) {

    /**
     * Starts {@code tools/<name>/node_modules/<cli>} with {@code --port <port>} and {@code args},
     * and waits until it listens.
     */
    static NodeTool start(String name, String cli, List<String> args, Path log) throws Exception {
        Path home = toolsDirectory(name);
        Path script = home.resolve("node_modules").resolve(cli);
        if (!Files.exists(script)) run(home, List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"), log);
        int port = TestPorts.free();
        List<String> command = new ArrayList<>(List.of("node", script.toString(), "--port", Integer.toString(port)));
        command.addAll(args);
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        awaitListening(name, process, port);
        return new NodeTool(process, port);
    }

    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
    }

    private static Path toolsDirectory(String name) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("tools").resolve(name).resolve("package.json");
            if (Files.exists(candidate)) return candidate.getParent();
        }
        throw new IllegalStateException("tools/" + name + " not found above " + Path.of("").toAbsolutePath());
    }

    private static void run(Path dir, List<String> command, Path log) throws IOException, InterruptedException {
        // Not inheritIO: npm would share the test JVM's stdin and stdout, which are surefire's
        // channel to the forked JVM (npm makes stdin non-blocking; its output corrupts the channel),
        // and the build then fails with "std/in stream corrupted" although every test passed.
        Process p = new ProcessBuilder(command).directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        p.getOutputStream().close();
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed in " + dir + " (these tests need Node.js and npm on the PATH)");
        }
    }

    private static void awaitListening(String name, Process process, int port) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) throw new IllegalStateException(name + " exited with " + process.exitValue());
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException(name + " did not listen on " + port + " within 30 s");
    }
}
