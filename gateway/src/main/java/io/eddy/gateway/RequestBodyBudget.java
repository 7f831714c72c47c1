package io.eddy.gateway;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The memory all streamed request bodies may hold at once ({@code eddy.http.request-body-memory},
 * at most a quarter of the heap). A body up to 16 MB is held whole until its request is answered,
 * and with nothing counting them all, a few dozen slow uploads at once could take the whole heap.
 * A body reserves what it may keep before it is read (its declared length; the 16 MB limit for a
 * chunked one), once, so that no body holds memory while it waits for more; while the budget cannot
 * grant it, its bytes are not read, so its connection's socket stops being read and TCP holds the
 * client back. Reservations are granted in the order asked, so a big body is not passed over for
 * ever by small ones.
 */
final class RequestBodyBudget {

    private static final CompletableFuture<Void> GRANTED = CompletableFuture.completedFuture(null);

    private final long capacity;
    /** Guarded by this, as is every reservation's state. */
    private long available;
    private final ArrayDeque<Reservation> waiting = new ArrayDeque<>();

    RequestBodyBudget(long capacity) {
        if (capacity <= 0) throw new IllegalArgumentException("eddy.http.request-body-memory must be positive, not " + capacity);
        this.capacity = capacity;
        this.available = capacity;
    }

    /**
     * {@code eddy.http.request-body-memory}, capped at a quarter of the heap (but never below one
     * whole body).
     *
     * @throws IllegalArgumentException when it is not positive
     */
    static RequestBodyBudget of(com.typesafe.config.Config config) {
        long configured = config.getBytes("eddy.http.request-body-memory");
        if (configured <= 0) throw new IllegalArgumentException("eddy.http.request-body-memory must be positive, not " + configured);
        long heapShare = Math.max(Runtime.getRuntime().maxMemory() / 4, GzipCoding.MAX_REQUEST_BYTES);
        return new RequestBodyBudget(Math.min(configured, heapShare));
    }

    /** A new request body's reservation, of nothing yet. */
    Reservation reservation() {
        return new Reservation();
    }

    /** Bytes reserved now. */
    synchronized long reserved() {
        return capacity - available;
    }

    /** One body's share; closed once its request is answered (or failed). */
    final class Reservation {
        private long granted;
        private long wanted;
        private CompletableFuture<Void> pending;
        private boolean waited;
        private boolean closed;

        /**
         * Completes once {@code total} bytes (at most the whole budget) are reserved for the body.
         * One call at a time: the next only after the last completed.
         */
        CompletionStage<Void> growTo(long total) {
            synchronized (RequestBodyBudget.this) {
                long target = Math.min(total, capacity);
                if (closed || target <= granted) return GRANTED;
                if (pending != null) throw new IllegalStateException("a body's reservation grows one step at a time");
                if (waiting.isEmpty() && available >= target - granted) {
                    available -= target - granted;
                    granted = target;
                    return GRANTED;
                }
                wanted = target;
                waited = true;
                pending = new CompletableFuture<>();
                waiting.add(this);
                return pending;
            }
        }

        /**
         * Whether it ever waited for the budget: a body that then did not arrive in time spent
         * some of its time on the server's account, so is not simply slow.
         */
        boolean waited() {
            synchronized (RequestBodyBudget.this) {
                return waited;
            }
        }

        /** Gives back what it holds, and stops waiting; once. */
        void close() {
            List<CompletableFuture<Void>> granted;
            synchronized (RequestBodyBudget.this) {
                if (closed) return;
                closed = true;
                if (pending != null) {
                    waiting.remove(this);
                    pending = null; // its stream has ended: nobody waits for it
                }
                available += this.granted;
                this.granted = 0;
                granted = grantWaiting();
            }
            granted.forEach(future -> future.complete(null));
        }
    }

    /** Grants the waiting reservations, first come first served, as far as the budget goes; completed outside the lock. */
    private List<CompletableFuture<Void>> grantWaiting() {
        List<CompletableFuture<Void>> granted = new ArrayList<>();
        while (!waiting.isEmpty()) {
            Reservation next = waiting.peek();
            long more = next.wanted - next.granted;
            if (available < more) break;
            available -= more;
            next.granted = next.wanted;
            waiting.poll();
            granted.add(next.pending);
            next.pending = null;
        }
        return granted;
    }
}
