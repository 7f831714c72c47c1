package io.eddy.gateway;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * One connection's clock for the request head it is receiving: started by its socket stage when
 * bytes arrive while no request of the connection is being handled, stopped when the HTTP layer
 * hands a request on and again when the request is answered. Pekko HTTP has no deadline for a
 * request head, and the idle timeout only ends a connection on which nothing at all arrives, so a
 * client sending its headers a byte at a time held a connection (and with enough of them, every
 * connection {@code max-connections} allows) for as long as it liked.
 *
 * <p>Shared by the connection's socket stage and its handler flow, which may run on different
 * threads.
 */
final class RequestHeadClock {

    /** Requests handed to the handler and not yet answered. */
    private final AtomicInteger handling = new AtomicInteger();
    /** System.nanoTime() when the head began to arrive; 0: no head is awaited. */
    private volatile long startedAt;

    /**
     * Bytes arrived at {@code now}: starts the clock unless a request is being handled (the bytes
     * are its body, or a pipelined request that waits its turn) or it runs already.
     *
     * @return whether the clock started
     */
    boolean bytesArrived(long now) {
        if (handling.get() != 0 || startedAt != 0) return false;
        startedAt = now == 0 ? 1 : now;
        return true;
    }

    void requestArrived() {
        handling.incrementAndGet();
        startedAt = 0;
    }

    /** Also stops the clock: one started by a body's bytes while the request was being handed on is not a head's. */
    void requestAnswered() {
        handling.decrementAndGet();
        startedAt = 0;
    }

    /** How long the awaited head has taken by {@code now}; negative when none is awaited. */
    long waitedNanos(long now) {
        long since = startedAt;
        return since == 0 || handling.get() != 0 ? -1 : now - since;
    }
}
