package io.eddy.gateway;

import io.eddy.model.DynamoException;
import io.eddy.model.ErrorCode;
import io.eddy.model.SecondaryIndex;
import io.eddy.model.TableMetadata;
import io.eddy.model.ThrottlingReason;
import io.eddy.shards.ItemReply;
import io.eddy.shards.ItemUpdate;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The capacity a table and its global secondary indexes may consume, enforced as DynamoDB enforces
 * it: a provisioned table's (or index's) read and write capacity units per second, with up to
 * {@code burstSeconds} of unused capacity kept for bursts (DynamoDB keeps five minutes); an on-demand
 * table's (or index's) maximum request units per second (OnDemandThroughput), with one second's
 * worth kept. A local secondary index consumes its table's capacity.
 *
 * <p>Each limit is a bucket of units, full when first used, refilled continuously. A request is let
 * in while its buckets hold any units at all, and once done is charged what it consumed (its
 * ConsumedCapacity), which may leave a bucket owing: a 1 MB Scan of a 5-unit table goes through, and
 * the next requests wait until the units are repaid. A write is let in only while the table and every
 * global index with a limit have units, since a write may have to update any of them. Refusals are
 * DynamoDB's: ProvisionedThroughputExceededException, or ThrottlingException for an on-demand
 * maximum, with the limit and resource in ThrottlingReasons.
 *
 * <p>The buckets live in the node's memory: a restart fills them again. Tables with no limit (on
 * demand without maxima) cost nothing here: callers size what a request consumed only for tables
 * that have one ({@link #limited}) or when it is reported.
 */
final class ThroughputLimits {

    enum Use { READ, WRITE }

    /** The seconds of capacity an on-demand maximum lets a burst use at once. */
    private static final double ON_DEMAND_BURST_SECONDS = 1;

    private final boolean enforced;
    private final double burstSeconds;
    private final String region;
    private final String accountId;
    private final LongSupplier nanoClock;
    private final Map<BucketKey, Bucket> buckets = new ConcurrentHashMap<>();
    /** Requests refused, by table and ThrottlingReason reason: DynamoDB's throttle-event metrics. */
    private final Map<ThrottleKey, LongAdder> refused = new ConcurrentHashMap<>();

    /** What {@code eddy_throttled_requests_total} counts: refusals of a table's requests for one reason. */
    record ThrottleKey(String table, String reason) {}

    ThroughputLimits(boolean enforced, double burstSeconds, String region, String accountId, LongSupplier nanoClock) {
        this.enforced = enforced;
        this.burstSeconds = burstSeconds;
        this.region = region;
        this.accountId = accountId;
        this.nanoClock = nanoClock;
    }

    /** Whether any request to the table may be throttled: it is provisioned, or has an on-demand maximum. */
    boolean limited(TableMetadata table) {
        if (!enforced) return false;
        if (table.billingMode() == TableMetadata.BillingMode.PROVISIONED) return true;
        if (table.options().onDemandThroughput().maxReadRequestUnits() != null
                || table.options().onDemandThroughput().maxWriteRequestUnits() != null) {
            return true;
        }
        for (SecondaryIndex index : table.options().indexes()) {
            if (index.onDemandThroughput().maxReadRequestUnits() != null || index.onDemandThroughput().maxWriteRequestUnits() != null) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param readIndex for a read, the index it reads (a global index has capacity of its own); empty
     *                  for the table, and for every write
     * @throws DynamoException when the table, or an index the request reads or may write, has no units left
     */
    void admit(TableMetadata table, Use use, Optional<SecondaryIndex> readIndex) {
        Optional<DynamoException> refusal = refusal(table, use, readIndex);
        if (refusal.isPresent()) throw refusal.get();
    }

    /** What {@link #admit} would throw, for the batch operations, which leave a throttled table's requests unprocessed. */
    Optional<DynamoException> refusal(TableMetadata table, Use use, Optional<SecondaryIndex> readIndex) {
        if (!limited(table)) return Optional.empty();
        long now = nanoClock.getAsLong();
        Optional<SecondaryIndex> global = readIndex.filter(index -> !index.local());
        if (use == Use.READ && global.isPresent()) return refusalOf(table, global, use, now);
        Optional<DynamoException> tableRefusal = refusalOf(table, Optional.empty(), use, now);
        if (tableRefusal.isPresent() || use == Use.READ) return tableRefusal;
        for (SecondaryIndex index : table.options().indexes()) {
            if (index.local() || index.status() == SecondaryIndex.Status.DELETING) continue;
            Optional<DynamoException> indexRefusal = refusalOf(table, Optional.of(index), use, now);
            if (indexRefusal.isPresent()) return indexRefusal;
        }
        return Optional.empty();
    }

    /** Charges the table (and its local indexes' units) and each global index what a request consumed. */
    void charge(TableMetadata table, Use use, ConsumedCapacity consumed) {
        if (!limited(table)) return;
        long now = nanoClock.getAsLong();
        double tableUnits = consumed.table() + consumed.localIndexes().values().stream().mapToDouble(Double::doubleValue).sum();
        take(table, Optional.empty(), use, tableUnits, now);
        for (Map.Entry<String, Double> units : consumed.globalIndexes().entrySet()) {
            table.options().indexes().stream().filter(index -> index.name().equals(units.getKey())).findFirst()
                    .ifPresent(index -> take(table, Optional.of(index), use, units.getValue(), now));
        }
    }

    /**
     * What a request consumed, charged now when the table has limits; otherwise left to be sized only
     * if it is reported (sizing items passes over every string of them).
     */
    Supplier<ConsumedCapacity> charged(TableMetadata table, Use use, Supplier<ConsumedCapacity> consumed) {
        if (!limited(table)) return consumed;
        ConsumedCapacity sized = consumed.get();
        charge(table, use, sized);
        return () -> sized;
    }

    /** {@link #charged} for a single-item write that replaced its old image by its new one. */
    Supplier<ConsumedCapacity> chargedWrite(TableMetadata table, ItemReply.Written written) {
        return charged(table, Use.WRITE, () -> ConsumedCapacity.ofWrite(table, written.oldImage(), written.newImage()));
    }

    /**
     * The update of a conditional single-item write, charging the table when the condition fails:
     * DynamoDB consumes write capacity for a failed condition too, the existing item's units (one
     * when there is none). The update runs in the item's partition.
     */
    ItemUpdate chargingFailedCondition(TableMetadata table, ItemUpdate update) {
        if (!limited(table)) return update;
        return current -> {
            try {
                return update.apply(current);
            } catch (DynamoException refusal) {
                if (refusal.code() == ErrorCode.ConditionalCheckFailedException) {
                    charge(table, Use.WRITE, ConsumedCapacity.ofTable(table.name(), ConsumedCapacity.writeUnitsOf(table, current)));
                }
                throw refusal;
            }
        };
    }

    /** Drops the buckets of a table incarnation that is gone (deleted). */
    void forget(UUID table) {
        buckets.keySet().removeIf(key -> key.table().equals(table));
    }

    /** The refusals so far, by table and reason, sorted so that the metrics come in a stable order. */
    Map<ThrottleKey, Long> refusals() {
        Map<ThrottleKey, Long> counts = new TreeMap<>(Comparator.comparing(ThrottleKey::table).thenComparing(ThrottleKey::reason));
        refused.forEach((events, count) -> counts.put(events, count.sum()));
        return counts;
    }

    private Optional<DynamoException> refusalOf(TableMetadata table, Optional<SecondaryIndex> index, Use use, long now) {
        Optional<Limit> limit = limitOf(table, index, use);
        if (limit.isEmpty() || bucket(table, index, use).hasUnits(limit.get(), now)) return Optional.empty();
        DynamoException refusal = throttled(table, index, use, limit.get().onDemand());
        refused.computeIfAbsent(new ThrottleKey(table.name(), refusal.throttlingReasons().get(0).reason()), key -> new LongAdder())
                .increment();
        return Optional.of(refusal);
    }

    private void take(TableMetadata table, Optional<SecondaryIndex> index, Use use, double units, long now) {
        Optional<Limit> limit = limitOf(table, index, use);
        if (limit.isPresent() && units > 0) bucket(table, index, use).take(units, limit.get(), now);
    }

    private Bucket bucket(TableMetadata table, Optional<SecondaryIndex> index, Use use) {
        return buckets.computeIfAbsent(new BucketKey(table.id(), index.map(SecondaryIndex::id), use), key -> new Bucket());
    }

    /** The limit of the table (index empty) or of one of its global indexes, if it has one. */
    private Optional<Limit> limitOf(TableMetadata table, Optional<SecondaryIndex> index, Use use) {
        if (table.billingMode() == TableMetadata.BillingMode.PROVISIONED) {
            long units;
            if (index.isEmpty()) {
                units = use == Use.READ ? table.throughput().readCapacityUnits() : table.throughput().writeCapacityUnits();
            } else {
                SecondaryIndex.IndexThroughput throughput = index.get().throughput();
                if (throughput == null) return Optional.empty();
                units = use == Use.READ ? throughput.readCapacityUnits() : throughput.writeCapacityUnits();
            }
            return units > 0 ? Optional.of(new Limit(units, units * burstSeconds, false)) : Optional.empty();
        }
        var maxima = index.isEmpty() ? table.options().onDemandThroughput() : index.get().onDemandThroughput();
        Long max = use == Use.READ ? maxima.maxReadRequestUnits() : maxima.maxWriteRequestUnits();
        if (max == null || max <= 0) return Optional.empty();
        return Optional.of(new Limit(max, max * ON_DEMAND_BURST_SECONDS, true));
    }

    /** DynamoDB's refusal: the exception, its message and the ThrottlingReason naming the limit and the resource. */
    private DynamoException throttled(TableMetadata table, Optional<SecondaryIndex> index, Use use, boolean onDemand) {
        String resource = index.map(i -> TableArns.indexArn(region, accountId, table.name(), i.name()))
                .orElseGet(() -> TableArns.arn(region, accountId, table.name()));
        String reason = (index.isPresent() ? "Index" : "Table") + (use == Use.READ ? "Read" : "Write")
                + (onDemand ? "MaxOnDemandThroughputExceeded" : "ProvisionedThroughputExceeded");
        if (onDemand) {
            return DynamoException.throttled(ErrorCode.ThrottlingException,
                    "Throughput exceeds the maximum OnDemandThroughput configured on table or index", new ThrottlingReason(reason, resource));
        }
        String message;
        if (index.isEmpty()) {
            message = "The level of configured provisioned throughput for the table was exceeded. "
                    + "Consider increasing your provisioning level with the UpdateTable API.";
        } else if (use == Use.WRITE) {
            message = "The level of configured provisioned throughput for one or more global secondary indexes of the table was "
                    + "exceeded. Consider increasing your provisioning level for the under-provisioned global secondary indexes "
                    + "with the UpdateTable API";
        } else {
            message = "The level of configured provisioned throughput for the index was exceeded";
        }
        return DynamoException.throttled(ErrorCode.ProvisionedThroughputExceededException, message, new ThrottlingReason(reason, resource));
    }

    /** A table incarnation's own bucket, or one of its indexes' (by id: an index made again starts afresh). */
    private record BucketKey(UUID table, Optional<UUID> index, Use use) {}

    /** Units per second and the most a bucket holds. */
    private record Limit(double unitsPerSecond, double capacity, boolean onDemand) {}

    /**
     * Units available to one table's or index's reads or writes. The limit is passed in each time,
     * so an UpdateTable applies at once: units above a lowered capacity are dropped, and a raised
     * rate also refills the time since the bucket was last used.
     */
    private static final class Bucket {
        private double units = Double.NaN;
        private long updatedNanos;

        synchronized boolean hasUnits(Limit limit, long now) {
            refill(limit, now);
            return units > 0;
        }

        synchronized void take(double taken, Limit limit, long now) {
            refill(limit, now);
            units -= taken;
        }

        /** {@code now} was read before the lock: a thread that waited for it may bring an earlier time, which adds nothing. */
        private void refill(Limit limit, long now) {
            if (Double.isNaN(units)) {
                units = limit.capacity();
                updatedNanos = now;
            } else if (now > updatedNanos) {
                units = Math.min(limit.capacity(), units + limit.unitsPerSecond() * (now - updatedNanos) / 1e9);
                updatedNanos = now;
            } else {
                units = Math.min(limit.capacity(), units);
            }
        }
    }
}
