package io.eddy.streams;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** The keys (indexes, replicas) that failed lately and wait before they are tried again. One actor's: not thread-safe. */
final class Backoff<K> {

    private final Duration delay;
    /** When each key may be tried again (System.nanoTime). */
    private final Map<K, Long> until = new HashMap<>();

    Backoff(Duration delay) {
        this.delay = delay;
    }

    boolean waiting(K key) {
        Long end = until.get(key);
        if (end == null) return false;
        if (end - System.nanoTime() > 0) return true;
        until.remove(key);
        return false;
    }

    void failed(K key) {
        until.put(key, System.nanoTime() + delay.toNanos());
    }
}
