package io.eddy.gateway;

import java.util.concurrent.CompletionException;

/** The one way the gateway looks through a failed stage's wrapper to what failed. */
final class Failures {

    private Failures() {}

    /** The cause a {@link CompletionException} carries, or the failure itself. */
    static Throwable cause(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    /** The failure, to be thrown again from a stage's handler without wrapping it twice. */
    static CompletionException rethrown(Throwable failure) {
        return failure instanceof CompletionException completion ? completion : new CompletionException(failure);
    }
}
