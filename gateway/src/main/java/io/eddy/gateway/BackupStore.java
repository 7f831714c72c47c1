package io.eddy.gateway;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eddy.model.AttributeValue;
import io.eddy.model.AttributeValueJson;
import io.eddy.model.DynamoException;
import io.eddy.model.ErrorCode;
import io.eddy.persistence.DurableFiles;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * On-demand backups on disk, under {@code <data-dir>/backups}: a backup is its items
 * ({@code <id>.items}, one item's wire JSON a line) and its description ({@code <id>.json}: the
 * backup's details and the table's description when it was taken). The description is written
 * last, after the items are synced, and renamed into place, so a backup exists exactly when its
 * description does; a crash while writing leaves only an items file, which {@link #open} deletes.
 */
final class BackupStore {

    private final Path directory;

    private BackupStore(Path directory) {
        this.directory = directory;
    }

    /** The store under {@code dataDir}, created if needed; items files without a description are deleted. */
    static BackupStore open(Path dataDir) {
        Path directory = dataDir.resolve("backups");
        try {
            Files.createDirectories(directory);
            try (Stream<Path> files = Files.list(directory)) {
                for (Path file : files.toList()) {
                    String name = file.getFileName().toString();
                    if (name.endsWith(".tmp")) Files.deleteIfExists(file);
                    if (name.endsWith(".items") && !Files.exists(directory.resolve(name.replace(".items", ".json")))) {
                        Files.deleteIfExists(file);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new BackupStore(directory);
    }

    /** Writes one backup's items, as they come, to a file that becomes part of the backup once it is {@link #commit}ted. */
    final class ItemsWriter implements AutoCloseable {
        private final String id;
        private final FileChannel channel;
        private final JsonGenerator generator;
        private long count;
        private long bytes;

        private ItemsWriter(String id) throws IOException {
            this.id = id;
            this.channel = FileChannel.open(directory.resolve(id + ".items"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
            this.generator = Json.MAPPER.getFactory().createGenerator(out);
            generator.setRootValueSeparator(new SerializedString("\n"));
        }

        void write(Map<String, AttributeValue> item, long itemBytes) {
            AttributeValueJson.writeItem(generator, item);
            count++;
            bytes += itemBytes;
        }

        long count() {
            return count;
        }

        long bytes() {
            return bytes;
        }

        /** Syncs the items and writes the description, making the backup exist. */
        void commit(ObjectNode description) throws IOException {
            generator.flush();
            channel.force(true);
            generator.close();
            DurableFiles.replace(directory.resolve(id + ".json"), Json.MAPPER.writeValueAsBytes(description));
        }

        @Override
        public void close() throws IOException {
            generator.close();
        }

        /** Drops what was written: the backup was not completed. */
        void abandon() {
            try {
                close();
                Files.deleteIfExists(directory.resolve(id + ".items"));
            } catch (IOException ignored) {
                // Deleted at the next start if not now.
            }
        }
    }

    ItemsWriter newBackup(String id) throws IOException {
        return new ItemsWriter(id);
    }

    /** The descriptions of every backup on disk, in no particular order. */
    List<ObjectNode> all() {
        List<ObjectNode> descriptions = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json")).toList()) {
                read(file).ifPresent(descriptions::add);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return descriptions;
    }

    /** The description of the backup with this id. */
    Optional<ObjectNode> find(String id) {
        return read(directory.resolve(id + ".json"));
    }

    /** Each item of the backup, in the order it was written. */
    void forEachItem(String id, Consumer<Map<String, AttributeValue>> action) throws IOException {
        try (BufferedReader reader = Files.newBufferedReader(directory.resolve(id + ".items"), StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isEmpty()) action.accept(AttributeValueJson.readItem(Json.MAPPER.readTree(line)));
            }
        }
    }

    /** Deletes the backup: its description first, so it stops existing at once. */
    void delete(String id) throws IOException {
        Files.deleteIfExists(directory.resolve(id + ".json"));
        DurableFiles.syncDirectory(directory);
        Files.deleteIfExists(directory.resolve(id + ".items"));
    }

    private Optional<ObjectNode> read(Path file) {
        if (!Files.exists(file)) return Optional.empty();
        try {
            JsonNode node = Json.MAPPER.readTree(Files.readAllBytes(file));
            return node instanceof ObjectNode object ? Optional.of(object) : Optional.empty();
        } catch (java.nio.file.NoSuchFileException deleted) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static DynamoException notFound(String arn) {
        return new DynamoException(ErrorCode.BackupNotFoundException, "Backup not found: " + arn);
    }
}
