package io.eddy.streams;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eddy.model.TableMetadata;
import io.eddy.model.TableStream;
import io.eddy.shards.TableRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.RestartSettings;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.RestartSource;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's triggers: each runs one Pekko Streams pipeline per shard of its stream — live
 * records from the shard's checkpoint on, batched by size and window, delivered, then
 * checkpointed — restarted with backoff if it fails. Triggers and checkpoints are durable
 * ({@link TriggerStore}), so a restarted node resumes every trigger where it stopped.
 */
public final class Triggers {

    private static final Logger log = LoggerFactory.getLogger(Triggers.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Running(TriggerSpec spec, TriggerDelivery delivery, UniqueKillSwitch killSwitch) {
        /** Stops the pipeline and whatever delivery or retry of it is still pending. */
        void stop() {
            delivery.stop();
            killSwitch.shutdown();
        }
    }

    private final ActorSystem<?> system;
    private final TableRegistry tables;
    private final ChangeStreams changes;
    private final TriggerStore store;
    /**
     * Built when the first trigger runs: creating an HttpClient sets up the JVM's default TLS
     * context (reading the CA certificates), a noticeable part of node start when no trigger exists.
     */
    private HttpClient http;
    /** The TLS context of HTTPS endpoints; empty: the JVM's default. */
    private final Optional<SSLContext> tls;
    private final StreamRecordJson recordJson;
    private final Executor executor;
    private final Map<String, Running> running = new ConcurrentHashMap<>();

    private Triggers(ActorSystem<?> system, TableRegistry tables, ChangeStreams changes, TriggerStore store, String region,
                     Optional<SSLContext> tls) {
        this.system = system;
        this.tls = tls;
        this.tables = tables;
        this.changes = changes;
        this.store = store;
        this.recordJson = new StreamRecordJson(region);
        this.executor = system.executionContext();
    }

    private synchronized HttpClient http() {
        if (http == null) {
            HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
            tls.ifPresent(builder::sslContext);
            http = builder.build();
        }
        return http;
    }

    /**
     * Opens the trigger store under {@code dataDir}/triggers, resumes the stored triggers and
     * creates the configured ones ({@code eddy.triggers}) that do not exist yet. Deliveries to
     * HTTPS endpoints use {@code tls} (empty: the JVM's default context).
     */
    public static Triggers start(ActorSystem<?> system, TableRegistry tables, ChangeStreams changes, Path dataDir,
                                 String region, List<? extends Config> configured, Optional<SSLContext> tls) {
        TriggerStore store;
        try {
            store = TriggerStore.open(dataDir.resolve("triggers"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the trigger store under " + dataDir, e);
        }
        Triggers triggers = new Triggers(system, tables, changes, store, region, tls);
        // Pipelines stop before the actor system goes down; a batch in flight is delivered again after a restart.
        CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseServiceStop(), "stop-triggers", () -> {
            triggers.running.values().forEach(Running::stop);
            return CompletableFuture.completedFuture(Done.getInstance());
        });
        system.getWhenTerminated().thenRun(() -> {
            try {
                store.close();
            } catch (IOException e) {
                log.warn("closing the trigger store", e);
            }
        });
        for (TriggerSpec spec : store.all()) triggers.run(spec);
        for (Config config : configured) {
            try {
                TriggerSpec spec = TriggerSpec.fromJson(null, JSON.readTree(config.root().render(
                        com.typesafe.config.ConfigRenderOptions.concise())));
                if (!triggers.running.containsKey(spec.name())) triggers.create(spec);
            } catch (IOException | RuntimeException e) {
                log.error("configured trigger not started: {}", e.getMessage());
            }
        }
        return triggers;
    }

    /**
     * Creates (or replaces) a trigger on the table's enabled stream and starts it. A new trigger
     * starts at TRIM_HORIZON or LATEST, fixed now, so a restart before its first delivery loses nothing.
     *
     * @throws IllegalArgumentException when the table does not exist or has no enabled stream
     */
    public synchronized TriggerSpec create(TriggerSpec requested) {
        TableMetadata table = tables.find(requested.table())
                .orElseThrow(() -> new IllegalArgumentException("table " + requested.table() + " does not exist"));
        TableStream stream = table.options().streams().current()
                .orElseThrow(() -> new IllegalArgumentException("table " + requested.table() + " has no enabled stream"));
        delete(requested.name());
        TriggerSpec spec = requested.boundTo(stream.enabledAtMicros());
        for (int p = 0; p < table.partitionCount(); p++) {
            long start = changes.streams().startingSequenceNr(table, stream, p, spec.startingPosition());
            store.saveCheckpoint(spec.name(), p, start - 1);
        }
        store.put(spec);
        run(spec);
        return spec;
    }

    /** Stops and forgets the trigger and its checkpoints; false if there was none. */
    public synchronized boolean delete(String name) {
        Running stopped = running.remove(name);
        if (stopped != null) stopped.stop();
        store.delete(name);
        return stopped != null;
    }

    /**
     * How far every trigger on this table incarnation has delivered the shard's records: the lowest
     * checkpoint, {@code Long.MAX_VALUE} when no trigger reads the table or every one has delivered
     * the whole shard of a stream that has ended, 0 when one has no checkpoint. Every
     * stored trigger is in {@code running} (a failing pipeline restarts, it is not removed), so the
     * journal keeps what any of them has still to deliver.
     */
    public long delivered(TableMetadata table, int partition) {
        long lowest = Long.MAX_VALUE;
        for (Running r : running.values()) {
            TriggerSpec spec = r.spec();
            // A trigger reads one stream of one incarnation of the table (not a later table of its
            // name), and nothing once that stream is past retention: it has no pipeline then.
            Optional<TableStream> stream = !spec.table().equals(table.name()) || spec.streamEnabledAtMicros() == null
                    ? Optional.empty()
                    : changes.streams().find(spec.table(), spec.streamEnabledAtMicros())
                            .filter(at -> at.table().id().equals(table.id())).map(DynamoStreams.Located::stream);
            if (stream.isEmpty()) continue;
            long checkpoint = store.checkpoint(spec.name(), partition).orElse(0);
            // One whose stream has ended needs nothing past the shard's last record.
            if (changes.streams().readToEnd(table, stream.get(), partition, checkpoint)) continue;
            lowest = Math.min(lowest, checkpoint);
        }
        return lowest;
    }

    public Optional<ObjectNode> status(String name) {
        Running r = running.get(name);
        if (r == null) return Optional.empty();
        ObjectNode json = r.spec().toJson();
        json.put("delivered", r.delivery().delivered.get());
        json.put("sentToOnFailure", r.delivery().failedToDestination.get());
        if (r.delivery().lastError.get() != null) json.put("lastError", r.delivery().lastError.get());
        ObjectNode checkpoints = json.putObject("checkpoints");
        Optional.ofNullable(r.spec().streamEnabledAtMicros())
                .flatMap(enabledAt -> changes.streams().find(r.spec().table(), enabledAt)).map(DynamoStreams.Located::table)
                .ifPresent(table -> {
            for (int p = 0; p < table.partitionCount(); p++) {
                OptionalLong seq = store.checkpoint(r.spec().name(), p);
                if (seq.isPresent()) checkpoints.put(Integer.toString(p), StreamNames.sequenceNumber(seq.getAsLong()));
            }
        });
        return Optional.of(json);
    }

    public List<ObjectNode> list() {
        List<ObjectNode> all = new ArrayList<>();
        running.keySet().stream().sorted().forEach(name -> status(name).ifPresent(all::add));
        return all;
    }

    /** JSON for the admin API's error answers. */
    public static ObjectNode error(String message) {
        return JsonNodeFactory.instance.objectNode().put("message", message);
    }

    private void run(TriggerSpec spec) {
        TriggerDelivery delivery = new TriggerDelivery(spec, http(), recordJson, executor);
        UniqueKillSwitch killSwitch = shards(spec, delivery)
                .viaMat(KillSwitches.single(), Keep.right())
                .toMat(Sink.ignore(), Keep.left())
                .run(system);
        running.put(spec.name(), new Running(spec, delivery, killSwitch));
    }

    /** The stream (and the table incarnation) the trigger reads, unless it is gone (past retention). */
    private Optional<DynamoStreams.Located> located(TriggerSpec spec) {
        return spec.streamEnabledAtMicros() == null ? Optional.empty()
                : changes.streams().find(spec.table(), spec.streamEnabledAtMicros());
    }

    /**
     * Every shard's pipeline, merged, each restarted with backoff on its own when it fails (so one
     * shard's failures never resend another's batches); each resumes after its checkpoint, and
     * ends with its shard (its stream disabled or its table deleted). A trigger whose stream is
     * gone (past retention) has nothing left to deliver: it stays, idle, until it is deleted.
     */
    private Source<Long, NotUsed> shards(TriggerSpec spec, TriggerDelivery delivery) {
        Optional<DynamoStreams.Located> located = located(spec);
        if (located.isEmpty()) {
            log.info("trigger {}: the stream of table {} it reads is gone; nothing more to deliver", spec.name(), spec.table());
            return Source.empty();
        }
        RestartSettings restart = RestartSettings.create(Duration.ofMillis(200), Duration.ofSeconds(10), 0.2);
        int partitions = located.get().table().partitionCount();
        List<Source<Long, NotUsed>> shards = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            int partition = p;
            shards.add(RestartSource.onFailuresWithBackoff(restart, () -> located(spec)
                    .map(at -> shard(spec, delivery, at.table(), at.stream(), partition))
                    .orElseGet(Source::empty)));
        }
        return Source.from(shards).flatMapMerge(shards.size(), s -> s);
    }

    private Source<Long, NotUsed> shard(TriggerSpec spec, TriggerDelivery delivery, TableMetadata table, TableStream stream,
                                        int partition) {
        long from = store.checkpoint(spec.name(), partition).orElse(0) + 1;
        return changes.shard(table, stream, partition, from)
                .groupedWithin(spec.batchSize(), Duration.ofMillis(Math.max(1, spec.batchingWindowMs())))
                // As Lambda's batches, each of one shard: a batch that spans a shard's roll-over is delivered as two.
                .mapConcat(Triggers::byShard)
                .mapAsync(1, batch -> delivery.deliver(batch).thenApply(done -> batch.get(batch.size() - 1).sequenceNr()))
                .map(delivered -> {
                    saveCheckpoint(spec, delivery, partition, delivered);
                    return delivered;
                });
    }

    /**
     * Under the lock {@link #create} and {@link #delete} hold, so that a stopped delivery (its
     * trigger deleted or replaced by one of the same name) never writes over the new one's checkpoints.
     */
    private synchronized void saveCheckpoint(TriggerSpec spec, TriggerDelivery delivery, int partition, long delivered) {
        if (!delivery.stopped()) store.saveCheckpoint(spec.name(), partition, delivered);
    }

    /** A batch cut where its records' shard changes, in order. */
    static List<List<ShardRecord>> byShard(List<ShardRecord> batch) {
        List<List<ShardRecord>> runs = new ArrayList<>();
        for (ShardRecord record : batch) {
            if (runs.isEmpty() || !runs.get(runs.size() - 1).get(0).shardId().equals(record.shardId())) runs.add(new ArrayList<>());
            runs.get(runs.size() - 1).add(record);
        }
        return runs;
    }
}
