package io.eddy.gateway;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** An Eddy server in a process of its own, for tests that kill or signal it. */
final class ServerProcess {

    final Process process;
    final int port;
    /** Its standard output and error. */
    final Path log;

    private ServerProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Runs {@link EddyServer} from the test class path. */
    static ServerProcess fromClassPath(Path dataDir) throws Exception {
        return fromClassPath(dataDir, List.of());
    }

    /** The same with JVM options first, e.g. {@code -Deddy.some.setting=value} (system properties override the config). */
    static ServerProcess fromClassPath(Path dataDir, List<String> jvmOptions) throws Exception {
        List<String> launch = new ArrayList<>(jvmOptions);
        launch.addAll(List.of("-cp", System.getProperty("java.class.path"), EddyServer.class.getName()));
        return startJava(launch, dataDir);
    }

    /** Runs the packaged server jar, as a user would. */
    static ServerProcess fromJar(Path jar, Path dataDir) throws Exception {
        return startJava(List.of("-jar", jar.toString()), dataDir);
    }

    /** Runs {@code jar} through the launcher script (bin/eddy), as README says, which execs the JVM. */
    static ServerProcess fromLauncher(Path launcher, Path jar, Path dataDir) throws Exception {
        return start(List.of("bash", launcher.toString()), Map.of("EDDY_JAR", jar.toString(), "JAVA_OPTS", "-Xmx512m"), dataDir);
    }

    private static ServerProcess startJava(List<String> launch, Path dataDir) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-Xmx512m");
        command.addAll(launch);
        return start(command, Map.of(), dataDir);
    }

    private static ServerProcess start(List<String> launch, Map<String, String> environment, Path dataDir) throws Exception {
        int port = TestPorts.free();
        List<String> command = new ArrayList<>(launch);
        command.addAll(List.of("--port", Integer.toString(port), "--data-dir", dataDir.toString()));
        // In the build directory (kept for a failure's post-mortem, gone with mvn clean), not beside
        // the temporary data directory, which JUnit deletes but whose siblings it leaves in /tmp.
        Path log = java.nio.file.Files.createDirectories(Path.of("target", "server-logs"))
                .resolve(dataDir.getFileName() + "-server-" + port + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        ServerProcess server = new ServerProcess(builder.start(), port, log);
        server.awaitHealthy();
        return server;
    }

    private void awaitHealthy() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
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
}
