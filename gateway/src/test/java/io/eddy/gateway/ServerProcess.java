package io.eddy.gateway;

import java.io.File;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** An Eddy server in a process of its own, for tests that kill or signal it. */
final class ServerProcess {

    final Process process;
    final int port;

    private ServerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Runs {@link EddyServer} from the test class path. */
    static ServerProcess fromClassPath(Path dataDir) throws Exception {
        return fromClassPath(dataDir, List.of());
    }

    /** The same with JVM options first, e.g. {@code -Deddy.some.setting=value} (system properties override the config). */
    static ServerProcess fromClassPath(Path dataDir, List<String> jvmOptions) throws Exception {
        List<String> launch = new ArrayList<>(jvmOptions);
        launch.addAll(List.of("-cp", System.getProperty("java.class.path"), EddyServer.class.getName()));
        return start(launch, dataDir);
    }

    /** Runs the packaged server jar, as a user would. */
    static ServerProcess fromJar(Path jar, Path dataDir) throws Exception {
        return start(List.of("-jar", jar.toString()), dataDir);
    }

    private static ServerProcess start(List<String> launch, Path dataDir) throws Exception {
        int port = freePort();
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-Xmx512m");
        command.addAll(launch);
        command.addAll(List.of("--port", Integer.toString(port), "--data-dir", dataDir.toString()));
        File log = dataDir.resolveSibling(dataDir.getFileName() + "-server-" + port + ".log").toFile();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
        ServerProcess server = new ServerProcess(process, port);
        server.awaitHealthy();
        return server;
    }

    private void awaitHealthy() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(TestNode.endpoint(port)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) return;
            } catch (java.io.IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        process.destroyForcibly();
        throw new AssertionError("server did not become healthy on port " + port);
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
