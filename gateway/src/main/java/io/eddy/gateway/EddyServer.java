package io.eddy.gateway;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's command line: {@code java -jar eddy-server.jar [--host H] [--port P]
 * [--data-dir D] [--config FILE]}. Options override the config file, which overrides the built-in
 * defaults (127.0.0.1:8000, ./data). SIGTERM runs Pekko's coordinated shutdown.
 */
public final class EddyServer {

    private static final Logger log = LoggerFactory.getLogger(EddyServer.class);

    private EddyServer() {}

    private static final String USAGE = "usage: java -jar eddy-server.jar [--host HOST] [--port PORT] [--data-dir DIR] [--config FILE]";

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println(USAGE);
            return;
        }
        Config config;
        try {
            config = config(args);
        } catch (IllegalArgumentException | ConfigException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        EddyNode node;
        Duration startTimeout = startTimeout(config);
        try {
            node = EddyNode.start(config).toCompletableFuture().get(startTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            log.error("Eddy did not start within eddy.start-timeout ({}); giving up", startTimeout);
            System.exit(1);
            return;
        } catch (Exception e) {
            Throwable cause = e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e;
            String usersToFix = usersToFix(cause);
            if (usersToFix != null) {
                log.error("Eddy failed to start: {}", usersToFix);
            } else {
                log.error("Eddy failed to start", cause);
            }
            System.exit(1);
            return;
        }
        log.info("Eddy ready{}: serving DynamoDB API on {}://{}:{} (data in {})", sinceProcessStart(),
                node.secure() ? "https" : "http", node.address().getHostString(), node.address().getPort(),
                Path.of(config.getString("eddy.data-dir")).toAbsolutePath().normalize());
        CoordinatedShutdown.get(node.system()).addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(), "log-stop", () -> {
            log.info("Eddy stopping: HTTP unbound, partitions stopped");
            return CompletableFuture.completedFuture(Done.getInstance());
        });
        node.system().getWhenTerminated().toCompletableFuture().join();
    }

    /**
     * One line for a failed start that is the user's to fix, or null for one that needs its stack
     * trace: a port taken or a host unknown, and a data directory another process has open (a
     * second server started on it; LevelDB's lock says so, deep in the cause chain).
     */
    static String usersToFix(Throwable failure) {
        if (failure instanceof java.io.IOException && failure.getMessage() != null && failure.getMessage().startsWith("cannot bind HTTP")) {
            return failure.getMessage();
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            String message = cause.getMessage();
            // LevelDB's words: "IO error: lock <dir>/LOCK: Resource temporarily unavailable" from another
            // process, "…: already held by process" from this one.
            if (message != null && message.startsWith("IO error: lock ")
                    && (message.endsWith("Resource temporarily unavailable") || message.endsWith("already held by process"))) {
                String opening = failure.getMessage() != null && failure != cause ? failure.getMessage() + ": " : "";
                return opening + message + " (is another Eddy server using this data directory?)";
            }
        }
        return null;
    }

    /** " 2345 ms after the process started", or nothing where the OS does not tell the start time. */
    private static String sinceProcessStart() {
        return ProcessHandle.current().info().startInstant()
                .map(start -> " " + Duration.between(start, Instant.now()).toMillis() + " ms after the process started")
                .orElse("");
    }

    static Config config(String[] args) {
        Map<String, Object> overrides = new HashMap<>();
        // A server process ends when its node shuts down; in-process nodes (tests) must not.
        overrides.put("pekko.coordinated-shutdown.exit-jvm", "on");
        Config file = ConfigFactory.empty();
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (i + 1 >= args.length) throw new IllegalArgumentException("missing value for " + option);
            String value = args[++i];
            switch (option) {
                case "--host" -> overrides.put("eddy.http.host", value);
                case "--port" -> overrides.put("eddy.http.port", port(value));
                case "--data-dir" -> overrides.put("eddy.data-dir", value);
                case "--config" -> {
                    File f = new File(value);
                    if (!f.isFile()) throw new IllegalArgumentException("no such config file: " + value);
                    file = ConfigFactory.parseFile(f);
                }
                default -> throw new IllegalArgumentException("unknown option: " + option);
            }
        }
        Config config = EddyNode.config(ConfigFactory.parseMap(overrides).withFallback(file));
        // An unset variable in a script ("--data-dir $DIR") would put the journal at /journal and the items in ./items.
        if (config.getString("eddy.data-dir").isBlank()) throw new IllegalArgumentException("the data directory must not be empty");
        port(config.getValue("eddy.http.port").unwrapped().toString());
        startTimeout(config);
        return config;
    }

    private static Duration startTimeout(Config config) {
        return config.getDuration("eddy.start-timeout");
    }

    private static int port(String value) {
        try {
            int port = Integer.parseInt(value.trim());
            if (port >= 0 && port <= 65535) return port;
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException("invalid port: " + value + " (0 to 65535; 0 takes any free port)");
    }
}
