package io.eddy.streams;

import io.eddy.model.DynamoException;
import io.eddy.model.TableMetadata;
import io.eddy.model.TableStream;
import io.eddy.shards.PartitionId;
import io.eddy.shards.TableRegistry;
import io.eddy.streams.DynamoStreams.IteratorType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Source;

/**
 * A table's stream as live Pekko Streams sources, for consumers inside the node (triggers) and
 * for embedding Eddy in a Java application: the same records GetRecords returns, pushed as they
 * are journaled. Each shard is a partition, so per-item order holds within the merged source too.
 */
public final class ChangeStreams {

    /**
     * How long after a stream's end a shard with nothing more to read is taken as finished: a
     * change's time is taken before its journal write, so one made just before the end can still
     * be on its way to the disk.
     */
    static final Duration END_GRACE = Duration.ofSeconds(10);
    /** How often a shard's source to which nothing comes asks whether its stream has ended. */
    static final Duration END_CHECK_INTERVAL = Duration.ofSeconds(1);

    private final TableRegistry tables;
    private final ChangeLog changes;
    private final DynamoStreams streams;
    private final Executor executor;

    /** Completed every {@link #END_CHECK_INTERVAL} while shard sources wait: one timer for all of them. */
    private final AtomicReference<CompletableFuture<?>> endCheck = new AtomicReference<>(CompletableFuture.completedFuture(null));

    public ChangeStreams(TableRegistry tables, ChangeLog changes, DynamoStreams streams, Executor executor) {
        this.tables = tables;
        this.changes = changes;
        this.streams = streams;
        this.executor = executor;
    }

    public DynamoStreams streams() {
        return streams;
    }

    /** The table's enabled stream, or a ValidationException when it has none. */
    public TableStream currentStream(TableMetadata table) {
        return table.options().streams().current().orElseThrow(() ->
                DynamoException.validation("Table " + table.name() + " has no enabled stream"));
    }

    /**
     * Live records of every shard of the table's enabled stream, from TRIM_HORIZON or LATEST.
     * Completes only once the stream has ended (disabled, or its table deleted) and every shard has
     * been read to its end (see {@link #shard}).
     */
    public Source<ShardRecord, NotUsed> tableChanges(String tableName, IteratorType start) {
        TableMetadata table = tables.find(tableName)
                .orElseThrow(() -> DynamoException.resourceNotFound("Requested resource not found: Table: " + tableName + " not found"));
        TableStream stream = currentStream(table);
        List<Source<ShardRecord, NotUsed>> shards = new ArrayList<>();
        for (int p = 0; p < table.partitionCount(); p++) {
            shards.add(shard(table, stream, p, streams.startingSequenceNr(table, stream, p, start)));
        }
        return Source.from(shards).flatMapMerge(Math.max(1, shards.size()), s -> s);
    }

    /**
     * The next end check, shared by every waiting shard source: so they are woken together once an
     * interval, not each by a timer of its own, and none when no source waits.
     */
    private CompletableFuture<?> nextEndCheck() {
        while (true) {
            CompletableFuture<?> current = endCheck.get();
            if (!current.isDone()) return current;
            CompletableFuture<Void> next = new CompletableFuture<>();
            if (endCheck.compareAndSet(current, next)) {
                next.completeOnTimeout(null, END_CHECK_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
                return next;
            }
        }
    }

    /** The table's stream as the catalog has it now (disabled since), or empty once it is gone. */
    private Optional<DynamoStreams.Located> current(TableMetadata table, TableStream stream) {
        return streams.find(table.name(), stream.enabledAtMicros()).filter(now -> now.table().id().equals(table.id()));
    }

    /**
     * When the table's stream ends, as the catalog has it now: {@code Long.MAX_VALUE} while it is
     * enabled, {@code Long.MIN_VALUE} once it is gone. A change at or after it is not the stream's.
     */
    private long end(TableMetadata table, TableStream stream) {
        return current(table, stream)
                .map(now -> now.stream().enabled() ? Long.MAX_VALUE : now.stream().disabledAtMicros())
                .orElse(Long.MIN_VALUE);
    }

    /**
     * Whether a shard source that finds nothing new from {@code position} on has read its stream:
     * it is gone, or it ended {@link #END_GRACE} ago and has been read to its end
     * ({@link DynamoStreams#readToEnd}: nothing stamped before the end on its way to the journal,
     * nor landed since the source looked).
     */
    private boolean readToEnd(TableMetadata table, TableStream stream, int partition, long position) {
        return current(table, stream).map(now -> !now.stream().enabled()
                        && TableStream.micros(Instant.now().minus(END_GRACE)) >= now.stream().disabledAtMicros()
                        && streams.readToEnd(now.table(), now.stream(), partition, position - 1))
                .orElse(true);
    }

    /**
     * Live records of one shard from a journal sequence number on. The stream may be disabled or
     * its table deleted meanwhile, so where it ends is asked of the catalog as changes come: the
     * source completes at the first change made after its end, or, when none comes, at its first
     * check ({@link #END_CHECK_INTERVAL}) that finds nothing new in the partition {@link #END_GRACE}
     * after its end with no change stamped before the end still on its way (or once the stream is gone).
     */
    public Source<ShardRecord, NotUsed> shard(TableMetadata table, TableStream stream, int partition, long from) {
        String arn = streams.names().streamArn(table, stream);
        PartitionId id = new PartitionId(table.id(), partition);
        return Source.fromMaterializer((materializer, attributes) -> {
                    // Past the last change handed on: where a source that finds nothing new asks the journal again.
                    AtomicLong position = new AtomicLong(from);
                    return changes.followBatches(id, from, executor, this::nextEndCheck)
                            .takeWhile(batch -> {
                                if (!batch.isEmpty()) position.set(batch.get(batch.size() - 1).sequenceNr() + 1);
                                return !batch.isEmpty() || !readToEnd(table, stream, partition, position.get());
                            });
                })
                .mapConcat(batch -> batch)
                .takeWhile(change -> change.event().timestampMicros() < end(table, stream))
                .filter(change -> stream.covers(change.event().timestampMicros()))
                .map(change -> {
                    // The shard of the change's time: shards roll over while a live source follows the partition.
                    String shardId = StreamNames.shardIdAt(table, stream, partition, change.event().timestampMicros());
                    return new ShardRecord(arn, shardId, partition, change.sequenceNr(),
                            StreamRecords.of(table, stream.viewType(), shardId, change.sequenceNr(), change.event()));
                })
                .mapMaterializedValue(ignored -> NotUsed.getInstance());
    }
}
