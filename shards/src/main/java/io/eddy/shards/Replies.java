package io.eddy.shards;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Hands replies to asks on to callers as plain {@link CompletableFuture}s, completed on the thread
 * that replied (an actor's dispatcher thread, or the scheduler's on a timeout).
 *
 * <p>Why: the CompletionStage Pekko's ask returns is Scala's wrapper, which runs even the
 * non-async callbacks ({@code thenApply}, {@code whenComplete}) on the JDK's default async
 * executor — and with fewer than three cores that executor starts a new thread for every task.
 * Chaining on it directly made every request create and destroy a thread. Handing the reply to
 * another dispatcher task instead would cost a hop per request; the callers' continuations are
 * short and never block, so they run where the reply arrives.
 */
final class Replies {

    private static final Executor REPLYING_THREAD = Runnable::run;

    private Replies() {}

    static <T> CompletableFuture<T> of(CompletionStage<T> reply) {
        CompletableFuture<T> result = new CompletableFuture<>();
        reply.whenCompleteAsync((value, failure) -> {
            if (failure != null) result.completeExceptionally(failure);
            else result.complete(value);
        }, REPLYING_THREAD);
        return result;
    }
}
