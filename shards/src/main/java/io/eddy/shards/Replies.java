package io.eddy.shards;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Hands replies to asks on to callers as plain {@link CompletableFuture}s completed on Pekko's
 * dispatcher.
 *
 * <p>Why: the CompletionStage Pekko's ask returns is Scala's wrapper, which runs even the
 * non-async callbacks ({@code thenApply}, {@code whenComplete}) on the JDK's default async
 * executor — and with fewer than three cores that executor starts a new thread for every task.
 * Chaining on it directly made every request create and destroy a thread.
 */
final class Replies {

    private Replies() {}

    static <T> CompletableFuture<T> onDispatcher(CompletionStage<T> reply, Executor dispatcher) {
        CompletableFuture<T> result = new CompletableFuture<>();
        reply.whenCompleteAsync((value, failure) -> {
            if (failure != null) result.completeExceptionally(failure);
            else result.complete(value);
        }, dispatcher);
        return result;
    }
}
