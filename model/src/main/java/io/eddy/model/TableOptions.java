package io.eddy.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The table settings beyond keys and billing (stream, TTL, deletion protection, table class,
 * indexes, tags, ...). The catalog journals them as JSON, so a setting is added by adding a
 * component here: an event written before the component existed reads it as null, and the
 * compact constructor turns that null into the setting's default.
 *
 * @param deletionProtectionEnabled DeleteTable is refused while this is on
 * @param tableClass the class chosen and when UpdateTable last changed it; {@link TableClassChoice#NONE}
 *                   when never chosen (the table is STANDARD and DescribeTable omits TableClassSummary)
 * @param onDemandThroughput the on-demand maxima; either member null when that maximum is not set
 * @param tags the table's tags in the order they were first set
 * @param streams    the table's DynamoDB streams, current and recently disabled
 * @param timeToLive the TTL attribute, when TTL is enabled
 * @param indexes    the table's secondary indexes, local ones (fixed at creation) and global ones
 *                   (any status), in the order they were defined
 * @param restore    the backup or point in time the table was restored from; null for a table that was created
 * @param pointInTimeRecovery point-in-time recovery, when it is enabled; null when it is not
 * @param replicas   the table's replicas in other regions (a global table); empty for a table of this region only
 * @param removedReplicas the replicas the table had in other regions and no longer has, each with the
 *                   version of its removal: a view of the membership from before it is not taken
 * @param indexVersions the last creation or deletion of each global index a global table's replicas
 *                   share, with its version (indexes made before the table had replicas have none)
 * @param resourcePolicies the resource-based policies attached to the table and to its streams
 * @param contributorInsights the Contributor Insights settings of the table and its global indexes, once set
 * @param warmThroughput the least warm throughput the table keeps, as pre-warmed or reached before its
 *                   last change (see {@link WarmThroughput}); null for a table that never recorded one
 * @param kinesisDestinations the Kinesis data streams the table was asked to stream to, newest first
 * @param vectorIndexes the table's vector indexes (SearchVectors), in the order they were defined
 */
public record TableOptions(
        boolean deletionProtectionEnabled,
        TableClassChoice tableClass,
        OnDemandThroughput onDemandThroughput,
        List<Tag> tags,
        StreamHistory streams,
        TimeToLive timeToLive,
        List<SecondaryIndex> indexes,
        RestoreSummary restore,
        PointInTimeRecovery pointInTimeRecovery,
        List<Replica> replicas,
        List<RemovedReplica> removedReplicas,
        List<IndexVersion> indexVersions,
        ResourcePolicies resourcePolicies,
        List<ContributorInsights> contributorInsights,
        WarmThroughput warmThroughput,
        List<KinesisDestination> kinesisDestinations,
        List<VectorIndex> vectorIndexes) {

    public static final TableOptions DEFAULTS = new TableOptions(false, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);

    /** The version of global tables whose replicas DescribeTable reports (UpdateTable's ReplicaUpdates). */
    public static final String GLOBAL_TABLE_VERSION = "2019.11.21";

    /**
     * How a global table's replicas share their settings, as DescribeTable reports it: shared, each
     * replica with its own overrides (table class, read maxima), DynamoDB's default.
     */
    public static final String SETTINGS_REPLICATION_MODE = "ENABLED_WITH_OVERRIDES";

    public TableOptions {
        if (tableClass == null) tableClass = TableClassChoice.NONE;
        if (onDemandThroughput == null) onDemandThroughput = OnDemandThroughput.NONE;
        tags = tags == null ? List.of() : List.copyOf(tags);
        if (streams == null) streams = StreamHistory.NONE;
        if (timeToLive == null) timeToLive = TimeToLive.DISABLED;
        indexes = indexes == null ? List.of() : List.copyOf(indexes);
        replicas = replicas == null ? List.of() : List.copyOf(replicas);
        removedReplicas = removedReplicas == null ? List.of() : List.copyOf(removedReplicas);
        indexVersions = indexVersions == null ? List.of() : List.copyOf(indexVersions);
        if (resourcePolicies == null) resourcePolicies = ResourcePolicies.NONE;
        contributorInsights = contributorInsights == null ? List.of() : List.copyOf(contributorInsights);
        kinesisDestinations = kinesisDestinations == null ? List.of() : List.copyOf(kinesisDestinations);
        vectorIndexes = vectorIndexes == null ? List.of() : List.copyOf(vectorIndexes);
    }

    public enum ReplicaStatus { CREATING, ACTIVE, DELETING }

    /**
     * A replica of the table in another region, and whether it is being created, serves, or is
     * being deleted; {@code seeding} while this node is creating it, sending it the table's items.
     * {@code creationId} names the request that created the replica this table is (on the entry of
     * the region seeding it) or that this node is creating (on the entry of the new replica); null
     * otherwise. A repeated creation request is known by it. {@code version} is that of the
     * entry's last change (see {@link SharedSettingsVersion}); its region is the one that made it,
     * which finishes what it started (a DELETING replica is deleted by the region that marked it).
     * {@code settings}: the replica's own settings as its region last reported them; null until it has.
     */
    public record Replica(String regionName, ReplicaStatus status, boolean seeding, String creationId,
                          SharedSettingsVersion version, ReplicaSettings settings) {
        public Replica {
            if (version == null) version = SharedSettingsVersion.NONE;
        }

        public Replica(String regionName, ReplicaStatus status, boolean seeding) {
            this(regionName, status, seeding, null, null, null);
        }

        public Replica(String regionName, ReplicaStatus status, boolean seeding, String creationId) {
            this(regionName, status, seeding, creationId, null, null);
        }

        public Replica(String regionName, ReplicaStatus status, boolean seeding, String creationId, SharedSettingsVersion version) {
            this(regionName, status, seeding, creationId, version, null);
        }

        /** The entry after {@code changingRegion} changed its status now. */
        public Replica changedTo(ReplicaStatus newStatus, String changingRegion) {
            return new Replica(regionName, newStatus, seeding && newStatus == ReplicaStatus.CREATING, creationId,
                    version.next(changingRegion), settings);
        }

        public Replica withSettings(ReplicaSettings newSettings) {
            return new Replica(regionName, status, seeding, creationId, version, newSettings);
        }
    }

    /**
     * A replica's own settings (what DescribeTable lists for it under Replicas), as its region
     * reported them at {@code reportedMicros} by its clock: the later report wins, wherever it
     * arrives from. {@code indexMaxReadRequestUnits}: each global index's on-demand read maximum,
     * by name, for those that have one.
     */
    public record ReplicaSettings(TableClassChoice tableClass, Long maxReadRequestUnits, Map<String, Long> indexMaxReadRequestUnits,
                                  long reportedMicros) {
        public ReplicaSettings {
            if (tableClass == null) tableClass = TableClassChoice.NONE;
            // Sorted, so that views and descriptions list the indexes in one order.
            indexMaxReadRequestUnits = java.util.Collections.unmodifiableMap(
                    indexMaxReadRequestUnits == null ? new java.util.TreeMap<>() : new java.util.TreeMap<>(indexMaxReadRequestUnits));
        }

        /** This table's own settings, reported now. */
        public static ReplicaSettings of(TableOptions options) {
            return of(options, java.time.temporal.ChronoUnit.MICROS.between(java.time.Instant.EPOCH, java.time.Instant.now()));
        }

        /** This table's own settings, reported at {@code reportedMicros} (0: to compare, not to send). */
        public static ReplicaSettings of(TableOptions options, long reportedMicros) {
            Map<String, Long> indexes = new java.util.TreeMap<>();
            for (SecondaryIndex index : options.globalIndexes()) {
                Long max = index.onDemandThroughput() == null ? null : index.onDemandThroughput().maxReadRequestUnits();
                if (max != null && index.status() != SecondaryIndex.Status.DELETING) indexes.put(index.name(), max);
            }
            return new ReplicaSettings(options.tableClass(), options.onDemandThroughput().maxReadRequestUnits(), indexes, reportedMicros);
        }

        /** The same settings, whenever reported. */
        public boolean sameAs(ReplicaSettings other) {
            return other != null && tableClass.equals(other.tableClass) && java.util.Objects.equals(maxReadRequestUnits,
                    other.maxReadRequestUnits) && indexMaxReadRequestUnits.equals(other.indexMaxReadRequestUnits);
        }
    }

    /** These options with the replica in {@code region}'s settings as reported, when it has an entry. */
    public TableOptions withReplicaSettings(String region, ReplicaSettings settings) {
        List<Replica> updated = new java.util.ArrayList<>();
        for (Replica replica : replicas) updated.add(replica.regionName().equals(region) ? replica.withSettings(settings) : replica);
        return withReplicas(updated);
    }

    /** The replica in {@code region}, if the table has one there. */
    public Optional<Replica> replica(String region) {
        return replicas.stream().filter(replica -> replica.regionName().equals(region)).findFirst();
    }

    public TableOptions withReplicas(List<Replica> newReplicas) {
        return new TableOptions(deletionProtectionEnabled, tableClass, onDemandThroughput, tags, streams, timeToLive, indexes, restore, pointInTimeRecovery, newReplicas, removedReplicas, indexVersions, resourcePolicies, contributorInsights, warmThroughput, kinesisDestinations, vectorIndexes);
    }

    public TableOptions withRemovedReplicas(List<RemovedReplica> removed) {
        return new TableOptions(deletionProtectionEnabled, tableClass, onDemandThroughput, tags, streams, timeToLive, indexes, restore, pointInTimeRecovery, replicas, removed, indexVersions, resourcePolicies, contributorInsights, warmThroughput, kinesisDestinations, vectorIndexes);
    }

    /**
     * These options with {@code entry} as the replica in {@code region}, or {@code removal} as its
     * removal (one of them null), in place of what they recorded of that region.
     */
    public TableOptions withReplicaState(String region, Replica entry, RemovedReplica removal) {
        List<Replica> newReplicas = new java.util.ArrayList<>(replicas);
        newReplicas.removeIf(replica -> replica.regionName().equals(region));
        if (entry != null) newReplicas.add(entry);
        List<RemovedReplica> removed = new java.util.ArrayList<>(removedReplicas);
        removed.removeIf(gone -> gone.regionName().equals(region));
        if (removal != null) removed.add(removal);
        return withReplicas(newReplicas).withRemovedReplicas(removed);
    }

    /** The removal of the table's replica in {@code region}, if it had one there and it was removed. */
    public Optional<RemovedReplica> removedReplica(String region) {
        return removedReplicas.stream().filter(removed -> removed.regionName().equals(region)).findFirst();
    }

    /** The version of what the table knows of {@code region}'s replica: its entry's or its removal's; NONE if nothing. */
    public SharedSettingsVersion replicaVersion(String region) {
        SharedSettingsVersion live = replica(region).map(Replica::version).orElse(SharedSettingsVersion.NONE);
        return live.max(removedReplica(region).map(RemovedReplica::version).orElse(SharedSettingsVersion.NONE));
    }

    /** The newest version among the settings the replicas share: it moves whenever one of them changes. */
    public SharedSettingsVersion latestSharedVersion() {
        SharedSettingsVersion latest = timeToLive.version();
        for (Replica replica : replicas) latest = latest.max(replica.version());
        for (RemovedReplica removed : removedReplicas) latest = latest.max(removed.version());
        for (IndexVersion index : indexVersions) latest = latest.max(index.version());
        return latest;
    }

    /** A replica the table no longer has, and the version of its removal. */
    public record RemovedReplica(String regionName, SharedSettingsVersion version) {}

    /** The last creation ({@code removed} false) or deletion of a global index of a global table, and its version. */
    public record IndexVersion(String indexName, boolean removed, SharedSettingsVersion version) {}

    public TableOptions withIndexVersions(List<IndexVersion> versions) {
        return new TableOptions(deletionProtectionEnabled, tableClass, onDemandThroughput, tags, streams, timeToLive, indexes, restore, pointInTimeRecovery, replicas, removedReplicas, versions, resourcePolicies, contributorInsights, warmThroughput, kinesisDestinations, vectorIndexes);
    }

    /** The version of the last shared creation or deletion of the global index {@code name}; NONE if none. */
    public SharedSettingsVersion indexVersion(String name) {
        return indexVersions.stream().filter(v -> v.indexName().equals(name)).map(IndexVersion::version).findFirst()
                .orElse(SharedSettingsVersion.NONE);
    }

    /** These options with {@code change} as the last shared change of its index. */
    public TableOptions withIndexVersion(IndexVersion change) {
        List<IndexVersion> versions = new java.util.ArrayList<>(indexVersions);
        versions.removeIf(v -> v.indexName().equals(change.indexName()));
        versions.add(change);
        return withIndexVersions(versions);
    }

    /**
     * A Kinesis data stream the table was asked to stream its changes to (EnableKinesisStreamingDestination).
     *
     * @param status DynamoDB's DestinationStatus (ENABLING, ACTIVE, DISABLING, DISABLED, ENABLE_FAILED, UPDATING)
     * @param statusDescription why it is in that status, for ENABLE_FAILED; null otherwise
     * @param precision ApproximateCreationDateTimePrecision once chosen (MILLISECOND, MICROSECOND); null: not chosen
     */
    public record KinesisDestination(String streamArn, String status, String statusDescription, String precision) {
        /** DynamoDB's DestinationStatus values. */
        public static final String ENABLING = "ENABLING";
        public static final String ACTIVE = "ACTIVE";
        public static final String DISABLING = "DISABLING";
        public static final String DISABLED = "DISABLED";
        public static final String ENABLE_FAILED = "ENABLE_FAILED";
        public static final String UPDATING = "UPDATING";
    }

    /** These options with {@code destination} first, in place of any entry of its stream. */
    public TableOptions withKinesisDestination(KinesisDestination destination) {
        List<KinesisDestination> updated = new java.util.ArrayList<>(kinesisDestinations);
        int at = -1;
        for (int i = 0; i < updated.size(); i++) if (updated.get(i).streamArn().equals(destination.streamArn())) at = i;
        if (at >= 0) updated.remove(at);
        updated.add(0, destination);
        return withKinesisDestinations(updated);
    }

    public TableOptions withKinesisDestinations(List<KinesisDestination> destinations) {
        return new TableOptions(deletionProtectionEnabled, tableClass, onDemandThroughput, tags, streams, timeToLive, indexes, restore, pointInTimeRecovery, replicas, removedReplicas, indexVersions, resourcePolicies, contributorInsights, warmThroughput, destinations, vectorIndexes);
    }

    public TableOptions withVectorIndexes(List<VectorIndex> newVectorIndexes) {
        return new TableOptions(deletionProtectionEnabled, tableClass, onDemandThroughput, tags, streams, timeToLive, indexes, restore, pointInTimeRecovery, replicas, removedReplicas, indexVersions, resourcePolicies, contributorInsights, warmThroughput, kinesisDestinations, newVectorIndexes);
    }

    /**
     * Whether the global secondary or vector index {@code name} is being built: it may be deleted
     * meanwhile, as DynamoDB allows while an index backfills (and Eddy's always backfills).
     */
    public boolean indexBeingBuilt(String name) {
        return globalIndexes().stream().anyMatch(index -> index.name().equals(name) && index.status() == SecondaryIndex.Status.CREATING)
                || vectorIndexes.stream().anyMatch(index -> index.name().equals(name) && index.status() == SecondaryIndex.Status.CREATING);
    }

    /**
     * Whether a global secondary or vector index is being built or dropped: DynamoDB creates or
     * deletes one index of a table at a time.
     */
    public boolean indexChangeInProgress() {
        return globalIndexes().stream().anyMatch(index -> index.status() != SecondaryIndex.Status.ACTIVE)
                || vectorIndexes.stream().anyMatch(index -> index.status() != SecondaryIndex.Status.ACTIVE);
    }

    /**
     * The ids of the indexes the node keeps from the partitions' change log, whose feeds the
     * journal's events wait for: the global secondary indexes and the vector indexes.
     */
    public List<UUID> fedIndexIds() {
        List<UUID> ids = new ArrayList<>();
        globalIndexes().forEach(index -> ids.add(index.id()));
        vectorIndexes.forEach(index -> ids.add(index.id()));
        return ids;
    }

    /** The vector index {@code name}, if the table has one. */
    public Optional<VectorIndex> vectorIndex(String name) {
        return vectorIndexes.stream().filter(index -> index.name().equals(name)).findFirst();
    }

    /** The entry of the Kinesis data stream {@code streamArn}, if the table has one. */
    public Optional<KinesisDestination> kinesisDestination(String streamArn) {
        return kinesisDestinations.stream().filter(destination -> destination.streamArn().equals(streamArn)).findFirst();
    }

    public enum TableClass { STANDARD, STANDARD_INFREQUENT_ACCESS }

    /**
     * @param tableClass null when never chosen
     * @param lastUpdateMillis when UpdateTable last changed the class (epoch millis); null if never
     */
    public record TableClassChoice(TableClass tableClass, Long lastUpdateMillis) {
        public static final TableClassChoice NONE = new TableClassChoice(null, null);

        /** The class in force: STANDARD unless another was chosen. */
        public TableClass effective() {
            return tableClass == null ? TableClass.STANDARD : tableClass;
        }

        public boolean chosen() {
            return tableClass != null;
        }
    }

    /** MaxReadRequestUnits and MaxWriteRequestUnits of an on-demand table; null members are unset. */
    public record OnDemandThroughput(Long maxReadRequestUnits, Long maxWriteRequestUnits) {
        public static final OnDemandThroughput NONE = new OnDemandThroughput(null, null);

        /** Whether either maximum is set; DescribeTable omits OnDemandThroughput otherwise. */
        public boolean present() {
            return maxReadRequestUnits != null || maxWriteRequestUnits != null;
        }
    }

    /**
     * The read and write units per second a table or global index serves at once: DynamoDB's warm
     * throughput. What is kept is the floor that requests raised (pre-warming) and that a throughput
     * change carried over; the value in force is never below the billing's own (see
     * {@code WarmThroughputs} in the gateway). Null members: nothing recorded for that one.
     */
    public record WarmThroughput(Long readUnitsPerSecond, Long writeUnitsPerSecond) {}

    public TableOptions withWarmThroughput(WarmThroughput floor) {
        return new TableOptions(deletionProtectionEnabled, tableClass, onDemandThroughput, tags, streams, timeToLive, indexes, restore, pointInTimeRecovery, replicas, removedReplicas, indexVersions, resourcePolicies, contributorInsights, floor, kinesisDestinations, vectorIndexes);
    }

    /**
     * Where a restored table came from: DescribeTable's RestoreSummary (in progress while the table
     * is CREATING). {@code sourceBackupArn} is null for a restore to a point in time.
     */
    public record RestoreSummary(String sourceBackupArn, String sourceTableArn, long restoreDateTimeMillis) {}

    /**
     * Point-in-time recovery: the table's journal keeps every change of the last
     * {@code recoveryPeriodInDays} (and since it was enabled), and the table can be restored as it
     * was at any moment in that window.
     *
     * @param enabledAtMillis when it was (last) enabled, epoch millis rounded up (so that no change
     *                        journaled before it counts as after it): the earliest restorable time it allows
     */
    public record PointInTimeRecovery(int recoveryPeriodInDays, long enabledAtMillis) {
        public static final int DEFAULT_PERIOD_DAYS = 35;

        /** The earliest moment a restore may name, at {@code nowMillis}. */
        public long earliestRestorableMillis(long nowMillis) {
            return Math.max(enabledAtMillis, nowMillis - java.time.Duration.ofDays(recoveryPeriodInDays).toMillis());
        }

        /** {@link #earliestRestorableMillis} in epoch microseconds, the unit of the journal's change times. */
        public long earliestRestorableMicros(long nowMillis) {
            return earliestRestorableMillis(nowMillis) * 1000;
        }

        /**
         * This recovery with another period from {@code nowMillis} on: its window starts no earlier
         * than the current one does, since the changes before that may be trimmed already, so a
         * longer period reaches further back only as time passes.
         */
        public PointInTimeRecovery withPeriod(int days, long nowMillis) {
            return new PointInTimeRecovery(days, earliestRestorableMillis(nowMillis));
        }
    }

    public TableOptions withPointInTimeRecovery(PointInTimeRecovery recovery) {
        return new TableOptions(deletionProtectionEnabled, tableClass, onDemandThroughput, tags, streams, timeToLive, indexes, restore, recovery, replicas, removedReplicas, indexVersions, resourcePolicies, contributorInsights, warmThroughput, kinesisDestinations, vectorIndexes);
    }

    public TableOptions withRestore(RestoreSummary summary) {
        return new TableOptions(deletionProtectionEnabled, tableClass, onDemandThroughput, tags, streams, timeToLive, indexes, summary, pointInTimeRecovery, replicas, removedReplicas, indexVersions, resourcePolicies, contributorInsights, warmThroughput, kinesisDestinations, vectorIndexes);
    }

    /**
     * A resource-based policy (PutResourcePolicy): its document as stored (IAM's canonical form,
     * without the Version it defaults to when the request had none) and its RevisionId. A policy
     * detached has a null document and keeps its RevisionId, so that the next one's is later.
     */
    public record ResourcePolicy(String document, String revisionId) {
        public boolean attached() {
            return document != null;
        }
    }

    /** The policy of the table (null for none) and those of its streams, by stream label; attached or detached. */
    public record ResourcePolicies(ResourcePolicy table, Map<String, ResourcePolicy> streams) {
        public static final ResourcePolicies NONE = new ResourcePolicies(null, null);

        public ResourcePolicies {
            streams = streams == null ? Map.of() : Map.copyOf(streams);
        }

        /** The policy attached to the table ({@code streamLabel} null) or to one of its streams. */
        public Optional<ResourcePolicy> of(String streamLabel) {
            return last(streamLabel).filter(ResourcePolicy::attached);
        }

        /** The last policy the table or stream had, attached or detached since. */
        public Optional<ResourcePolicy> last(String streamLabel) {
            return Optional.ofNullable(streamLabel == null ? table : streams.get(streamLabel));
        }

        /** Only the streams' policies of {@code history}'s streams: those of streams past retention go with them. */
        ResourcePolicies keptFor(StreamHistory history) {
            if (streams.isEmpty()) return this; // most tables: no copy at every stream change
            Map<String, ResourcePolicy> kept = new java.util.HashMap<>(streams);
            kept.keySet().removeIf(label -> history.withLabel(label).isEmpty());
            return kept.size() == streams.size() ? this : new ResourcePolicies(table, kept);
        }

        /** These policies with {@code policy} (null: none) attached to the table or to the stream {@code streamLabel}. */
        public ResourcePolicies with(String streamLabel, ResourcePolicy policy) {
            if (streamLabel == null) return new ResourcePolicies(policy, streams);
            Map<String, ResourcePolicy> changed = new java.util.HashMap<>(streams);
            if (policy == null) changed.remove(streamLabel);
            else changed.put(streamLabel, policy);
            return new ResourcePolicies(table, changed);
        }
    }

    public TableOptions withResourcePolicies(ResourcePolicies policies) {
        return new TableOptions(deletionProtectionEnabled, tableClass, onDemandThroughput, tags, streams, timeToLive, indexes, restore, pointInTimeRecovery, replicas, removedReplicas, indexVersions, policies, contributorInsights, warmThroughput, kinesisDestinations, vectorIndexes);
    }

    /** A tag: a key and a (possibly empty) value. */
    public record Tag(String key, String value) {}

    public TableOptions withDeletionProtectionEnabled(boolean enabled) {
        return new TableOptions(enabled, tableClass, onDemandThroughput, tags, streams, timeToLive, indexes, restore, pointInTimeRecovery, replicas, removedReplicas, indexVersions, resourcePolicies, contributorInsights, warmThroughput, kinesisDestinations, vectorIndexes);
    }

    public TableOptions withTableClass(TableClassChoice choice) {
        return new TableOptions(deletionProtectionEnabled, choice, onDemandThroughput, tags, streams, timeToLive, indexes, restore, pointInTimeRecovery, replicas, removedReplicas, indexVersions, resourcePolicies, contributorInsights, warmThroughput, kinesisDestinations, vectorIndexes);
    }

    public TableOptions withOnDemandThroughput(OnDemandThroughput maxima) {
        return new TableOptions(deletionProtectionEnabled, tableClass, maxima, tags, streams, timeToLive, indexes, restore, pointInTimeRecovery, replicas, removedReplicas, indexVersions, resourcePolicies, contributorInsights, warmThroughput, kinesisDestinations, vectorIndexes);
    }

    public TableOptions withTags(List<Tag> newTags) {
        return new TableOptions(deletionProtectionEnabled, tableClass, onDemandThroughput, newTags, streams, timeToLive, indexes, restore, pointInTimeRecovery, replicas, removedReplicas, indexVersions, resourcePolicies, contributorInsights, warmThroughput, kinesisDestinations, vectorIndexes);
    }

    public TableOptions withStreams(StreamHistory newStreams) {
        return new TableOptions(deletionProtectionEnabled, tableClass, onDemandThroughput, tags, newStreams, timeToLive, indexes, restore, pointInTimeRecovery, replicas, removedReplicas, indexVersions, resourcePolicies.keptFor(newStreams), contributorInsights, warmThroughput, kinesisDestinations, vectorIndexes);
    }

    public TableOptions withTimeToLive(TimeToLive newTimeToLive) {
        return new TableOptions(deletionProtectionEnabled, tableClass, onDemandThroughput, tags, streams, newTimeToLive, indexes, restore, pointInTimeRecovery, replicas, removedReplicas, indexVersions, resourcePolicies, contributorInsights, warmThroughput, kinesisDestinations, vectorIndexes);
    }

    /** The Contributor Insights of the table ({@code index} null) or of that global index, if ever set. */
    public Optional<ContributorInsights> contributorInsightsOf(SecondaryIndex index) {
        return contributorInsights.stream().filter(setting -> setting.isFor(index)).findFirst();
    }

    /** This setting in place of the one of the same table or index; settings of indexes that are gone are dropped. */
    public TableOptions withContributorInsights(ContributorInsights setting) {
        List<ContributorInsights> kept = new java.util.ArrayList<>();
        for (ContributorInsights other : contributorInsights) {
            boolean same = other.indexName() == null ? setting.indexName() == null : other.indexName().equals(setting.indexName());
            boolean indexExists = other.indexName() == null || indexes.stream().anyMatch(other::isFor);
            if (!same && indexExists) kept.add(other);
        }
        kept.add(setting);
        return new TableOptions(deletionProtectionEnabled, tableClass, onDemandThroughput, tags, streams, timeToLive, indexes, restore, pointInTimeRecovery, replicas, removedReplicas, indexVersions, resourcePolicies, kept, warmThroughput, kinesisDestinations, vectorIndexes);
    }

    public TableOptions withIndexes(List<SecondaryIndex> newIndexes) {
        return new TableOptions(deletionProtectionEnabled, tableClass, onDemandThroughput, tags, streams, timeToLive, newIndexes, restore, pointInTimeRecovery, replicas, removedReplicas, indexVersions, resourcePolicies, contributorInsights, warmThroughput, kinesisDestinations, vectorIndexes);
    }

    /** The index with this name, of either kind and any status. */
    public Optional<SecondaryIndex> index(String name) {
        return indexes.stream().filter(index -> index.name().equals(name)).findFirst();
    }

    /**
     * The secondary indexes, global ones first: DynamoDB names a global index before a local one
     * with the same key attribute. The list itself unless the table has both kinds.
     */
    public List<SecondaryIndex> indexesGlobalFirst() {
        boolean locals = indexes.stream().anyMatch(SecondaryIndex::local);
        if (!locals || indexes.stream().allMatch(SecondaryIndex::local)) return indexes;
        return indexes.stream().sorted(java.util.Comparator.comparing(SecondaryIndex::local)).toList();
    }

    public List<SecondaryIndex> localIndexes() {
        return indexes.stream().filter(SecondaryIndex::local).toList();
    }

    public List<SecondaryIndex> globalIndexes() {
        return indexes.stream().filter(index -> !index.local()).toList();
    }
}
