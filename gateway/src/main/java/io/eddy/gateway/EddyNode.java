package io.eddy.gateway;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.eddy.shards.Shards;
import io.eddy.shards.StorageExtension;
import io.eddy.streams.ChangeLog;
import io.eddy.streams.ChangeStreams;
import io.eddy.streams.GlobalIndexes;
import io.eddy.streams.GlobalTableReplication;
import io.eddy.streams.Triggers;
import io.eddy.streams.DynamoStreams;
import io.eddy.streams.StreamNames;
import io.eddy.streams.StreamRecordJson;
import io.eddy.streams.JournalTrimmer;
import io.eddy.streams.KinesisDeliveries;
import io.eddy.streams.KinesisLink;
import io.eddy.streams.PointInTimeItems;
import io.eddy.streams.TimeToLiveSweeper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.Materializer;

/**
 * One running Eddy node: the actor system (cluster, sharded partitions, catalog, journal, item
 * store) and the HTTP server in front of it. Tests start nodes in-process; {@link EddyServer}
 * starts one from the command line.
 */
public final class EddyNode {

    private final ActorSystem<Void> system;
    private final Shards shards;
    private final HttpServer server;
    private final ChangeStreams changeStreams;
    private final RequestMemory requestMemory;

    private EddyNode(ActorSystem<Void> system, Shards shards, HttpServer server, ChangeStreams changeStreams,
                     RequestMemory requestMemory) {
        this.system = system;
        this.shards = shards;
        this.server = server;
        this.changeStreams = changeStreams;
        this.requestMemory = requestMemory;
    }

    /** What this node's requests may hold in memory: tests take from its budgets to stand for requests in flight. */
    RequestMemory requestMemory() {
        return requestMemory;
    }

    /** The tables' streams as live Pekko Streams sources, for applications embedding a node. */
    public ChangeStreams changeStreams() {
        return changeStreams;
    }

    /**
     * The full configuration of a node: {@code overrides} (command line, config file), then the
     * gateway's and the shards' Pekko settings, then every library's reference.conf.
     */
    public static Config config(Config overrides) {
        return ConfigFactory.load(overrides
                .withFallback(ConfigFactory.parseResources(EddyNode.class.getClassLoader(), "eddy-gateway.conf"))
                .withFallback(Shards.nodeConfig()));
    }

    /** Starts a node and completes once it serves requests (the catalog has recovered). */
    public static CompletionStage<EddyNode> start(Config config) {
        // Checked before anything is opened, so that settings that cannot be used leave nothing behind.
        Optional<javax.net.ssl.SSLContext> tls;
        Optional<javax.net.ssl.SSLContext> clientTls;
        List<IpRange> trustedProxies;
        Optional<java.net.URI> kinesisEndpoint;
        Duration streamShardLifetime;
        RequestMemory requestMemory;
        try {
            kinesisEndpoint = HttpKinesisLink.endpoint(config.getConfig("eddy.kinesis"));
            streamShardLifetime = streamShardLifetime(config.getConfig("eddy.streams"));
            tls = HttpServer.tls(config.getConfig("eddy.http.tls"));
            clientTls = ClientTls.of(config.getConfig("eddy.client-tls"));
            trustedProxies = ClientAddress.ranges(config.getStringList("eddy.http.trusted-proxies"));
            HttpServer.requestHeadTimeout(config);
            requestMemory = RequestMemory.of(config);
        } catch (IllegalArgumentException | com.typesafe.config.ConfigException e) {
            return CompletableFuture.failedFuture(e);
        }
        warmUpDefaultTlsContext();
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "eddy", config);
        Shards shards;
        try {
            shards = Shards.start(system);
            // The journal, opened now: one that cannot be opened (permissions, a full disk) fails the
            // start here with its own words, and the actor system is stopped.
            io.eddy.persistence.JournalExtension.get(system.classicSystem()).store();
        } catch (RuntimeException e) {
            system.terminate();
            return CompletableFuture.failedFuture(e);
        }
        Config eddy = config.getConfig("eddy");
        ThroughputLimits throughput = new ThroughputLimits(eddy.getBoolean("throughput.enforce"),
                eddy.getDouble("throughput.burst-seconds"), eddy.getString("region"), eddy.getString("account-id"), System::nanoTime);
        NodeContext node = new NodeContext(shards, eddy.getString("region"), eddy.getString("account-id"),
                eddy.getInt("partitions-per-table"), knownUser(eddy), throughput, new KeyContributors(System::currentTimeMillis),
                streamShardLifetime);
        // The address DescribeEndpoints reports, known once the server is bound (the port may be 0 until then).
        AtomicReference<String> endpoint = new AtomicReference<>();
        Backups backups = new Backups(node, Path.of(eddy.getString("data-dir")), PointInTimeItems.of(system),
                StorageExtension.get(system).itemStore());
        TableExports exports = new TableExports(node, Path.of(eddy.getString("data-dir")), Path.of(eddy.getString("s3-directory")),
                PointInTimeItems.of(system));
        TableImports imports = new TableImports(node, Path.of(eddy.getString("data-dir")), exports, StorageExtension.get(system).itemStore());
        CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseServiceStop(), "eddy-background-jobs", () -> {
            backups.close();
            exports.stop();
            imports.stop();
            return CompletableFuture.completedFuture(org.apache.pekko.Done.getInstance());
        });
        ReplicaRegions regions;
        try {
            regions = ReplicaRegions.of(node.region(), eddy.getConfig("replication.regions"));
        } catch (RuntimeException e) {
            system.terminate();
            return CompletableFuture.failedFuture(e);
        }
        HttpReplicaLink replicaLink = new HttpReplicaLink(system, regions, eddy.getDuration("replication.request-timeout"), clientTls);
        Optional<HttpKinesisLink> kinesis = kinesisEndpoint.map(uri -> HttpKinesisLink.of(system, uri, eddy.getConfig("kinesis"), clientTls));
        UpdateTableOperation updateTable = new UpdateTableOperation(node, regions, replicaLink, StorageExtension.get(system).itemStore());
        TableDeletion deletion = new TableDeletion(node, backups);
        CreateTableOperation createTable = new CreateTableOperation(node);
        Map<String, Operation> operations = Map.ofEntries(
                Map.entry("CreateTable", createTable),
                Map.entry("DescribeTable", new DescribeTableOperation(node)),
                Map.entry("ListTables", new ListTablesOperation(node)),
                Map.entry("DeleteTable", new DeleteTableOperation(node, deletion, new GlobalTableLeaving(node, replicaLink, deletion))),
                Map.entry("UpdateTable", updateTable),
                Map.entry("PutItem", new PutItemOperation(node)),
                Map.entry("GetItem", RequestLayer.currentWording(new GetItemOperation(node))),
                Map.entry("DeleteItem", new DeleteItemOperation(node)),
                Map.entry("UpdateItem", new UpdateItemOperation(node)),
                Map.entry("Query", RequestLayer.currentWording(new QueryOperation(node))),
                Map.entry("Scan", new ScanOperation(node)),
                Map.entry("BatchGetItem", RequestLayer.currentWording(new BatchGetItemOperation(node))),
                Map.entry("BatchWriteItem", new BatchWriteItemOperation(node)),
                Map.entry("TagResource", new TagResourceOperation(node)),
                Map.entry("UntagResource", new UntagResourceOperation(node)),
                Map.entry("ListTagsOfResource", new ListTagsOfResourceOperation(node, eddy.getInt("list-tags-page-size"))),
                Map.entry("DescribeLimits", new DescribeLimitsOperation()),
                Map.entry("DescribeEndpoints", new DescribeEndpointsOperation(endpoint::get)),
                Map.entry("CreateGlobalTable", new CreateGlobalTableOperation()),
                Map.entry("UpdateGlobalTable", new UpdateGlobalTableOperation()),
                Map.entry("DescribeGlobalTable", new DescribeGlobalTableOperation()),
                Map.entry("ListGlobalTables", new ListGlobalTablesOperation()),
                Map.entry("DescribeGlobalTableSettings", new DescribeGlobalTableSettingsOperation()),
                Map.entry("UpdateGlobalTableSettings", new UpdateGlobalTableSettingsOperation()),
                Map.entry("DescribeTableReplicaAutoScaling", new DescribeTableReplicaAutoScalingOperation(node)),
                Map.entry("UpdateTableReplicaAutoScaling", new UpdateTableReplicaAutoScalingOperation(node)),
                Map.entry("EnableKinesisStreamingDestination", new EnableKinesisStreamingDestinationOperation(node, kinesis.isPresent())),
                Map.entry("DisableKinesisStreamingDestination", new DisableKinesisStreamingDestinationOperation(node)),
                Map.entry("UpdateKinesisStreamingDestination", new UpdateKinesisStreamingDestinationOperation(node)),
                Map.entry("DescribeKinesisStreamingDestination", new DescribeKinesisStreamingDestinationOperation(node)),
                Map.entry("SearchVectors", new SearchVectorsOperation(node, StorageExtension.get(system).itemStore(),
                        eddy.getDuration("vector-search-timeout"))),
                Map.entry("UpdateTimeToLive", new UpdateTimeToLiveOperation(node, eddy.getDuration("ttl.update-interval"))),
                Map.entry("DescribeTimeToLive", new DescribeTimeToLiveOperation(node)),
                Map.entry("UpdateContributorInsights", new UpdateContributorInsightsOperation(node)),
                Map.entry("DescribeContributorInsights", new DescribeContributorInsightsOperation(node)),
                Map.entry("ListContributorInsights", new ListContributorInsightsOperation(node)),
                Map.entry("TransactWriteItems", new TransactWriteItemsOperation(node)),
                Map.entry("TransactGetItems", new TransactGetItemsOperation(node)),
                Map.entry("ExecuteStatement", new ExecuteStatementOperation(node)),
                Map.entry("BatchExecuteStatement", new BatchExecuteStatementOperation(node)),
                Map.entry("ExecuteTransaction", new ExecuteTransactionOperation(node)),
                Map.entry("CreateBackup", new CreateBackupOperation(node, backups)),
                Map.entry("DescribeBackup", new DescribeBackupOperation(backups)),
                Map.entry("ListBackups", new ListBackupsOperation(node, backups)),
                Map.entry("DeleteBackup", new DeleteBackupOperation(backups)),
                Map.entry("RestoreTableFromBackup", new RestoreTableFromBackupOperation(node, backups)),
                Map.entry("RestoreTableToPointInTime", new RestoreTableToPointInTimeOperation(node, backups)),
                Map.entry("DescribeContinuousBackups", new DescribeContinuousBackupsOperation(node)),
                Map.entry("UpdateContinuousBackups", new UpdateContinuousBackupsOperation(node)),
                Map.entry("ExportTableToPointInTime", new ExportTableToPointInTimeOperation(node, exports, eddy.getDuration("exports.incremental-minimum-period"))),
                Map.entry("DescribeExport", new DescribeExportOperation(node, exports)),
                Map.entry("ListExports", new ListExportsOperation(exports)),
                Map.entry("ImportTable", new ImportTableOperation(node, imports)),
                Map.entry("DescribeImport", new DescribeImportOperation(node, imports)),
                Map.entry("ListImports", new ListImportsOperation(imports)),
                Map.entry("PutResourcePolicy", new PutResourcePolicyOperation(node)),
                Map.entry("GetResourcePolicy", new GetResourcePolicyOperation(node)),
                Map.entry("DeleteResourcePolicy", new DeleteResourcePolicyOperation(node)));
        ChangeLog changeLog = ChangeLog.of(system);
        DynamoStreams streams = new DynamoStreams(shards.tables(), changeLog, StorageExtension.get(system).changesInFlight(),
                new StreamNames(node.region(), node.accountId()), streamSettings(eddy), Clock.systemUTC());
        Map<String, Operation> streamOperations = Map.of(
                "ListStreams", new ListStreamsOperation(streams),
                "DescribeStream", new DescribeStreamOperation(streams),
                "GetShardIterator", new GetShardIteratorOperation(streams),
                "GetRecords", new GetRecordsOperation(streams, new StreamRecordJson(node.region())));
        Map<String, Operation> replicationOperations = Map.of(
                "CreateTableReplica", new CreateTableReplicaOperation(node, createTable, regions),
                "ReplicateItems", new ReplicateItemsOperation(node, regions),
                "UpdateReplicas", new UpdateReplicasOperation(node, regions, StorageExtension.get(system).itemStore(), changeLog),
                "DeleteTableReplica", new DeleteTableReplicaOperation(node, regions, deletion),
                "RemoveReplica", new RemoveReplicaOperation(node, regions),
                "UpdateReplica", new UpdateReplicaOperation(node, regions, updateTable));
        ChangeStreams changeStreams = new ChangeStreams(shards.tables(), changeLog, streams, system.executionContext());
        Materializer materializer = Materializer.matFromSystem(system);
        // Bound now, while the cluster forms and the catalog recovers; requests wait at the gate
        // until the node serves them. A port that cannot be bound fails the start at once.
        StartGate gate = new StartGate();
        HttpServer server;
        try {
            server = HttpServer.bind(system, eddy.getString("http.host"), eddy.getInt("http.port"), tls, gate);
        } catch (IOException | java.nio.channels.UnresolvedAddressException e) {
            system.terminate();
            String why = e instanceof java.nio.channels.UnresolvedAddressException ? "no such host" : e.getMessage();
            return CompletableFuture.failedFuture(new IOException("cannot bind HTTP to " + eddy.getString("http.host") + ":"
                    + eddy.getInt("http.port") + ": " + why, e));
        }
        endpoint.set(advertisedAddress(server.localAddress()));
        server.addToCoordinatedShutdown(Duration.ofSeconds(10), system);
        CompletionStage<DynamoHttpHandler> serving = shards.ready()
                .thenApply(ready -> {
                    backups.resumeSystemBackups(); // holds their tables' history before the trimmer starts
                    TimeToLiveSweeper.start(system, shards, ttlSettings(eddy), Clock.systemUTC());
                    GlobalIndexes.start(system, shards, changeLog, GlobalIndexes.Settings.of(eddy.getConfig("global-indexes")));
                    GlobalTableReplication.start(system, shards, changeLog, replicaLink, node.region(),
                            GlobalTableReplication.Settings.of(eddy.getConfig("replication")));
                    Triggers triggers = Triggers.start(system, shards.tables(), changeStreams, Path.of(eddy.getString("data-dir")),
                            node.region(), eddy.getConfigList("triggers"), clientTls);
                    KinesisDeliveries.start(system, shards, changeLog, kinesis.<KinesisLink>map(link -> link), node.region(),
                            KinesisDeliveries.Settings.of(eddy.getConfig("kinesis")));
                    // The interrupted jobs hold the history they read before the trimmer starts.
                    backups.resumeRestores();
                    exports.resume();
                    imports.resume();
                    JournalTrimmer.start(system, shards.tables(), streams, triggers,
                            JournalTrimmer.Settings.of(eddy.getConfig("journal-trimming")));
                    return new DynamoHttpHandler(operations, streamOperations, replicationOperations, new AdminHttpHandler(triggers, materializer, node),
                            materializer, new Metrics(shards.partitions(), throughput, requestMemory), verifier(eddy), policy(eddy, node, trustedProxies, tls.isPresent()),
                            regions, requestMemory);
                });
        return serving.thenApply(handler -> {
                    gate.open(handler);
                    return new EddyNode(system, shards, server, changeStreams, requestMemory);
                })
                .whenComplete((started, failure) -> {
                    if (failure != null) system.terminate();
                });
    }

    /**
     * Pekko HTTP's plain-HTTP connections carry a placeholder TLS session taken from the JVM's
     * default SSLContext ({@code TLSPlacebo}), built when the first connection arrives: loading the
     * security providers and the CA certificates costs several hundred ms of CPU, which the first
     * request after a restart would wait for. Built on a thread of its own, it overlaps with the
     * actor system's start instead. Once per JVM: the default context is cached.
     */
    private static void warmUpDefaultTlsContext() {
        Thread warmUp = new Thread(() -> {
            try {
                SSLContext.getDefault().createSSLEngine().getSession();
            } catch (Exception | LinkageError e) {
                // Not fatal here: the first connection builds it again and reports the failure.
            }
        }, "eddy-tls-warm-up");
        warmUp.setDaemon(true);
        warmUp.start();
    }

    /** host:port as clients reach the node; a wildcard bind is reported as localhost. */
    private static String advertisedAddress(InetSocketAddress bound) {
        String host = bound.getAddress() != null && bound.getAddress().isAnyLocalAddress() ? "localhost" : bound.getHostString();
        return host + ":" + bound.getPort();
    }

    /** The SigV4 verifier of the configured credentials ({@code eddy.auth.credentials}); null for none: development mode. */
    private static SigV4Verifier verifier(Config eddy) {
        Config credentials = eddy.getConfig("auth.credentials");
        if (credentials.isEmpty()) return null;
        Map<String, String> secrets = new java.util.HashMap<>();
        credentials.root().keySet().forEach(accessKey -> secrets.put(accessKey, credentials.getString(com.typesafe.config.ConfigUtil.joinPath(accessKey))));
        return new SigV4Verifier(secrets, eddy.getString("region"));
    }

    /**
     * What each access key may do ({@code eddy.auth.permissions} and the resource-based policies);
     * null for no restriction: only with credentials, since without them no key is verified.
     */
    private static AccessPolicy policy(Config eddy, NodeContext node, List<IpRange> trustedProxies, boolean secure) {
        if (eddy.getConfig("auth.credentials").isEmpty()) return null;
        return AccessPolicy.of(eddy.getConfig("auth.permissions"), node, secure, trustedProxies);
    }

    /** Whether an access key exists, for the principals of resource-based policies; any may without credentials. */
    private static java.util.function.Predicate<String> knownUser(Config eddy) {
        Config credentials = eddy.getConfig("auth.credentials");
        if (credentials.isEmpty()) return user -> true;
        java.util.Set<String> keys = java.util.Set.copyOf(credentials.root().keySet());
        return keys::contains;
    }

    /** eddy.streams.shard-lifetime: from a second (whole milliseconds) to a year. */
    static Duration streamShardLifetime(Config streams) {
        Duration lifetime = streams.getDuration("shard-lifetime");
        if (lifetime.compareTo(Duration.ofSeconds(1)) < 0 || lifetime.compareTo(Duration.ofDays(365)) > 0) {
            throw new IllegalArgumentException("eddy.streams.shard-lifetime must be from 1s to 365d: " + lifetime);
        }
        return lifetime;
    }

    private static DynamoStreams.Settings streamSettings(Config eddy) {
        return new DynamoStreams.Settings(eddy.getDuration("streams.retention"), eddy.getDuration("streams.iterator-lifetime"));
    }

    private static TimeToLiveSweeper.Settings ttlSettings(Config eddy) {
        return new TimeToLiveSweeper.Settings(eddy.getDuration("ttl.sweep-interval"), eddy.getInt("ttl.scan-rate"),
                eddy.getDuration("ttl.deletion-lag"));
    }

    public InetSocketAddress address() {
        return server.localAddress();
    }

    /** Whether the endpoint speaks HTTPS ({@code eddy.http.tls}). */
    public boolean secure() {
        return server.secure();
    }

    public ActorSystem<Void> system() {
        return system;
    }

    public Shards shards() {
        return shards;
    }

    /** Unbinds HTTP, stops the actors, closes the journal and the item store. */
    public CompletionStage<Done> stop() {
        return CoordinatedShutdown.get(system).runAll(CoordinatedShutdown.unknownReason());
    }
}
