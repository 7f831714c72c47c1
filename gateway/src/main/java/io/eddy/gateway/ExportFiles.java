package io.eddy.gateway;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eddy.model.AttributeValue;
import io.eddy.model.AttributeValueJson;
import io.eddy.model.ItemKeys;
import io.eddy.model.ItemSize;
import io.eddy.model.KeySchema;
import io.eddy.persistence.DurableFiles;
import io.eddy.streams.PointInTimeItems;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * One full export's files, laid out as DynamoDB lays them out in S3, with the bucket a directory
 * and each object key a path under it: {@code <prefix>/AWSDynamoDB/<export id>/} holds
 * {@code _started}, the gzipped data files under {@code data/} (DYNAMODB_JSON: one
 * {@code {"Item":{...}}} per line; ION: {@link IonItems}), {@code manifest-files.json} (a line per data file) and
 * {@code manifest-summary.json}, each manifest with its MD5 beside it ({@code .md5}, where the
 * documentation says {@code .checksum}: what DynamoDB writes).
 */
final class ExportFiles {

    /** Items per data file (DynamoDB writes at least one file per partition). */
    static final int ITEMS_PER_FILE = 100_000;
    /** Data file names are 26 characters of base32, as DynamoDB's are. */
    private static final char[] NAME_CHARACTERS = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    private static final DateTimeFormatter ISO_MILLIS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final Path bucket;
    private final boolean ion;
    /** The export's own directory (its manifests) and its key. */
    private final Path directory;
    private final String keyPrefix;
    /** Where its data files go: its own {@code data/}, or for an incremental export the prefix's shared one. */
    private final String dataKeyPrefix;
    private final List<ObjectNode> dataFiles = new ArrayList<>();
    private final List<Path> dataPaths = new ArrayList<>();
    private DataFile current;
    private long itemCount;
    private long billedBytes;

    private ExportFiles(Path bucket, boolean ion, Path directory, String keyPrefix, String dataKeyPrefix) {
        this.bucket = bucket;
        this.ion = ion;
        this.directory = directory;
        this.keyPrefix = keyPrefix;
        this.dataKeyPrefix = dataKeyPrefix;
    }

    /**
     * Starts the export's files in {@code bucket} (a directory), replacing what an interrupted
     * run of the same export left there, and writes {@code _started}.
     */
    static ExportFiles start(Path bucket, String prefix, String exportId, String format) throws IOException {
        String keyPrefix = keyPrefix(prefix, exportId);
        Path directory = objectPath(bucket, keyPrefix);
        if (Files.exists(directory)) {
            try (Stream<Path> leftovers = Files.walk(directory)) {
                for (Path path : leftovers.sorted(Comparator.reverseOrder()).toList()) Files.delete(path);
            }
        }
        Files.createDirectories(directory.resolve("data"));
        Files.write(directory.resolve("_started"), new byte[0]);
        return new ExportFiles(bucket, format.equals("ION"), directory, keyPrefix, keyPrefix + "/data/");
    }

    /**
     * Starts an incremental export's files: its manifests in its own directory (replaced if an
     * interrupted run left them), its data files in {@code <prefix>/AWSDynamoDB/data/}, which
     * DynamoDB's incremental exports to one prefix share. A run a stop interrupted may leave data
     * files there that no manifest names.
     */
    static ExportFiles startIncremental(Path bucket, String prefix, String exportId) throws IOException {
        ExportFiles files = start(bucket, prefix, exportId, "DYNAMODB_JSON");
        Files.delete(files.directory.resolve("_started"));
        Files.delete(files.directory.resolve("data"));
        String dataKeyPrefix = files.keyPrefix.substring(0, files.keyPrefix.length() - exportId.length()) + "data/";
        Files.createDirectories(objectPath(bucket, dataKeyPrefix));
        return new ExportFiles(bucket, false, files.directory, files.keyPrefix, dataKeyPrefix);
    }

    /** {@code <prefix>/AWSDynamoDB/<export id>}, the key every object of the export starts with. */
    static String keyPrefix(String prefix, String exportId) {
        String base = prefix == null || prefix.isEmpty() ? "" : prefix.endsWith("/") ? prefix : prefix + "/";
        return base + "AWSDynamoDB/" + exportId;
    }

    /** Where the object with that key lies in the bucket's directory; a key that would lead out of it is refused. */
    static Path objectPath(Path bucket, String key) throws IOException {
        Path path = bucket.resolve(key).normalize();
        if (key.startsWith("/") || !path.startsWith(bucket.normalize())) {
            throw new IOException("the object key " + key + " leads out of the bucket's directory");
        }
        return path;
    }

    void write(Map<String, AttributeValue> item) {
        try {
            if (current == null || current.items == ITEMS_PER_FILE) roll();
            current.write(item);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        itemCount++;
        billedBytes += ItemSize.of(item);
    }

    /**
     * Writes what an item's changes in the period came to, as DynamoDB's incremental exports do:
     * {@code {"Metadata":{"WriteTimestampMicros":{"N":..}},"Keys":{..},"NewImage":{..},"OldImage":{..}}},
     * with OldImage only for NEW_AND_OLD_IMAGES and only for an item that existed before.
     */
    void writeChange(PointInTimeItems.NetChange change, boolean oldImages, KeySchema keySchema) {
        Map<String, AttributeValue> image = change.after().or(change::before).orElseThrow();
        try {
            if (current == null || current.items == ITEMS_PER_FILE) roll();
            JsonGenerator g = current.generator;
            g.writeStartObject();
            g.writeObjectFieldStart("Metadata");
            g.writeObjectFieldStart("WriteTimestampMicros");
            g.writeStringField("N", Long.toString(change.lastMicros()));
            g.writeEndObject();
            g.writeEndObject();
            g.writeFieldName("Keys");
            AttributeValueJson.writeItem(g, ItemKeys.keyOfItem(image, keySchema));
            if (change.after().isPresent()) {
                g.writeFieldName("NewImage");
                AttributeValueJson.writeItem(g, change.after().get());
            }
            if (oldImages && change.before().isPresent()) {
                g.writeFieldName("OldImage");
                AttributeValueJson.writeItem(g, change.before().get());
            }
            g.writeEndObject();
            current.items++;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        itemCount++;
        billedBytes += ItemSize.of(image);
    }

    long itemCount() {
        return itemCount;
    }

    long billedBytes() {
        return billedBytes;
    }

    /**
     * Closes the last data file and writes the manifests; {@code description} is the export's,
     * COMPLETED, whose fields manifest-summary.json repeats (in DynamoDB's order, nulls kept).
     * Everything written is synced before this returns. Returns the summary's object key (the
     * description's ExportManifest).
     */
    String finish(ObjectNode description) throws IOException {
        if (current == null) roll(); // an empty table still gets a data file, as an empty partition does
        closeCurrent();
        StringBuilder files = new StringBuilder();
        for (ObjectNode file : dataFiles) files.append(Json.MAPPER.writeValueAsString(file)).append('\n');
        writeWithMd5("manifest-files", files.toString().getBytes(StandardCharsets.UTF_8));
        ObjectNode summary = Json.MAPPER.createObjectNode();
        boolean incremental = description.path("ExportType").asText().equals("INCREMENTAL_EXPORT");
        summary.put("version", incremental ? "2023-08-01" : "2020-06-30");
        summary.put("exportArn", description.path("ExportArn").asText());
        summary.put("startTime", isoTime(description.path("StartTime")));
        summary.put("endTime", isoTime(description.path("EndTime")));
        summary.put("tableArn", description.path("TableArn").asText());
        summary.put("tableId", description.path("TableId").asText());
        if (incremental) {
            summary.put("exportFromTime", isoTime(description.path("IncrementalExportSpecification").path("ExportFromTime")));
            summary.put("exportToTime", isoTime(description.path("IncrementalExportSpecification").path("ExportToTime")));
        } else {
            summary.put("exportTime", isoTime(description.path("ExportTime")));
        }
        summary.put("s3Bucket", description.path("S3Bucket").asText());
        summary.put("s3Prefix", description.path("S3Prefix").asText(null));
        summary.put("s3SseAlgorithm", description.path("S3SseAlgorithm").asText());
        summary.put("s3SseKmsKeyId", description.path("S3SseKmsKeyId").asText(null));
        summary.put("manifestFilesS3Key", keyPrefix + "/manifest-files.json");
        summary.put("billedSizeBytes", description.path("BilledSizeBytes").asLong());
        summary.put("itemCount", itemCount);
        summary.put("outputFormat", description.path("ExportFormat").asText());
        if (incremental) {
            summary.put("outputView", description.path("IncrementalExportSpecification").path("ExportViewType").asText());
            summary.put("exportType", "INCREMENTAL_EXPORT");
        }
        writeWithMd5("manifest-summary", Json.MAPPER.writeValueAsBytes(summary));
        try (Stream<Path> written = Files.walk(directory)) {
            for (Path path : written.toList()) {
                if (Files.isDirectory(path)) DurableFiles.syncDirectory(path);
                else DurableFiles.sync(path);
            }
        }
        for (Path data : dataPaths) DurableFiles.sync(data);
        DurableFiles.syncDirectory(objectPath(bucket, dataKeyPrefix));
        // And the entries of the directories made for the prefix, up to the bucket's.
        for (Path parent = directory.getParent(); parent != null && parent.startsWith(bucket.normalize()); parent = parent.getParent()) {
            DurableFiles.syncDirectory(parent);
        }
        return keyPrefix + "/manifest-summary.json";
    }

    /** ISO-8601 in UTC, always with milliseconds, as DynamoDB writes times in its manifests. */
    static String isoTime(JsonNode epochSeconds) {
        return ISO_MILLIS.format(Instant.ofEpochMilli(Json.epochMillis(epochSeconds)));
    }

    /** Closes a data file left open by an export that failed. */
    void close() {
        if (current == null) return;
        try {
            current.gzip.close();
        } catch (IOException e) {
            // The export failed already; its files are left as they are.
        }
        current = null;
    }

    /** Writes {@code <name>.json} and, beside it, {@code <name>.md5}: the base64 MD5 of its bytes. */
    private void writeWithMd5(String name, byte[] content) throws IOException {
        Files.write(directory.resolve(name + ".json"), content);
        Files.writeString(directory.resolve(name + ".md5"), Base64.getEncoder().encodeToString(md5().digest(content)));
    }

    private void roll() throws IOException {
        closeCurrent();
        StringBuilder name = new StringBuilder();
        for (int i = 0; i < 26; i++) name.append(NAME_CHARACTERS[ThreadLocalRandom.current().nextInt(NAME_CHARACTERS.length)]);
        current = new DataFile(dataKeyPrefix + name + (ion ? ".ion.gz" : ".json.gz"));
    }

    private void closeCurrent() throws IOException {
        if (current == null) return;
        current.close();
        byte[] digest = current.digest.getMessageDigest().digest();
        ObjectNode entry = Json.MAPPER.createObjectNode();
        entry.put("itemCount", current.items);
        entry.put("md5Checksum", Base64.getEncoder().encodeToString(digest));
        // What S3 reports for an object uploaded in one part of a multipart upload, as DynamoDB's are.
        entry.put("etag", HexFormat.of().formatHex(md5().digest(digest)) + "-1");
        entry.put("dataFileS3Key", current.key);
        dataFiles.add(entry);
        current = null;
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A gzipped data file being written, with the MD5 of its compressed bytes (the object's ETag). */
    private final class DataFile {
        final String key;
        final DigestOutputStream digest;
        final OutputStream gzip;
        /** Writes DYNAMODB_JSON; null for ION, whose lines {@link IonItems} makes. */
        final JsonGenerator generator;
        int items;

        DataFile(String key) throws IOException {
            this.key = key;
            Path path = objectPath(bucket, key);
            dataPaths.add(path);
            this.digest = new DigestOutputStream(Files.newOutputStream(path), md5());
            this.gzip = new GZIPOutputStream(digest, 64 * 1024);
            if (ion) {
                this.generator = null;
            } else {
                this.generator = Json.MAPPER.getFactory().createGenerator(gzip);
                generator.setRootValueSeparator(new SerializedString("\n"));
            }
        }

        void write(Map<String, AttributeValue> item) throws IOException {
            if (generator == null) {
                gzip.write((IonItems.line(item) + "\n").getBytes(StandardCharsets.UTF_8));
            } else {
                generator.writeStartObject();
                generator.writeFieldName("Item");
                AttributeValueJson.writeItem(generator, item);
                generator.writeEndObject();
            }
            items++;
        }

        void close() throws IOException {
            if (generator == null) {
                gzip.close();
                return;
            }
            if (items > 0) generator.writeRaw('\n');
            generator.close(); // and the streams under it
        }
    }
}
