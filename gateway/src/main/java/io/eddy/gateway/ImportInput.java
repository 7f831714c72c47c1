package io.eddy.gateway;

import com.amazon.ion.IonReader;
import com.amazon.ion.system.IonReaderBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.eddy.model.AttributeType;
import io.eddy.model.AttributeValue;
import io.eddy.model.AttributeValueJson;
import io.eddy.model.DynamoException;
import io.eddy.model.ItemKeys;
import io.eddy.model.KeySchema;
import io.eddy.model.SecondaryIndex;
import io.eddy.model.TableMetadata;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import com.github.luben.zstd.ZstdInputStream;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What ImportTable reads: every object of the bucket whose key starts with the prefix (a plain
 * string prefix, as S3 lists them; no manifest), decompressed as InputCompressionType says, read
 * as DYNAMODB_JSON ({@code {"Item":{...}}} values, one per line or simply one after another),
 * ION ({@link IonItems}) or CSV (a header line or HeaderList; key attributes typed by their definitions, every other
 * column a string). An item the table would not take (a missing or mistyped key, an invalid
 * value) counts as one error and is skipped; what cannot be read as an item (bad JSON or CSV, no
 * Item) counts as one error and ends that object, the items before it staying imported: both as
 * DynamoDB's import does.
 */
final class ImportInput {

    private static final Logger log = LoggerFactory.getLogger(ImportInput.class);
    private static final CsvMapper CSV = new CsvMapper();

    /** How the objects are read: the request's InputFormat, InputCompressionType and CSV options. */
    record Format(String inputFormat, String compression, String delimiter, List<String> headers) {}

    /** What an import has read so far. */
    static final class Counts {
        long processed;
        long imported;
        long errors;
        long bytes;
    }

    /** Reading stopped because the thread was interrupted (a stop): not an item's error. */
    static final class Interrupted extends RuntimeException {
        Interrupted() {
            super("interrupted", null, false, false);
        }
    }

    /** An item that cannot be imported: what DynamoDB would put in the import's CloudWatch log. */
    private static final class ItemError extends Exception {
        ItemError(String message) {
            super(message, null, false, false);
        }
    }

    /** Item errors logged per import; the rest are only counted. */
    private static final int LOGGED_ERRORS = 100;

    private final TableMetadata table;
    private final Format format;
    /** The table's and its global indexes' key attributes, by name: CSV columns typed by their definitions. */
    private final Map<String, AttributeType> keyTypes = new HashMap<>();
    /** The table's own key attributes: an empty CSV cell of another column leaves the attribute out. */
    private final java.util.Set<String> tableKeys = new java.util.HashSet<>();

    ImportInput(TableMetadata table, Format format) {
        this.table = table;
        this.format = format;
        List<KeySchema.KeyAttribute> keys = new ArrayList<>();
        keys.add(table.keySchema().partitionKey());
        table.keySchema().sortKey().ifPresent(keys::add);
        for (SecondaryIndex index : table.options().indexes()) {
            keys.addAll(index.partitionKeys());
            keys.addAll(index.sortKeys());
        }
        for (KeySchema.KeyAttribute key : keys) keyTypes.put(key.name(), key.type());
        tableKeys.add(table.keySchema().partitionKey().name());
        table.keySchema().sortKey().ifPresent(key -> tableKeys.add(key.name()));
    }

    /** The keys of the objects in {@code bucket} that start with {@code prefix}, in key order. */
    static List<String> objectKeys(Path bucket, String prefix) throws IOException {
        try (Stream<Path> files = Files.walk(bucket)) {
            // Not through symbolic links: a link in a bucket must not read a file elsewhere on the host.
            return files.filter(file -> Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS))
                    .map(file -> bucket.relativize(file).toString().replace(java.io.File.separatorChar, '/'))
                    .filter(key -> prefix == null || key.startsWith(prefix))
                    .sorted()
                    .toList();
        }
    }

    /**
     * Reads one object, giving {@code put} each valid item, and adds what it read to {@code counts}.
     * An item that is read but would not be taken (no key, a key of the wrong type, a bad value) is
     * one error, and reading goes on with the next, as DynamoDB's import does ("the import job
     * skips over that item and continues on with the next item"); what cannot be read as an item
     * at all (not gzip, not JSON, CSV or Ion, no Item member) is one error too, and the rest of the
     * object is not read.
     */
    void read(String importId, String key, Path object, Consumer<Map<String, AttributeValue>> put, Counts counts) {
        CountingStream in = null;
        long before = counts.processed;
        if (isEmpty(object)) return; // an empty object holds no items, compressed or not
        Consumer<String> error = why -> {
            counts.errors++;
            if (counts.errors <= LOGGED_ERRORS) {
                log.warn("Import {}: object {}, item {}: {}{}", importId, key, counts.processed - before - 1, why,
                        counts.errors == LOGGED_ERRORS ? " (further errors of this import are counted, not logged)" : "");
            }
        };
        Consumer<JsonNode> item = json -> {
            Map<String, AttributeValue> valid;
            try {
                valid = validItem(json);
            } catch (ItemError e) {
                error.accept(e.getMessage());
                return;
            }
            put.accept(valid);
            counts.imported++;
        };
        try (InputStream raw = Files.newInputStream(object); InputStream decoded = decoded(raw)) {
            in = new CountingStream(decoded);
            switch (format.inputFormat()) {
                case "CSV" -> readCsv(in, item, counts);
                case "ION" -> readIon(in, item, counts);
                default -> readJson(in, item, counts);
            }
        } catch (IOException | RuntimeException | ItemError | LinkageError e) {
            if (e instanceof Interrupted || e instanceof java.nio.channels.ClosedByInterruptException
                    || Thread.currentThread().isInterrupted()) {
                throw new Interrupted();
            }
            if (!(e instanceof ItemError)) counts.processed++;
            error.accept(e.getMessage());
        } finally {
            if (in != null) counts.bytes += in.count;
        }
    }

    private InputStream decoded(InputStream raw) throws IOException {
        return switch (format.compression()) {
            case "GZIP" -> new GZIPInputStream(raw);
            case "ZSTD" -> new ZstdInputStream(raw);
            default -> raw;
        };
    }

    private static boolean isEmpty(Path object) {
        try {
            return Files.size(object) == 0;
        } catch (IOException e) {
            return false; // reading it reports the problem
        }
    }

    /** Whether ZSTD input can be read here: zstd-jni's native library loads on this platform. */
    static boolean zstdAvailable() {
        try {
            com.github.luben.zstd.util.Native.load();
            return true;
        } catch (LinkageError | RuntimeException e) {
            return false;
        }
    }

    private void readJson(CountingStream in, Consumer<JsonNode> item, Counts counts) throws IOException, ItemError {
        com.fasterxml.jackson.core.JsonParser parser = Json.MAPPER.createParser(in);
        // readValues would read a top-level array's elements as values: DynamoDB reads no such thing.
        if (parser.nextToken() == com.fasterxml.jackson.core.JsonToken.START_ARRAY) {
            counts.processed++;
            throw new ItemError("a JSON array where {\"Item\":{...}} values are expected");
        }
        try (MappingIterator<JsonNode> values = Json.MAPPER.readerFor(JsonNode.class).readValues(parser)) {
            while (values.hasNextValue()) {
                JsonNode value = values.nextValue();
                counts.processed++;
                if (!value.isObject() || !value.path("Item").isObject()) throw new ItemError("no Item object");
                item.accept(value.get("Item"));
                in.nextValue();
            }
        }
    }

    private void readIon(CountingStream in, Consumer<JsonNode> item, Counts counts) throws ItemError {
        try (IonReader reader = IonReaderBuilder.standard().build(in)) {
            while (in.nextValue() && reader.next() != null) {
                counts.processed++;
                ObjectNode value;
                try {
                    value = IonItems.readItemValue(reader);
                } catch (RuntimeException e) {
                    throw new ItemError(String.valueOf(e.getMessage())); // malformed within the value: this item's error
                }
                if (value == null) throw new ItemError("no Item struct");
                item.accept(value.get("Item"));
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void readCsv(CountingStream in, Consumer<JsonNode> item, Counts counts) throws IOException, ItemError {
        CsvSchema schema = CsvSchema.emptySchema().withColumnSeparator(format.delimiter() == null ? ',' : format.delimiter().charAt(0));
        try (MappingIterator<String[]> rows = CSV.readerFor(String[].class).with(CsvParser.Feature.WRAP_AS_ARRAY)
                .with(CsvParser.Feature.SKIP_EMPTY_LINES).with(schema).readValues(in)) {
            List<String> headers = format.headers();
            while (rows.hasNextValue()) {
                String[] row = rows.nextValue();
                if (headers == null) {
                    headers = List.of(row);
                    continue;
                }
                counts.processed++;
                if (row.length != headers.size()) {
                    throw new ItemError(row.length + " columns where the header has " + headers.size());
                }
                item.accept(csvItem(headers, row));
                in.nextValue();
            }
        }
    }

    /** A CSV row as DynamoDB JSON: key attributes of their defined types (B in base64), other non-empty columns strings. */
    private ObjectNode csvItem(List<String> headers, String[] row) {
        ObjectNode item = Json.MAPPER.createObjectNode();
        for (int i = 0; i < row.length; i++) {
            AttributeType type = keyTypes.get(headers.get(i));
            // Left out, an index key's attribute leaves the item out of that index.
            if (row[i].isEmpty() && !tableKeys.contains(headers.get(i))) continue;
            item.putObject(headers.get(i)).put(type == null ? "S" : type.name(), row[i]);
        }
        return item;
    }

    /** The item, if the table would take it from a PutItem; the PutItem's refusal otherwise. */
    private Map<String, AttributeValue> validItem(JsonNode json) throws ItemError {
        try {
            Map<String, AttributeValue> item = AttributeValueJson.readItem(json);
            ItemKeys.keyOfItem(item, table.keySchema());
            ItemKeys.checkIndexKeysOfLoadedItem(item, table);
            ItemKeys.checkItemSize(item);
            return item;
        } catch (DynamoException e) {
            throw new ItemError(e.getMessage());
        }
    }

    /**
     * Counts the bytes read through it (ProcessedSizeBytes counts what was read, once
     * decompressed), and refuses to read more than {@link #MAX_VALUE_BYTES} for one value: an item
     * is 400 KB at most, and a parser holds a value whole, so a huge one would exhaust the heap
     * (Ion's reader has no limit of its own) where it should be one item's error.
     */
    private static final class CountingStream extends FilterInputStream {
        /** Far above any item's text (binaries in base64, characters escaped): DynamoDB's request limit. */
        static final long MAX_VALUE_BYTES = 16L * 1024 * 1024;
        long count;
        private long valueStart;

        CountingStream(InputStream in) {
            super(in);
        }

        /** A new value starts here (give or take the parser's read-ahead); true, for use in a loop's condition. */
        boolean nextValue() {
            valueStart = count;
            return true;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) counted(1);
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) counted(n);
            return n;
        }

        private void counted(int n) throws IOException {
            count += n;
            if (count - valueStart > MAX_VALUE_BYTES) {
                throw new IOException("a value of more than " + MAX_VALUE_BYTES / (1024 * 1024) + " MB, where an item is 400 KB at most");
            }
        }
    }
}
