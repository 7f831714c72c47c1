package io.eddy.gateway;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The threads one kind of background job (backups and restores, exports, imports) runs on,
 * off the actor threads: daemon threads of one name, as many as there are jobs. Once stopped (at
 * shutdown) they are interrupted, and a job that fails then was cut short, not failed: its record
 * stays in progress, and it runs again at the next start.
 */
final class BackgroundJobs implements Executor {

    private final ExecutorService threads;
    private volatile boolean stopping;

    BackgroundJobs(String name) {
        threads = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public void execute(Runnable job) {
        threads.execute(job);
    }

    /** Runs the job after {@code delay}, unless stopping by then. */
    void executeLater(Duration delay, Runnable job) {
        if (stopping) return;
        try {
            CompletableFuture.runAsync(job, CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS, threads));
        } catch (RejectedExecutionException stopped) {
            // Stopping: the job runs again at the next start.
        }
    }

    boolean stopping() {
        return stopping;
    }

    /** Interrupts the jobs that run and takes no more. */
    void stop() {
        stopping = true;
        threads.shutdownNow();
    }
}
