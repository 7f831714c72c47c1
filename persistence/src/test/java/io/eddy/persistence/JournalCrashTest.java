package io.eddy.persistence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a process appending to the journal while it rolls over, trims, relocates and drops
 * segments: every acknowledged write is there afterwards, and every atomic write whole or not at all.
 */
class JournalCrashTest {

    @Test
    void everyAcknowledgedWriteSurvivesAKillAndNoneIsKeptInPart(@TempDir Path dir) throws Exception {
        Process writer = ChildJvm.start(JournalCrashWriter.class, "128m", dir);
        Map<String, Long> acknowledged = new HashMap<>();
        Map<String, Long> trimmedTo = new HashMap<>();
        List<String> output = new ArrayList<>();
        BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8));
        try {
            boolean ready = false;
            long afterReady = 0;
            String line;
            // Killed while it writes: a while after "ready", at a line the writer is printing. The
            // count is checked before a line is read: a line read here and not parsed would be
            // lost, and a deletion it announced would look like events gone missing.
            while (afterReady < 3000 && (line = out.readLine()) != null) {
                if (line.equals("ready")) {
                    ready = true;
                } else if (parse(line, acknowledged, trimmedTo)) {
                    if (ready) afterReady++;
                } else if (!line.startsWith("trim ")) {
                    output.add(line);
                }
            }
            assertTrue(ready, () -> "writer failed: " + String.join("\n", output));
        } finally {
            // SIGKILL, through the handle: Process.destroyForcibly would close its output too.
            writer.toHandle().destroyForcibly();
            assertTrue(writer.waitFor(30, TimeUnit.SECONDS));
        }
        // What it printed before it died: a deletion it announced may have run.
        for (String line; (line = out.readLine()) != null; ) parse(line, acknowledged, trimmedTo);
        out.close();
        long segments;
        try (var files = Files.list(dir.resolve(JournalStore.SEGMENTS_DIR))) {
            segments = files.filter(f -> f.toString().endsWith(".seg")).count();
        }
        try (JournalStore store = JournalStore.open(dir, 1000, JournalCrashWriter.SEGMENT_BYTES)) {
            for (int i = 0; i < JournalCrashWriter.WRITERS; i++) {
                String id = JournalCrashWriter.id(i);
                long highest = store.highestSequenceNr(id);
                assertTrue(highest >= acknowledged.get(id), id + ": " + highest + " < acknowledged " + acknowledged.get(id));
                assertEquals(0, highest % 2, id + ": an atomic write of two kept in part");
                List<Long> seqNrs = new ArrayList<>();
                store.replay(id, 0, Long.MAX_VALUE, Long.MAX_VALUE, event -> {
                    assertArrayEquals(JournalCrashWriter.payload(id, event.sequenceNr()), event.payload());
                    seqNrs.add(event.sequenceNr());
                });
                assertEquals(highest, seqNrs.get(seqNrs.size() - 1), id);
                long first = seqNrs.get(0);
                for (int k = 0; k < seqNrs.size(); k++) assertEquals(first + k, seqNrs.get(k), id + ": no gaps");
                long kept = Math.max(1, trimmedTo.getOrDefault(id, 0L) + 1);
                assertTrue(first <= kept, id + ": events from " + kept + " on were never deleted, but the first is " + first);
            }
        }
        System.out.println("acknowledged " + acknowledged + ", " + segments + " segments at the kill");
    }

    /** Notes an acknowledgement or an announced deletion; answers whether the line was an acknowledgement. */
    private static boolean parse(String line, Map<String, Long> acknowledged, Map<String, Long> trimmedTo) {
        String[] parts = line.split(" ");
        if (line.matches("trim w\\d+ -?\\d+")) {
            trimmedTo.merge(parts[1], Long.parseLong(parts[2]), Math::max);
        } else if (line.matches("w\\d+ \\d+")) {
            acknowledged.merge(parts[0], Long.parseLong(parts[1]), Math::max);
            return true;
        }
        return false;
    }
}
