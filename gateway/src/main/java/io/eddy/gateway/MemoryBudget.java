package io.eddy.gateway;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Memory that requests in flight may hold at once, granted as reservations in the order asked, so
 * that a big request is not passed over for ever by small ones. A node has two: one for the request
 * bodies that did not arrive whole ({@code eddy.http.request-body-memory}) and one for what every
 * request takes once parsed ({@code eddy.http.request-parse-memory}, {@link ParsedSize}); each is at
 * most a quarter of the heap. A request reserves what it may take once, before it takes it, so that
 * none holds memory of a budget while it waits for more of the same; one that holds a body and
 * waits for its parse reservation waits only on requests that are past theirs.
 *
 * <p>A body up to 16 MB is held whole until its request is answered, and with nothing counting them
 * all, a few dozen slow uploads at once could take the whole heap: its reservation is its declared
 * length (the 16 MB limit for a chunked one), and while the budget cannot grant it, its bytes are not
 * read, so its connection's socket stops being read and TCP holds the client back.
 */
final class MemoryBudget {

    private static final CompletableFuture<Void> GRANTED = CompletableFuture.completedFuture(null);

    private final long capacity;
    /** Guarded by this, as is every reservation's state. */
    private long available;
    private final ArrayDeque<Reservation> waiting = new ArrayDeque<>();

    MemoryBudget(long capacity) {
        if (capacity <= 0) throw new IllegalArgumentException("a memory budget must be positive, not " + capacity);
        this.capacity = capacity;
        this.available = capacity;
    }

    /**
     * The budget set at {@code path}, capped at a quarter of the heap (but never below one whole
     * body).
     *
     * @throws IllegalArgumentException when it is not positive
     */
    static MemoryBudget of(com.typesafe.config.Config config, String path) {
        long configured = config.getBytes(path);
        if (configured <= 0) throw new IllegalArgumentException(path + " must be positive, not " + configured);
        long heapShare = Math.max(Runtime.getRuntime().maxMemory() / 4, GzipCoding.MAX_REQUEST_BYTES);
        return new MemoryBudget(Math.min(configured, heapShare));
    }

    /** A new request's reservation, of nothing yet. */
    Reservation reservation() {
        return new Reservation();
    }

    /** Bytes reserved now. */
    synchronized long reserved() {
        return capacity - available;
    }

    /** One request's share; closed once it is answered (or failed). */
    final class Reservation {
        private long granted;
        private long wanted;
        private CompletableFuture<Void> pending;
        private boolean waited;
        private boolean closed;

        /**
         * Completes once {@code total} bytes (at most the whole budget) are reserved for the request.
         * One call at a time: the next only after the last completed.
         */
        CompletionStage<Void> growTo(long total) {
            synchronized (MemoryBudget.this) {
                long target = Math.min(total, capacity);
                if (closed || target <= granted) return GRANTED;
                if (pending != null) throw new IllegalStateException("a reservation grows one step at a time");
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
         * Reserves {@code total} bytes (at most the whole budget) if that can be done now, with
         * nobody waiting before it; otherwise reserves nothing more and does not wait.
         */
        boolean tryGrowTo(long total) {
            synchronized (MemoryBudget.this) {
                long target = Math.min(total, capacity);
                if (closed || pending != null) return false;
                if (target <= granted) return true;
                if (!waiting.isEmpty() || available < target - granted) return false;
                available -= target - granted;
                granted = target;
                return true;
            }
        }

        /**
         * Whether it ever waited for the budget: a body that then did not arrive in time spent
         * some of its time on the server's account, so is not simply slow.
         */
        boolean waited() {
            synchronized (MemoryBudget.this) {
                return waited;
            }
        }

        /** Gives back what it holds, and stops waiting; once. */
        void close() {
            List<CompletableFuture<Void>> granted;
            synchronized (MemoryBudget.this) {
                if (closed) return;
                closed = true;
                if (pending != null) {
                    waiting.remove(this);
                    pending = null; // its request has ended: nobody waits for it
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
