package io.eddy.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.slf4j.Logger;

import io.eddy.persistence.DurableFiles;

/**
 * The descriptions of background jobs (exports, imports) by id: one file each under a directory
 * of the data directory ({@code <id>.json}, replaced whole: {@link DurableFiles#replace}), and in
 * memory. A record is never changed in place; each change saves a new one.
 */
final class DescriptionRecords {

    private final Path directory;
    private final Logger log;
    private final Map<String, ObjectNode> records = new ConcurrentHashMap<>();

    /**
     * Reads the directory's records: temporary files a crash left are deleted, and a file that is
     * not a JSON object {@code valid} accepts is logged and skipped, so one bad file does not stop a start.
     */
    DescriptionRecords(Path directory, Predicate<ObjectNode> valid, Logger log) {
        this.directory = directory;
        this.log = log;
        try {
            Files.createDirectories(directory);
            try (Stream<Path> files = Files.list(directory)) {
                for (Path file : files.toList()) {
                    String name = file.getFileName().toString();
                    if (name.endsWith(".tmp")) {
                        Files.deleteIfExists(file);
                    } else if (!read(file, name, valid)) {
                        log.warn("Ignoring {}, which is not a record Eddy wrote", file);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private boolean read(Path file, String name, Predicate<ObjectNode> valid) {
        try {
            if (name.endsWith(".json") && Json.MAPPER.readTree(Files.readAllBytes(file)) instanceof ObjectNode record && valid.test(record)) {
                records.put(name.substring(0, name.length() - ".json".length()), record);
                return true;
            }
        } catch (IOException | RuntimeException e) {
            // Not a record.
        }
        return false;
    }

    ObjectNode get(String id) {
        return records.get(id);
    }

    Collection<ObjectNode> all() {
        return records.values();
    }

    /** Saves the record durably, then shows it. */
    void save(String id, ObjectNode record) {
        try {
            DurableFiles.replace(directory.resolve(id + ".json"), Json.MAPPER.writeValueAsBytes(record));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        records.put(id, record);
    }

    /**
     * Saves a job's last record; shows it even if it cannot be saved (the job, still in progress
     * on disk, then runs again at the next start).
     */
    void saveEnd(String id, ObjectNode record) {
        try {
            save(id, record);
        } catch (RuntimeException e) {
            records.put(id, record);
            log.error("Could not record the end of {}; it runs again at the next start", id, e);
        }
    }
}
