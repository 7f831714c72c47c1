package io.eddy.streams;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * A running consumer of one partition's change log (a {@link GlobalIndexFeed}, a {@link ReplicaFeed}):
 * first some work off the stream (a backfill or a seeding, which a kill switch cannot interrupt,
 * so it watches {@code stopped}), then a stream following the log from where that work ends. Stop
 * it, and learn when it has stopped: failed only if it failed while it was not being stopped.
 */
record FeedHandle(UniqueKillSwitch killSwitch, AtomicBoolean stopped, CompletionStage<Done> finished) {

    void stop() {
        stopped.set(true);
        killSwitch.shutdown();
    }

    /**
     * Runs {@code follow} from the position {@code begun} completes with. The handle is finished
     * once both have ended.
     */
    static FeedHandle run(ActorSystem<?> system, CompletableFuture<Long> begun, Function<Long, Source<Integer, NotUsed>> follow,
                          AtomicBoolean stopped) {
        Pair<UniqueKillSwitch, CompletionStage<Done>> running = Source.completionStage(begun)
                .flatMapConcat(follow::apply)
                .viaMat(KillSwitches.single(), Keep.right())
                .toMat(Sink.ignore(), Keep.both())
                .run(system);
        CompletionStage<Done> finished = running.second().handle((done, failure) -> Optional.ofNullable(failure))
                .thenCombine(begun.handle((next, failure) -> Optional.ofNullable(failure)), (streamFailure, beginFailure) -> {
                    Optional<Throwable> failure = streamFailure.or(() -> beginFailure);
                    if (failure.isPresent() && !stopped.get()) {
                        throw failure.get() instanceof RuntimeException e ? e : new IllegalStateException(failure.get());
                    }
                    return Done.getInstance();
                });
        return new FeedHandle(running.first(), stopped, finished);
    }

    /** Stops the feeds and tells {@code replyTo} once they have all stopped (or 20 s have passed). */
    static void stopAll(Collection<FeedHandle> feeds, ActorRef<Done> replyTo) {
        List<CompletableFuture<Done>> stopping = new ArrayList<>();
        for (FeedHandle handle : feeds) {
            handle.stop();
            stopping.add(handle.finished().toCompletableFuture().exceptionally(failure -> Done.getInstance()));
        }
        CompletableFuture.allOf(stopping.toArray(CompletableFuture[]::new))
                .orTimeout(20, TimeUnit.SECONDS)
                .whenComplete((done, failure) -> replyTo.tell(Done.getInstance()));
    }
}
