package io.eddy.shards;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/**
 * The one way the node's requests reach a partition's entity: a recovered partition straight at
 * its entity (no sharding region or shard on the way), the others through Cluster Sharding, which
 * starts the entity and routes to wherever it lives. Replies come back as {@link Replies#of}.
 */
final class PartitionAsks {

    private final ClusterSharding sharding;
    private final RecoveredPartitions recovered;
    private final Duration askTimeout;
    private final Scheduler scheduler;

    PartitionAsks(ClusterSharding sharding, RecoveredPartitions recovered, Duration askTimeout, Scheduler scheduler) {
        this.sharding = sharding;
        this.recovered = recovered;
        this.askTimeout = askTimeout;
        this.scheduler = scheduler;
    }

    <R> CompletableFuture<R> ask(String entityId, Function<ActorRef<R>, PartitionCommand> command) {
        ActorRef<PartitionCommand> local = recovered.entity(entityId);
        CompletionStage<R> reply = local != null
                ? AskPattern.ask(local, command::apply, askTimeout, scheduler)
                : viaSharding(entityId).ask(command::apply, askTimeout);
        return Replies.of(reply);
    }

    /** The partition's entity through Cluster Sharding, for messages that need no answer (and start it if need be). */
    EntityRef<PartitionCommand> viaSharding(String entityId) {
        return sharding.entityRefFor(PartitionEntity.TYPE_KEY, entityId);
    }
}
