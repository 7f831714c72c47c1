package io.eddy.gateway;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * dynalite (the open-source DynamoDB implementation on LevelDB, pinned in tools/dynalite) as the
 * reference the differential tests compare Eddy against, in memory on a random loopback port.
 * Amazon's DynamoDB Local would be the closer reference, but its licence is the vendor's own, so
 * the tests do not download it.
 *
 * <p>Installed and started as a {@link NodeTool}.
 */
final class DynalitePeer implements AutoCloseable {

    /** dynalite's own output, to tell why it stopped answering if it ever does. */
    static final Path LOG = Path.of("target", "dynalite.log");

    private final NodeTool tool;
    final DynamoDbClient client;

    private DynalitePeer(NodeTool tool) {
        this.tool = tool;
        this.client = TestNode.client(URI.create("http://127.0.0.1:" + tool.port()));
    }

    static DynalitePeer start() throws Exception {
        return new DynalitePeer(NodeTool.start("dynalite", "dynalite/cli.js", List.of("--host", "127.0.0.1",
                "--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0"), LOG));
    }

    @Override
    public void close() throws InterruptedException {
        client.close();
        tool.stop();
    }
}
