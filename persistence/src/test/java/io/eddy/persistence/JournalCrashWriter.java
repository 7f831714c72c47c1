package io.eddy.persistence;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Run in a child JVM by {@link JournalCrashTest}: writers append to the journal, with small
 * segments, until the process is killed, while the journal is trimmed and its sparse segments
 * relocated. Each writer appends its events two at a time, as one atomic write, and prints
 * "{@code id seqNr}" once the write is acknowledged; each deletion is announced before it starts,
 * "{@code trim id seqNr}": none of the id's events after that sequence number may go missing.
 */
public final class JournalCrashWriter {
    static final int WRITERS = 4;
    static final long SEGMENT_BYTES = 64 << 10;
    static final int READY_AFTER = 2000;
    /** Events each writer keeps: the trimming deletes those before them. */
    static final long KEPT = 400;

    static String id(int writer) {
        return "w" + writer;
    }

    static byte[] payload(String id, long seqNr) {
        return (id + ":" + seqNr + ":" + "x".repeat(500)).getBytes(StandardCharsets.UTF_8);
    }

    public static void main(String[] args) throws Exception {
        JournalStore store = JournalStore.open(Path.of(args[0]), 1000, SEGMENT_BYTES);
        Map<String, Long> acknowledged = new ConcurrentHashMap<>();
        for (int writer = 0; writer < WRITERS; writer++) {
            String id = id(writer);
            Thread thread = new Thread(() -> {
                for (long seqNr = 1; ; seqNr += 2) {
                    store.append(List.of(new JournalStore.Event(id, seqNr, payload(id, seqNr)),
                            new JournalStore.Event(id, seqNr + 1, payload(id, seqNr + 1)))).join();
                    acknowledged.put(id, seqNr + 1);
                    synchronized (System.out) {
                        System.out.println(id + " " + (seqNr + 1));
                    }
                }
            });
            thread.setDaemon(true);
            thread.start();
        }
        boolean ready = false;
        while (true) {
            Thread.sleep(20);
            for (var entry : acknowledged.entrySet()) {
                long to = entry.getValue() - KEPT;
                synchronized (System.out) {
                    System.out.println("trim " + entry.getKey() + " " + to);
                }
                store.deleteTo(entry.getKey(), to).join();
            }
            store.relocateSparseSegments();
            if (!ready && acknowledged.values().stream().mapToLong(Long::longValue).sum() >= READY_AFTER) {
                ready = true;
                synchronized (System.out) {
                    System.out.println("ready");
                }
            }
        }
    }
}
