package io.eddy.streams;

import io.eddy.model.DynamoException;
import io.eddy.model.ErrorCode;
import io.eddy.model.StreamViewType;
import io.eddy.model.TableMetadata;
import io.eddy.model.TableStream;
import io.eddy.shards.ChangesInFlight;
import io.eddy.shards.PartitionId;
import io.eddy.shards.TableRegistry;
import io.eddy.streams.ChangeLog.Change;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The DynamoDB Streams API over the change log: ListStreams, DescribeStream, GetShardIterator and
 * GetRecords. A stream is a {@link TableStream} of a table; its shards are the table's partitions
 * in turns of the stream's shard lifetime (DynamoDB rolls its shards over every few hours): shard
 * (partition, generation) holds the partition's journaled changes whose timestamps fall in the
 * generation's window of the stream's enabled interval (so writes made while no stream was enabled
 * are in no stream), and each generation after the first is the child of the one before.
 * Records older than the retention period are trimmed: not returned, and an iterator asking for
 * them gets TrimmedDataAccessException. Nothing is copied: every read goes to the journal.
 */
public final class DynamoStreams {

    /** How long records are kept (DynamoDB: 24 hours) and iterators stay valid (15 minutes). */
    public record Settings(Duration retention, Duration iteratorLifetime) {
        public static final Settings DYNAMODB = new Settings(Duration.ofHours(24), Duration.ofMinutes(15));
    }

    /**
     * How long after its window a shard to which no later change has come is still reported open:
     * a change stamped inside the window may still be on its way to the journal, and a reader told
     * the shard ended must not miss it (as ChangeStreams.END_GRACE for a stream's end). After it,
     * the shard stays open while its partition's batch in flight is stamped inside the window
     * ({@link ChangesInFlight}: a stalled journal write). A change stamped after the window closes
     * it at once: a partition's stamps never decrease.
     */
    static final Duration CLOSE_GRACE = Duration.ofSeconds(10);

    public enum IteratorType { TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER }

    public record StreamSummary(String streamArn, String tableName, String streamLabel) {}

    public record StreamList(List<StreamSummary> streams, Optional<String> lastEvaluatedStreamArn) {}

    public record ShardDescription(String shardId, String startingSequenceNumber, Optional<String> endingSequenceNumber,
                                   Optional<String> parentShardId) {}

    public record StreamDescription(String streamArn, String streamLabel, boolean enabled, StreamViewType viewType,
                                    Instant creationRequestDateTime, TableMetadata table, List<ShardDescription> shards,
                                    Optional<String> lastEvaluatedShardId) {}

    public record RecordPage(List<StreamRecord> records, Optional<String> nextShardIterator) {}

    /** GetRecords returns at most 1 MB. */
    static final long MAX_PAGE_BYTES = 1024 * 1024;

    private final TableRegistry tables;
    private final ChangeLog changes;
    private final ChangesInFlight inFlight;
    private final StreamNames names;
    private final Settings settings;
    private final Clock clock;

    public DynamoStreams(TableRegistry tables, ChangeLog changes, ChangesInFlight inFlight, StreamNames names,
                         Settings settings, Clock clock) {
        this.tables = tables;
        this.changes = changes;
        this.inFlight = inFlight;
        this.names = names;
        this.settings = settings;
        this.clock = clock;
    }

    public StreamNames names() {
        return names;
    }

    /**
     * The streams of one table name or of all, deleted tables' retained streams among them, by
     * table name and then label (creation time).
     */
    public StreamList listStreams(Optional<String> tableName, int limit, Optional<String> exclusiveStartStreamArn) {
        Optional<StreamNames.StreamRef> start = exclusiveStartStreamArn.map(arn -> names.parseArn(arn)
                .orElseThrow(() -> DynamoException.validation("Invalid StreamArn")));
        List<StreamSummary> all = new ArrayList<>();
        for (TableMetadata table : tables.liveAndRetired()) {
            if (tableName.isPresent() && !tableName.get().equals(table.name())) continue;
            for (TableStream stream : retained(table)) {
                if (start.isPresent() && compare(table.name(), stream.label(), start.get()) <= 0) continue;
                all.add(new StreamSummary(names.streamArn(table, stream), table.name(), stream.label()));
            }
        }
        all.sort(Comparator.comparing(StreamSummary::tableName).thenComparing(StreamSummary::streamLabel));
        if (all.size() <= limit) return new StreamList(all, Optional.empty());
        List<StreamSummary> page = all.subList(0, limit);
        return new StreamList(List.copyOf(page), Optional.of(page.get(limit - 1).streamArn()));
    }

    /** ListStreams order: by table name, then by label (creation time). */
    private static int compare(String tableName, String label, StreamNames.StreamRef start) {
        int byTable = tableName.compareTo(start.tableName());
        return byTable != 0 ? byTable : label.compareTo(start.label());
    }

    /**
     * The stream and its shards, by generation and then partition (so parents come before their
     * children, and the shard ids sort in that order); with {@code childrenOf}, only the shards
     * whose parent is that shard (DescribeStream's ShardFilter CHILD_SHARDS).
     */
    public StreamDescription describeStream(String streamArn, int limit, Optional<String> exclusiveStartShardId,
                                            Optional<String> childrenOf) {
        Located at = locate(streamArn);
        List<ShardDescription> shards = new ArrayList<>();
        Optional<String> lastEvaluated = Optional.empty();
        Generations generations = generations(at.stream);
        // A page after the first starts at the generation of the shard it follows, not at the oldest.
        long start = exclusiveStartShardId.flatMap(id -> StreamNames.parseShardId(at.table, at.stream, id))
                .map(shard -> Math.max(shard.generation(), generations.first())).orElse(generations.first());
        for (long g = start; g <= generations.last() && lastEvaluated.isEmpty(); g++) {
            for (int p = 0; p < at.table.partitionCount(); p++) {
                String shardId = StreamNames.shardId(at.table, at.stream, p, g);
                if (exclusiveStartShardId.isPresent() && shardId.compareTo(exclusiveStartShardId.get()) <= 0) continue;
                Optional<String> parent = g == 0 ? Optional.empty()
                        : Optional.of(StreamNames.shardId(at.table, at.stream, p, g - 1));
                if (childrenOf.isPresent() && !parent.equals(childrenOf)) continue;
                if (shards.size() == limit) {
                    lastEvaluated = Optional.of(shards.get(limit - 1).shardId());
                    break;
                }
                ShardRange range = range(at, p, g);
                Optional<String> ending = range.closed()
                        ? Optional.of(StreamNames.sequenceNumber(Math.max(range.first(), range.last()))) : Optional.empty();
                shards.add(new ShardDescription(shardId, StreamNames.sequenceNumber(range.first()), ending, parent));
            }
        }
        return new StreamDescription(streamArn, at.stream.label(), at.stream.enabled(), at.stream.viewType(),
                at.stream.enabledAt(), at.table, shards, lastEvaluated);
    }

    public String shardIterator(String streamArn, String shardId, IteratorType type, Optional<String> sequenceNumber) {
        Located at = locate(streamArn);
        Shard shard = shardOf(at, shardId);
        int partition = shard.partition();
        ShardRange range = range(at, partition, shard.generation());
        long trimHorizon = Math.max(range.first(), trimHorizon(at, partition));
        long end = range.closed() ? range.last() : changes.highestSequenceNr(new PartitionId(at.table.id(), partition));
        long position = switch (type) {
            case TRIM_HORIZON -> trimHorizon;
            case LATEST -> end + 1;
            case AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER -> {
                long requested = StreamNames.parseSequenceNumber(sequenceNumber.orElse(null))
                        .orElseThrow(() -> DynamoException.validation("Invalid SequenceNumber: " + sequenceNumber.orElse(null)));
                // A shard older than retention has lost its first records from the journal too, so
                // a number before its first stored one is a trimmed record, not a stranger's.
                boolean trimmedFront = range.fromMicros() < retentionCutoffMicros();
                // A shard's StartingSequenceNumber is taken even before a record is there (an empty shard reports one).
                boolean reported = requested == range.first();
                if (!reported && (requested > end || requested < range.first() && !trimmedFront)) {
                    throw DynamoException.validation("Invalid SequenceNumber " + sequenceNumber.get()
                            + " for shard " + shardId + ": it is not a sequence number of this shard");
                }
                // Past retention but still stored is still given (DynamoDB drops such records lazily too).
                // (Before the shard's first record, it is the shard's own record that was trimmed: an earlier shard's is not read.)
                if (requested < trimHorizon && (requested < range.first()
                        || changes.trimmedPast(new PartitionId(at.table.id(), partition), requested))) {
                    throw trimmed();
                }
                yield type == IteratorType.AT_SEQUENCE_NUMBER ? requested : requested + 1;
            }
        };
        return new ShardIterator(streamArn, at.table.id(), at.stream.enabledAtMicros(), partition, shard.generation(), position,
                clock.millis()).encode();
    }

    public RecordPage getRecords(String shardIterator, int limit) {
        ShardIterator iterator = ShardIterator.decode(shardIterator)
                .orElseThrow(() -> DynamoException.validation("Invalid ShardIterator"));
        long now = clock.millis();
        if (now - iterator.issuedAtMillis() > settings.iteratorLifetime().toMillis()) {
            throw new DynamoException(ErrorCode.ExpiredIteratorException, "Iterator expired. The iterator was created at time "
                    + Instant.ofEpochMilli(iterator.issuedAtMillis()) + " while right now it is " + Instant.ofEpochMilli(now)
                    + " which is further in the future than the tolerated delay of " + settings.iteratorLifetime().toMillis()
                    + " milliseconds.");
        }
        Located at = locate(iterator.streamArn());
        if (!at.table.id().equals(iterator.tableId()) || at.stream.enabledAtMicros() != iterator.streamEnabledAtMicros()
                || iterator.partition() < 0 || iterator.partition() >= at.table.partitionCount()
                || iterator.generation() < 0 || iterator.generation() > generations(at.stream).last()) {
            throw DynamoException.validation("Invalid ShardIterator");
        }
        int partition = iterator.partition();
        ShardRange range = range(at, partition, iterator.generation());
        String shardId = StreamNames.shardId(at.table, at.stream, partition, iterator.generation());
        PartitionId partitionId = new PartitionId(at.table.id(), partition);
        ChangeLog.Page page = changes.readPage(partitionId, iterator.position(), range.last(), limit);
        // Trimmed only if the journal no longer holds the position, asked after the read (which then
        // skipped nothing): a record that has just passed retention but is still stored is given.
        if (iterator.position() <= range.last() && iterator.position() < trimHorizon(at, partition)
                && changes.trimmedPast(partitionId, iterator.position())) {
            throw trimmed();
        }
        List<Change> read = page.changes();
        List<StreamRecord> records = new ArrayList<>(read.size());
        // Past every event read unless the page is cut short: events without a record (a transaction's, a
        // version-only change) must not hold the iterator where it is.
        long next = Math.max(iterator.position(), page.lastRead() + 1);
        long bytes = 0;
        for (Change change : read) {
            if (!range.holds(at.stream, change.event().timestampMicros())) continue;
            StreamRecord record = StreamRecords.of(at.table, at.stream.viewType(), shardId, change.sequenceNr(), change.event());
            // At most 1 MB a page, as DynamoDB's, but never an empty page for one big record.
            if (!records.isEmpty() && bytes + record.sizeBytes() > MAX_PAGE_BYTES) {
                next = change.sequenceNr();
                break;
            }
            records.add(record);
            bytes += record.sizeBytes();
        }
        boolean finished = range.closed() && next > range.last();
        return new RecordPage(records, finished ? Optional.empty() : Optional.of(iterator.at(next, now).encode()));
    }

    /**
     * Where a reader of the table's stream shard {@code partition} starts: the oldest retained
     * record (TRIM_HORIZON) or after the newest (LATEST). For consumers inside the node.
     */
    public long startingSequenceNr(TableMetadata table, TableStream stream, int partition, IteratorType type) {
        // The partition over the whole stream, whatever its shards: what consumers inside the node read.
        Located at = new Located(table, stream.withoutRollOver());
        ShardRange range = range(at, partition, 0);
        return switch (type) {
            case TRIM_HORIZON -> Math.max(range.first(), trimHorizon(at, partition));
            case LATEST -> (range.closed() ? range.last() : changes.highestSequenceNr(new PartitionId(table.id(), partition))) + 1;
            default -> throw new IllegalArgumentException("not a starting position: " + type);
        };
    }

    /**
     * The first journal sequence number of the partition that a stream of the table may still
     * return: the first change not yet past retention and not older than the stream, over the
     * table's retained streams; {@code Long.MAX_VALUE} when it has none. The journal may drop what
     * lies before it as far as streams are concerned.
     */
    public long firstRetained(TableMetadata table, int partition) {
        long cutoff = retentionCutoffMicros();
        PartitionId id = new PartitionId(table.id(), partition);
        long first = Long.MAX_VALUE;
        for (TableStream stream : retained(table)) {
            first = Math.min(first, changes.firstAtOrAfter(id, Math.max(stream.enabledAtMicros(), cutoff)));
        }
        return first;
    }

    /**
     * The records of a shard: journal sequence numbers [first, last] (last is Long.MAX_VALUE while
     * open) whose timestamps fall in [fromMicros, untilMicros) and in the stream's enabled interval.
     */
    record ShardRange(long first, long last, boolean closed, long fromMicros, long untilMicros) {
        boolean holds(TableStream stream, long timestampMicros) {
            return stream.covers(timestampMicros) && timestampMicros >= fromMicros && timestampMicros < untilMicros;
        }
    }

    /** One shard of a stream: a partition in one turn of the shard lifetime. */
    record Shard(int partition, long generation) {}

    /** The generations of a stream's shards a reader sees: first to last, both included. */
    record Generations(long first, long last) {}

    /**
     * From the first generation whose window ends after retention's cutoff (the ones before hold
     * only trimmed records) to the one the stream is in now, or ended in.
     */
    private Generations generations(TableStream stream) {
        // The window of the cutoff's generation ends after the cutoff, and every earlier one at or before it.
        long first = stream.generationAt(retentionCutoffMicros());
        long last = stream.generationAt(stream.enabled() ? TableStream.micros(clock.instant()) : stream.disabledAtMicros() - 1);
        return new Generations(first, Math.max(first, last));
    }

    /**
     * Shard (partition, generation): closed once the stream ended within its window (and no change
     * stamped before the end is still on its way to the journal), once a change stamped after its
     * window is journaled, or {@link #CLOSE_GRACE} after its window if none stamped inside it is
     * still on its way.
     */
    private ShardRange range(Located at, int partition, long generation) {
        PartitionId id = new PartitionId(at.table.id(), partition);
        long from = at.stream.windowStartMicros(generation);
        long until = at.stream.windowEndMicros(generation);
        long first = changes.firstAtOrAfter(id, from);
        if (!at.stream.enabled() && at.stream.disabledAtMicros() <= until) {
            long end = at.stream.disabledAtMicros();
            // As below, the batch in flight before the journal.
            if (inFlight.journaledBefore(id, end)) return new ShardRange(first, changes.firstAtOrAfter(id, end) - 1, true, from, until);
            return new ShardRange(first, Long.MAX_VALUE, false, from, until);
        }
        if (until != Long.MAX_VALUE) {
            // Looked at before the journal is read: a batch of the window that lands in between is then found below.
            boolean quiet = TableStream.micros(clock.instant().minus(CLOSE_GRACE)) >= until && inFlight.journaledBefore(id, until);
            long next = changes.firstAtOrAfter(id, until);
            // Asked of the change itself: the journal may end in events that are not changes (a transaction's), at or
            // past next, and a change journaled since next was found may be the window's own.
            boolean laterChange = changes.first(id, next).filter(change -> change.event().timestampMicros() >= until).isPresent();
            if (laterChange || quiet) return new ShardRange(first, next - 1, true, from, until);
        }
        return new ShardRange(first, Long.MAX_VALUE, false, from, until);
    }

    private long trimHorizon(Located at, int partition) {
        return changes.firstAtOrAfter(new PartitionId(at.table.id(), partition), retentionCutoffMicros());
    }

    /** Changes journaled before this time (epoch microseconds) are past retention. */
    private long retentionCutoffMicros() {
        return TableStream.micros(clock.instant().minus(settings.retention()));
    }

    private static DynamoException trimmed() {
        return new DynamoException(ErrorCode.TrimmedDataAccessException,
                "The operation attempted to read past the oldest stream record in a shard");
    }

    /** The ARN of the stream a shard iterator reads, if it is one of Eddy's iterators. */
    public static Optional<String> streamArnOf(String shardIterator) {
        return ShardIterator.decode(shardIterator).map(ShardIterator::streamArn);
    }

    /** A stream as the catalog has it now, with its table (live or deleted). */
    public record Located(TableMetadata table, TableStream stream) {}

    /** The stream with this ARN, of the live table of its name or of a deleted one. */
    private Located locate(String streamArn) {
        StreamNames.StreamRef ref = names.parseArn(streamArn)
                .orElseThrow(() -> DynamoException.validation("Invalid StreamArn"));
        return find(ref.tableName(), stream -> stream.label().equals(ref.label()))
                .orElseThrow(() -> DynamoException.resourceNotFound("Requested resource not found: Stream: " + streamArn + " not found"));
    }

    /**
     * The stream of a table of this name enabled at {@code enabledAtMicros}, as the catalog has it
     * now (disabled since, its table deleted since), while its records are retained.
     */
    public Optional<Located> find(String tableName, long enabledAtMicros) {
        return find(tableName, stream -> stream.enabledAtMicros() == enabledAtMicros);
    }

    private Optional<Located> find(String tableName, Predicate<TableStream> which) {
        for (TableMetadata table : tables.liveAndRetired(tableName)) {
            for (TableStream stream : retained(table)) {
                if (which.test(stream)) return Optional.of(new Located(table, stream));
            }
        }
        return Optional.empty();
    }

    /**
     * Whether a reader of the stream's shard {@code partition} that has read up to
     * {@code sequenceNr} has read all of it: the stream has ended, no change stamped before its end
     * is on its way to the journal ({@link ChangesInFlight}, looked at first, so that one landing
     * meanwhile is read below), and the next stored change is past its end or there is none. (Asked of the next change rather than of the shard's range,
     * whose end cannot be found once trimming has deleted the changes before it.)
     */
    public boolean readToEnd(TableMetadata table, TableStream stream, int partition, long sequenceNr) {
        PartitionId id = new PartitionId(table.id(), partition);
        if (stream.enabled() || !inFlight.journaledBefore(id, stream.disabledAtMicros())) return false;
        return changes.first(id, sequenceNr + 1)
                .map(next -> next.event().timestampMicros() >= stream.disabledAtMicros())
                .orElse(true);
    }

    /** The shard a shard id names among the stream's shards a reader sees now. */
    private Shard shardOf(Located at, String shardId) {
        Generations generations = generations(at.stream);
        Optional<Shard> named = StreamNames.parseShardId(at.table, at.stream, shardId)
                .filter(shard -> shard.partition() < at.table.partitionCount())
                .filter(shard -> shard.generation() >= generations.first() && shard.generation() <= generations.last());
        return named.orElseThrow(() -> DynamoException.resourceNotFound("Requested resource not found: Shard does not exist"));
    }

    /** The table's streams whose records are not all past retention. */
    private List<TableStream> retained(TableMetadata table) {
        long cutoff = retentionCutoffMicros();
        return table.options().streams().streams().stream()
                .filter(s -> s.retainedAfter(cutoff))
                .toList();
    }
}
