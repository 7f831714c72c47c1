package io.eddy.shards;

import io.eddy.model.CancellationReason;
import io.eddy.model.DynamoException;
import io.eddy.model.ErrorCode;
import io.eddy.model.TableStream;
import io.eddy.shards.ParticipantReply.Prepared;
import io.eddy.shards.ParticipantReply.Refused;
import io.eddy.shards.ParticipantReply.Resolved;
import io.eddy.shards.PreparedTransaction.PreparedWrite;
import io.eddy.shards.TransactionEvent.Committing;
import io.eddy.shards.TransactionEvent.Finished;
import io.eddy.shards.TransactionEvent.Started;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * Runs TransactWriteItems transactions by two-phase commit over the partition entities, one
 * transaction at a time. A sharded, event-sourced entity: one per ClientRequestToken (so that a
 * token's requests meet here, which is how idempotency works), or one per transaction without a
 * token.
 *
 * <ol>
 *   <li>It journals {@link Started} with the participants and (at the same time) asks each
 *       partition to prepare its actions: check them against the current items, lock the items and
 *       journal the intended images ({@code TransactionPrepared}), or refuse with a reason per action.</li>
 *   <li>If every partition prepared, it journals {@link Committing} (the decision), then tells them
 *       to commit: each journals its writes as ordinary {@code ItemChanged} events and unlocks.
 *       Otherwise (a refusal, or no answer in time) it tells them to abort. An abort is not
 *       journaled: a transaction found started and undecided is aborted.</li>
 *   <li>Once every partition has applied the outcome it answers the request and journals
 *       {@link Finished}.</li>
 * </ol>
 *
 * <p>Recovery: a coordinator recovered with an undecided transaction aborts it, and one that had
 * decided to commit tells the participants again, so their locks are released either way. A
 * partition holding a prepared transaction too long asks its coordinator ({@link Inquire}), which
 * sharding recreates from its journal if it was lost; a coordinator that does not know the
 * transaction (never started, or long finished) answers abort.
 */
public final class TransactionCoordinator
        extends EventSourcedBehavior<TransactionCoordinator.Command, TransactionEvent, TransactionCoordinator.State> {

    public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "Transaction");

    /**
     * How long a committed request's ClientRequestToken keeps answering the same request without
     * applying it again: from the {@link SteadyClock}'s latest now at the commit to its earliest now
     * (a wall clock stepped forward would otherwise forget a commit early, and a retry would apply
     * it again).
     */
    static final Duration IDEMPOTENCY_WINDOW = Duration.ofMinutes(10);

    /** What every coordinator's persistence id starts with. */
    static final String PERSISTENCE_PREFIX = "transaction-";
    private static final Object PREPARE_TIMER = "prepare";
    private static final Object RESEND_TIMER = "resend";

    public sealed interface Command {}

    /** Runs a transaction: each participant partition's actions, {@code actionCount} in all. */
    public record Execute(String requestHash, List<ParticipantWork> participants, int actionCount,
                          ActorRef<TransactionOutcome> replyTo) implements Command {}

    /** From a partition that has held {@code transactionId} prepared for a while: what became of it? */
    public record Inquire(String transactionId, String partition) implements Command {}

    private record Reply(ParticipantReply reply) implements Command {}

    private record PrepareTimedOut(String transactionId) implements Command {}

    private record ResendOutcome(String transactionId) implements Command {}

    private record AbortRecovered() implements Command {}

    /**
     * Starts the coordinator if it is not running, so that a transaction its journal left
     * unfinished (a crash) finishes: sent to those whose journal does not end in Finished.
     */
    public record Wake() implements Command {}

    /**
     * The stop message sharding sends when it passivates the coordinator, for idleness or at its
     * own request, or hands it off: it stops at once when idle or at shutdown, after its
     * transaction otherwise.
     */
    public record Stop() implements Command {}

    /** The actions of a transaction that one partition (entity id) holds. */
    public record ParticipantWork(String partition, List<TransactionAction> actions) {}

    /** The coordinator's journaled state. */
    public sealed interface State {
        Optional<LastCommit> lastCommit();
    }

    /** The last committed request of this coordinator (its token's), for idempotency. */
    public record LastCommit(String requestHash, long finishedAtMillis) {}

    public record Idle(Optional<LastCommit> lastCommit) implements State {}

    /**
     * A transaction started: undecided (so aborted if recovered), or decided to commit (at
     * {@code committedAtMicros}, 0 when undecided or decided before the time was recorded).
     */
    public record Running(String transactionId, String requestHash, List<String> participants, boolean committing,
                          long committedAtMicros, Optional<LastCommit> lastCommit) implements State {}

    /** The in-memory side of the running transaction: who asked, what each partition does and answered. */
    private static final class Execution {
        final String transactionId;
        final ActorRef<TransactionOutcome> client; // null when recovered: nobody waits for the answer
        final int actionCount;
        final Map<String, ParticipantWork> work = new HashMap<>();
        final Map<String, ParticipantReply> votes = new HashMap<>();
        final Set<String> unacknowledged = new LinkedHashSet<>();
        boolean aborting;
        DynamoException failure;

        Execution(String transactionId, ActorRef<TransactionOutcome> client, int actionCount) {
            this.transactionId = transactionId;
            this.client = client;
            this.actionCount = actionCount;
        }
    }

    private final String entityId;
    private final ActorRef<ClusterSharding.ShardCommand> shard;
    private final ActorContext<Command> context;
    private final TimerScheduler<Command> timers;
    private final ClusterSharding sharding;
    private final ActorRef<ParticipantReply> replies;
    private final Duration prepareTimeout;
    private final Duration resendInterval;
    private Execution execution;
    /**
     * Passivation was asked for: the shard buffers what comes for this entity from now on, but a
     * request already in the mailbox would start a transaction the stop then cuts short.
     */
    private boolean passivating;
    /**
     * Sharding passivated it (for idleness: a transaction's votes and timers do not pass the
     * shard) while a transaction ran: it stops once that is finished.
     */
    private boolean stopWhenFinished;
    /** Requests with this coordinator's token that came while it finished a transaction recovered after a crash. */
    private final List<Execute> afterRecovered = new ArrayList<>();

    private TransactionCoordinator(String entityId, ActorRef<ClusterSharding.ShardCommand> shard,
                                   ActorContext<Command> context, TimerScheduler<Command> timers) {
        super(persistenceId(entityId));
        this.entityId = entityId;
        this.shard = shard;
        this.context = context;
        this.timers = timers;
        this.sharding = ClusterSharding.get(context.getSystem());
        this.replies = context.messageAdapter(ParticipantReply.class, Reply::new);
        var config = context.getSystem().settings().config();
        this.prepareTimeout = config.getDuration("eddy.transactions.prepare-timeout");
        this.resendInterval = config.getDuration("eddy.transactions.resend-interval");
    }

    public static Behavior<Command> create(String entityId, ActorRef<ClusterSharding.ShardCommand> shard) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new TransactionCoordinator(entityId, shard, ctx, timers)));
    }

    /** The journal of the coordinator entity {@code entityId}. */
    public static PersistenceId persistenceId(String entityId) {
        return PersistenceId.ofUniqueId(PERSISTENCE_PREFIX + entityId);
    }

    /** The coordinator of a request with this ClientRequestToken. */
    public static String entityIdForToken(String clientRequestToken) {
        return "token:" + clientRequestToken;
    }

    /** The coordinator of a request without a token: a new one. */
    public static String entityIdForRequest() {
        return "request:" + UUID.randomUUID();
    }

    /** The coordinator that runs {@code transactionId}. */
    static String coordinatorOf(String transactionId) {
        return transactionId.substring(0, transactionId.lastIndexOf('/'));
    }

    /** Wakes the coordinator whose journal is {@code persistenceId} ({@link Wake}). */
    public static void wake(ClusterSharding sharding, String persistenceId) {
        sharding.entityRefFor(TYPE_KEY, persistenceId.substring(PERSISTENCE_PREFIX.length())).tell(new Wake());
    }

    /** Asks the coordinator of {@code transactionId} to tell {@code partition} its outcome. */
    static void inquire(ClusterSharding sharding, String transactionId, String partition) {
        sharding.entityRefFor(TYPE_KEY, coordinatorOf(transactionId)).tell(new Inquire(transactionId, partition));
    }

    @Override
    public State emptyState() {
        return new Idle(Optional.empty());
    }

    @Override
    public CommandHandler<Command, TransactionEvent, State> commandHandler() {
        var builder = newCommandHandlerBuilder();
        builder.forStateType(Idle.class)
                .onCommand(Execute.class, this::onExecute)
                .onCommand(Inquire.class, inquire -> {
                    // Not running it: never started, or finished long ago (every participant answered).
                    resolve(inquire.partition(), inquire.transactionId(), false, 0);
                    return Effect().none();
                })
                .onCommand(Stop.class, stop -> Effect().stop())
                .onAnyCommand(stale -> Effect().none());
        builder.forStateType(Running.class)
                .onCommand(Execute.class, (running, execute) -> {
                    // A transaction recovered after a crash (no client waits for it) finishes on its own within moments: the
                    // request with its token (a client's retry, whose first answer the crash lost) is answered after it.
                    if (execution != null && execution.client == null) {
                        afterRecovered.add(execute);
                        return Effect().none();
                    }
                    inProgress(execute);
                    return Effect().none();
                })
                .onCommand(Reply.class, this::onReply)
                .onCommand(PrepareTimedOut.class, (running, timeout) -> {
                    if (!isCurrent(timeout.transactionId()) || running.committing() || execution.aborting) return Effect().none();
                    execution.failure = new DynamoException(ErrorCode.InternalServerError, "Internal server error");
                    return abort(running);
                })
                .onCommand(ResendOutcome.class, (running, resend) -> {
                    if (isCurrent(resend.transactionId()) && (running.committing() || execution.aborting)) sendOutcome(running);
                    return Effect().none();
                })
                .onCommand(AbortRecovered.class, (running, recovered) -> abort(running))
                .onCommand(Wake.class, (running, wake) -> Effect().none())
                .onCommand(Stop.class, (running, stop) -> {
                    // At shutdown (a handoff) the participants are stopping too: the next start finishes it from the journal.
                    if (CoordinatedShutdown.get(context.getSystem()).getShutdownReason().isPresent()) {
                        for (Execute waiting : afterRecovered) inProgress(waiting);
                        return Effect().stop();
                    }
                    stopWhenFinished = true;
                    return Effect().none();
                })
                .onCommand(Inquire.class, this::onInquire);
        return builder.build();
    }

    private Effect<TransactionEvent, State> onExecute(Idle idle, Execute execute) {
        if (passivating) {
            // Through the shard, which holds it for the next incarnation (sent after the Passivate, so it arrives after it).
            sharding.entityRefFor(TYPE_KEY, entityId).tell(execute);
            return Effect().none();
        }
        Optional<LastCommit> recent = idle.lastCommit()
                .filter(c -> SteadyClock.PROCESS.earliestMillis() - c.finishedAtMillis() < IDEMPOTENCY_WINDOW.toMillis());
        if (recent.isPresent()) {
            execute.replyTo().tell(recent.get().requestHash().equals(execute.requestHash())
                    ? new TransactionOutcome.Replayed()
                    : new TransactionOutcome.Failed(new DynamoException(ErrorCode.IdempotentParameterMismatchException,
                            "The request uses the same client token as a previous, but non-identical request. "
                                    + "Do not reuse a client token with different requests, unless the requests are identical.")));
            return Effect().none();
        }
        String transactionId = entityId + "/" + UUID.randomUUID();
        List<String> participants = execute.participants().stream().map(ParticipantWork::partition).toList();
        // The prepares go out while Started is being journaled (the journal folds both into one
        // fsync): a partition that prepares a transaction whose Started never became durable asks
        // about it later, and a coordinator without a record of it answers abort. The answers wait
        // (stashed) until Started is durable, so the decision is always journaled after it.
        execution = new Execution(transactionId, execute.replyTo(), execute.actionCount());
        for (ParticipantWork work : execute.participants()) {
            execution.work.put(work.partition(), work);
            partition(work.partition()).tell(new PartitionCommand.PrepareTransaction(transactionId, work.actions(), false, replies));
        }
        timers.startSingleTimer(PREPARE_TIMER, new PrepareTimedOut(transactionId), prepareTimeout);
        return Effect().persist(new Started(transactionId, execute.requestHash(), participants));
    }

    private Effect<TransactionEvent, State> onReply(Running running, Reply message) {
        ParticipantReply reply = message.reply();
        if (reply instanceof Resolved resolved) {
            if (!isCurrent(resolved.transactionId()) || !(running.committing() || execution.aborting)) return Effect().none();
            execution.unacknowledged.remove(resolved.partition());
            return execution.unacknowledged.isEmpty() ? finish(running) : Effect().none();
        }
        String transactionId = reply instanceof Prepared p ? p.transactionId()
                : reply instanceof Refused r ? r.transactionId() : null;
        if (transactionId == null || !isCurrent(transactionId) || running.committing() || execution.aborting) {
            return Effect().none();
        }
        execution.votes.put(reply.partition(), reply);
        if (execution.votes.size() < running.participants().size()) return Effect().none();
        timers.cancel(PREPARE_TIMER);
        boolean allPrepared = execution.votes.values().stream().allMatch(vote -> vote instanceof Prepared);
        if (!allPrepared) return abort(running);
        return Effect().persist(new Committing(running.transactionId(), TableStream.micros(Instant.now()))).thenRun(state -> beginOutcome((Running) state));
    }

    /** Abort needs no journal entry: a transaction recovered undecided is aborted anyway. */
    private Effect<TransactionEvent, State> abort(Running running) {
        timers.cancel(PREPARE_TIMER);
        if (execution == null || !isCurrent(running.transactionId())) {
            execution = new Execution(running.transactionId(), null, 0);
        }
        if (execution.aborting) return Effect().none();
        execution.aborting = true;
        beginOutcome(running);
        return Effect().none();
    }

    /** The outcome is decided: every participant is to be told, until each has acknowledged it. */
    private void beginOutcome(Running running) {
        execution.unacknowledged.clear();
        execution.unacknowledged.addAll(running.participants());
        sendOutcome(running);
    }

    /** Tells the participants that have not acknowledged it the outcome, and again later until all have. */
    private void sendOutcome(Running running) {
        boolean commit = running.committing();
        for (String participant : execution.unacknowledged) {
            resolve(participant, running.transactionId(), commit, running.committedAtMicros());
        }
        timers.startSingleTimer(RESEND_TIMER, new ResendOutcome(running.transactionId()), resendInterval);
    }

    private Effect<TransactionEvent, State> onInquire(Running running, Inquire inquire) {
        if (!inquire.transactionId().equals(running.transactionId())) {
            resolve(inquire.partition(), inquire.transactionId(), false, 0);
        } else if (running.committing()) {
            resolve(inquire.partition(), inquire.transactionId(), true, running.committedAtMicros());
        } else if (execution != null && execution.aborting) {
            resolve(inquire.partition(), inquire.transactionId(), false, 0);
        }
        // Otherwise the transaction is still preparing: the partition asks again later.
        return Effect().none();
    }

    private Effect<TransactionEvent, State> finish(Running running) {
        timers.cancel(RESEND_TIMER);
        boolean committed = running.committing();
        Execution done = execution;
        // Answered before Finished is durable: a request arriving meanwhile waits for it (commands
        // are stashed during a persist), and after a crash the recovered coordinator finishes again.
        if (done.client != null) done.client.tell(outcome(done, committed));
        Finished finished = new Finished(running.transactionId(), committed, SteadyClock.PROCESS.latestMillis());
        if (stopWhenFinished) {
            // Already passivating: the shard holds what comes for it until it has stopped.
            return Effect().persist(finished).thenRun(state -> {
                execution = null;
                resendAfterRecovered();
            }).thenStop();
        }
        return Effect().persist(finished)
                .thenRun(state -> {
                    execution = null;
                    // Its state is journaled: it comes back (recovered) if its token is used again.
                    passivating = true;
                    shard.tell(new ClusterSharding.Passivate<>(context.getSelf()));
                    resendAfterRecovered();
                });
    }

    /**
     * The requests that waited for a recovered transaction, sent again through the shard, which
     * holds them for the next incarnation (sent after the Passivate, they arrive after it): each is
     * then answered as the token's next request (replayed, a mismatch, or run).
     */
    private void resendAfterRecovered() {
        for (Execute waiting : afterRecovered) sharding.entityRefFor(TYPE_KEY, entityId).tell(waiting);
        afterRecovered.clear();
    }

    private static void inProgress(Execute execute) {
        execute.replyTo().tell(new TransactionOutcome.Failed(new DynamoException(
                ErrorCode.TransactionInProgressException, "Transaction from previous request is still in progress")));
    }

    private static TransactionOutcome outcome(Execution done, boolean committed) {
        if (committed) {
            List<PreparedWrite> writes = new ArrayList<>();
            for (ParticipantReply vote : done.votes.values()) writes.addAll(((Prepared) vote).writes());
            writes.sort(Comparator.comparingInt(PreparedWrite::action));
            return new TransactionOutcome.Committed(writes);
        }
        if (done.failure != null) return new TransactionOutcome.Failed(done.failure);
        List<CancellationReason> reasons = new ArrayList<>();
        for (int i = 0; i < done.actionCount; i++) reasons.add(CancellationReason.NONE);
        for (ParticipantReply vote : done.votes.values()) {
            if (!(vote instanceof Refused refused)) continue;
            List<TransactionAction> actions = done.work.get(refused.partition()).actions();
            for (int i = 0; i < actions.size(); i++) reasons.set(actions.get(i).action(), refused.reasons().get(i));
        }
        return new TransactionOutcome.Cancelled(reasons);
    }

    private boolean isCurrent(String transactionId) {
        return execution != null && execution.transactionId.equals(transactionId);
    }

    private void resolve(String partition, String transactionId, boolean commit, long committedAtMicros) {
        partition(partition).tell(new PartitionCommand.ResolveTransaction(transactionId, commit, committedAtMicros, replies));
    }

    private org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef<PartitionCommand> partition(String entityId) {
        return sharding.entityRefFor(PartitionEntity.TYPE_KEY, entityId);
    }

    @Override
    public EventHandler<State, TransactionEvent> eventHandler() {
        return newEventHandlerBuilder()
                .forAnyState()
                .onEvent(Started.class, (state, started) -> new Running(started.transactionId(), started.requestHash(),
                        started.participants(), false, 0, state.lastCommit()))
                .onEvent(Committing.class, (state, committing) -> {
                    Running running = (Running) state;
                    return new Running(running.transactionId(), running.requestHash(), running.participants(), true,
                            committing.committedAtMicros(), running.lastCommit());
                })
                .onEvent(Finished.class, (state, finished) -> {
                    if (finished.committed() && state instanceof Running running) {
                        return new Idle(Optional.of(new LastCommit(running.requestHash(), finished.finishedAtMillis())));
                    }
                    return new Idle(state.lastCommit());
                })
                .build();
    }

    @Override
    public SignalHandler<State> signalHandler() {
        return newSignalHandlerBuilder()
                .onSignal(RecoveryCompleted.instance(), state -> {
                    if (!(state instanceof Running running)) return;
                    // A transaction interrupted by a crash: nobody waits for it any more, but its
                    // participants hold locks. Decided ones are told again; undecided ones abort.
                    execution = new Execution(running.transactionId(), null, 0);
                    if (running.committing()) beginOutcome(running);
                    else context.getSelf().tell(new AbortRecovered());
                })
                .build();
    }
}
