package io.eddy.gateway;

import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/** A real Eddy node on a random loopback port over a data directory, and an AWS SDK v2 client for it. */
final class TestNode implements AutoCloseable {

    final EddyNode node;
    final DynamoDbClient client;
    final Path dataDir;
    /** The node's region, which its clients sign for. */
    final Region region;

    private TestNode(EddyNode node, Path dataDir, Region region) {
        this.node = node;
        this.dataDir = dataDir;
        this.region = region;
        this.client = clientBuilder(endpoint(node.address().getPort()), region).build();
    }

    static TestNode start(Path dataDir) throws Exception {
        return start(dataDir, Map.of());
    }

    /** A node with these settings over the test defaults (random port, {@code dataDir}), e.g. short stream retention. */
    static TestNode start(Path dataDir, Map<String, Object> settings) throws Exception {
        Map<String, Object> all = new java.util.HashMap<>(settings);
        all.putIfAbsent("eddy.http.port", 0);
        all.put("eddy.data-dir", dataDir.toString());
        var config = EddyNode.config(ConfigFactory.parseMap(all));
        return new TestNode(EddyNode.start(config).toCompletableFuture().get(60, TimeUnit.SECONDS), dataDir,
                Region.of(config.getString("eddy.region")));
    }

    URI endpoint() {
        return endpoint(node.address().getPort());
    }

    static URI endpoint(int port) {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** A DynamoDB Streams client of this node (same endpoint, as DynamoDB Local serves both). */
    DynamoDbStreamsClient streamsClient() {
        return DynamoDbStreamsClient.builder()
                .endpointOverride(endpoint())
                .region(region)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    static DynamoDbClient client(URI endpoint) {
        return clientBuilder(endpoint, Region.US_EAST_1).build();
    }

    /** A client that does not retry, so that an error (or a timeout) the server answers reaches the test. */
    static DynamoDbClient noRetryClient(URI endpoint) {
        return clientBuilder(endpoint, Region.US_EAST_1).overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
    }

    private static DynamoDbClientBuilder clientBuilder(URI endpoint, Region region) {
        return DynamoDbClient.builder()
                .endpointOverride(endpoint)
                .region(region)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
                .httpClient(UrlConnectionHttpClient.create());
    }

    @Override
    public void close() throws Exception {
        client.close();
        node.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
