package io.eddy.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** The packaged jar, run as README says: serves, stops cleanly on SIGTERM, and keeps its data. */
class ServerJarIT {

    static final Path JAR = Path.of("target", "eddy-server.jar");
    static final Path LAUNCHER = Path.of("..", "bin", "eddy");

    @TempDir
    Path dataDir;

    @Test
    void jarServesStopsOnSigtermAndRestartsWithItsData() throws Exception {
        assertTrue(Files.isRegularFile(JAR), "the build packages " + JAR.toAbsolutePath());
        ServerProcess first = ServerProcess.fromJar(JAR, dataDir);
        try (DynamoDbClient ddb = TestNode.client(TestNode.endpoint(first.port))) {
            ddb.createTable(b -> b.tableName("JarTable").billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(AttributeDefinition.builder().attributeName("id").attributeType(ScalarAttributeType.S).build())
                    .keySchema(KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build()));
            ddb.putItem(b -> b.tableName("JarTable").item(Map.of("id", AttributeValue.fromS("a"), "v", AttributeValue.fromN("42"))));
        } finally {
            first.process.destroy(); // SIGTERM
        }
        assertTrue(first.process.waitFor(30, TimeUnit.SECONDS), "server stops on SIGTERM");

        ServerProcess second = ServerProcess.fromJar(JAR, dataDir);
        try (DynamoDbClient ddb = TestNode.client(TestNode.endpoint(second.port))) {
            assertEquals("42", ddb.getItem(b -> b.tableName("JarTable").key(Map.of("id", AttributeValue.fromS("a"))))
                    .item().get("v").n());
        } finally {
            second.process.destroy();
            second.process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void launcherMakesTheArchiveOnTheFirstStartAndStartsWithItAfterwards(@TempDir Path dir) throws Exception {
        Path jar = Files.copy(JAR, dir.resolve("eddy-server.jar"));
        Path archive = dir.resolve("eddy-server.jsa");
        Path data = dir.resolve("data");
        ServerProcess first = ServerProcess.fromLauncher(LAUNCHER, jar, data);
        try (DynamoDbClient ddb = TestNode.client(TestNode.endpoint(first.port))) {
            ddb.createTable(b -> b.tableName("Launched").billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(AttributeDefinition.builder().attributeName("id").attributeType(ScalarAttributeType.S).build())
                    .keySchema(KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build()));
            ddb.putItem(b -> b.tableName("Launched").item(Map.of("id", AttributeValue.fromS("a"))));
        } finally {
            first.process.destroy(); // SIGTERM to the JVM, which the launcher became
        }
        assertTrue(first.process.waitFor(30, TimeUnit.SECONDS), "server stops on SIGTERM");
        assertTrue(Files.readString(first.log).contains("making its class-data-sharing archive"), Files.readString(first.log));
        assertTrue(Files.size(archive) > 0, "the first start wrote " + archive);

        ServerProcess second = ServerProcess.fromLauncher(LAUNCHER, jar, data);
        try (DynamoDbClient ddb = TestNode.client(TestNode.endpoint(second.port))) {
            List<String> arguments = List.of(second.process.info().arguments().orElseThrow());
            assertTrue(arguments.contains("-XX:SharedArchiveFile=" + archive), arguments.toString());
            assertFalse(Files.readString(second.log).contains("making its class-data-sharing archive"));
            assertEquals(Map.of("id", AttributeValue.fromS("a")),
                    ddb.getItem(b -> b.tableName("Launched").key(Map.of("id", AttributeValue.fromS("a")))).item());
        } finally {
            second.process.destroy();
            second.process.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
