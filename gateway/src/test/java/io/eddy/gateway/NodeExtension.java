package io.eddy.gateway;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * One {@link TestNode} for a test class, over a temporary data directory of its own:
 * {@code @RegisterExtension static final NodeExtension node = new NodeExtension();}.
 * The node starts before the class's {@code @BeforeAll} methods (which may use it to create tables)
 * and stops after its {@code @AfterAll} methods; the directory is deleted then.
 */
final class NodeExtension implements BeforeAllCallback, AfterAllCallback {

    private final Map<String, Object> settings;
    private Path dataDir;
    private TestNode server;

    NodeExtension() {
        this(Map.of());
    }

    private NodeExtension(Map<String, Object> settings) {
        this.settings = settings;
    }

    /** A node with these settings over the test defaults, as {@link TestNode#start(Path, Map)}. */
    static NodeExtension with(Map<String, Object> settings) {
        return new NodeExtension(settings);
    }

    TestNode server() {
        if (server == null) throw new IllegalStateException("no node: NodeExtension starts it before all tests of a class");
        return server;
    }

    DynamoDbClient client() {
        return server().client;
    }

    Path dataDir() {
        return server().dataDir;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dataDir = Files.createTempDirectory("eddy-" + context.getRequiredTestClass().getSimpleName());
        server = TestNode.start(dataDir, settings);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            if (server != null) server.close();
        } finally {
            server = null;
            if (dataDir != null) delete(dataDir);
            dataDir = null;
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) Files.delete(path);
        }
    }
}
