package io.eddy.streams;

import io.eddy.model.AttributeValue;
import io.eddy.model.ItemKeys;
import io.eddy.model.KeySchema;
import io.eddy.model.TableMetadata;
import io.eddy.persistence.ItemPage;
import io.eddy.shards.ChangeOrigin;
import io.eddy.shards.Shards;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Time to Live: a background Pekko Streams process that, every {@code interval}, walks each
 * partition of each table with TTL enabled (one throttled source per partition, {@code scanRate}
 * items a second) and deletes the items whose TTL attribute is a number of epoch seconds at least
 * {@code lag} in the past. As in DynamoDB, values that are not numbers are ignored, so are expiry
 * times more than five years in the past, and an expired item stays readable until it is deleted.
 *
 * <p>A deletion is a conditional write in the item's partition: it deletes only if the item is
 * still expired then, so a write that renewed the item wins. It is journaled with the
 * {@link ChangeOrigin#TIME_TO_LIVE} origin, so its stream record is a REMOVE by the service.
 */
public final class TimeToLiveSweeper {

    private static final Logger log = LoggerFactory.getLogger(TimeToLiveSweeper.class);
    private static final long FIVE_YEARS_SECONDS = Duration.ofDays(5 * 365).toSeconds();
    private static final int PAGE_ITEMS = 500;

    /** How often a sweep starts, how many items a second it reads, and how long after expiry an item goes. */
    public record Settings(Duration interval, int scanRate, Duration lag) {}

    private final Shards shards;
    private final Settings settings;
    private final Clock clock;

    private TimeToLiveSweeper(Shards shards, Settings settings, Clock clock) {
        this.shards = shards;
        this.settings = settings;
        this.clock = clock;
    }

    /** Starts sweeping; the returned switch stops it (it also stops with the actor system). */
    public static UniqueKillSwitch start(ActorSystem<?> system, Shards shards, Settings settings, Clock clock) {
        TimeToLiveSweeper sweeper = new TimeToLiveSweeper(shards, settings, clock);
        // The switch sits after the sweep, so stopping cuts a sweep short (between items: each deletion is
        // one conditional write in its partition) rather than waiting for it, which could take hours.
        Pair<UniqueKillSwitch, CompletionStage<Done>> running = Source.tick(settings.interval(), settings.interval(), "sweep")
                .flatMapConcat(tick -> sweeper.sweep())
                .viaMat(KillSwitches.single(), Keep.right())
                .toMat(Sink.ignore(), Keep.both())
                .run(system);
        running.second().whenComplete((done, failure) -> {
            if (failure != null) log.error("TTL sweeper stopped", failure);
        });
        // Stopped before the actor system goes down, so no deletion is sent to a partition going down.
        CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseServiceStop(), "stop-ttl-sweeper", () -> {
            running.first().shutdown();
            return running.second().exceptionally(failure -> Done.getInstance());
        });
        return running.first();
    }

    /** One sweep over every partition of every table with TTL enabled; emits each deleted key. */
    Source<Map<String, AttributeValue>, NotUsed> sweep() {
        List<Pair<TableMetadata, Integer>> partitions = new ArrayList<>();
        for (TableMetadata table : shards.tables().all().values()) {
            if (!table.options().timeToLive().enabled()) continue;
            for (int p = 0; p < table.partitionCount(); p++) partitions.add(Pair.create(table, p));
        }
        return Source.from(partitions)
                .flatMapConcat(tp -> sweepPartition(tp.first(), tp.second()));
    }

    private Source<Map<String, AttributeValue>, NotUsed> sweepPartition(TableMetadata table, int partition) {
        String attribute = table.options().timeToLive().attributeName();
        return partitionItems(table, partition)
                .throttle(settings.scanRate(), Duration.ofSeconds(1))
                // A sweep of a big table takes hours: one whose TTL is disabled (or moved to another attribute) meanwhile stops.
                .takeWhile(item -> sweeping(table, attribute))
                .filter(item -> expired(item, attribute, clock.instant()))
                .mapAsync(4, item -> delete(table, attribute, keyOf(table.keySchema(), item)))
                .mapConcat(deleted -> deleted.map(List::of).orElse(List.of()))
                // A partition that cannot be read now (being deleted, say) is swept again next time; the
                // sweep goes on with the next partition. (Pekko counts recoveries: 0 would recover none and
                // let one failed read end the sweeper for good.)
                .recoverWithRetries(1, Throwable.class, () -> {
                    log.debug("TTL sweep of partition {} of {} cut short; swept again next time", partition, table.name());
                    return Source.empty();
                });
    }

    /** The partition's items, read a page at a time (the partition is segment p of partitionCount). */
    private Source<Map<String, AttributeValue>, NotUsed> partitionItems(TableMetadata table, int partition) {
        record Cursor(Optional<Map<String, AttributeValue>> startKey, boolean done) {}
        return Source.unfoldAsync(new Cursor(Optional.empty(), false), cursor -> {
                    if (cursor.done()) return CompletableFuture.completedFuture(Optional.empty());
                    return shards.scan(table, partition, table.partitionCount(), cursor.startKey(), PAGE_ITEMS)
                            .thenApply((ItemPage page) -> {
                                boolean last = page.exhausted() || page.items().isEmpty();
                                Optional<Map<String, AttributeValue>> next = page.items().isEmpty() ? Optional.empty()
                                        : Optional.of(keyOf(table.keySchema(), page.items().get(page.items().size() - 1)));
                                return Optional.of(Pair.create(new Cursor(next, last), page.items()));
                            });
                })
                .mapConcat(items -> items);
    }

    private CompletionStage<Optional<Map<String, AttributeValue>>> delete(TableMetadata table, String attribute,
                                                                          Map<String, AttributeValue> key) {
        // Runs in the partition against the latest item: one renewed meanwhile is left alone.
        return shards.writeItem(table, key,
                        current -> current.isPresent() && expired(current.get(), attribute, clock.instant()) && sweeping(table, attribute)
                                ? Optional.empty() : current,
                        ChangeOrigin.TIME_TO_LIVE)
                .thenApply(written -> written.oldImage().isPresent() && written.newImage().isEmpty()
                        ? Optional.of(key) : Optional.<Map<String, AttributeValue>>empty())
                // One item that cannot be deleted now (held by a transaction, say) waits for the next
                // sweep without stopping this one: the partition's other expired items still go.
                .exceptionally(failure -> {
                    log.debug("TTL deletion of {} in {} failed, left for the next sweep: {}", key, table.name(), failure.toString());
                    return Optional.empty();
                });
    }

    /** Whether the table is still there with TTL enabled on this attribute. */
    private boolean sweeping(TableMetadata table, String attribute) {
        return shards.tables().findById(table.id())
                .map(current -> current.options().timeToLive())
                .filter(ttl -> ttl.enabled() && attribute.equals(ttl.attributeName()))
                .isPresent();
    }

    /** Whether the item's TTL attribute is a number of epoch seconds at least {@code lag} before {@code now}. */
    boolean expired(Map<String, AttributeValue> item, String attribute, Instant now) {
        if (!(item.get(attribute) instanceof AttributeValue.NumberValue number)) return false;
        BigDecimal expiry = number.value();
        long nowSeconds = now.getEpochSecond();
        if (expiry.compareTo(BigDecimal.valueOf(nowSeconds - FIVE_YEARS_SECONDS)) < 0) return false;
        return expiry.compareTo(BigDecimal.valueOf(nowSeconds - settings.lag().toSeconds())) <= 0;
    }

    private static Map<String, AttributeValue> keyOf(KeySchema schema, Map<String, AttributeValue> item) {
        return ItemKeys.keyOfItem(item, schema);
    }
}
