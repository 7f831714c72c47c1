package io.eddy.shards;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.eddy.model.AttributeType;
import io.eddy.model.KeySchema;
import io.eddy.model.TableMetadata.AttributeDefinition;
import io.eddy.model.TableMetadata.Throughput;
import io.eddy.model.TableMetadata;
import io.eddy.model.TableOptions;
import io.eddy.model.TableStream;
import io.eddy.shards.CatalogEvent.TableCreated;
import io.eddy.shards.CatalogEvent.TableDeleted;
import io.eddy.shards.CatalogEvent.TableUpdated;
import io.eddy.shards.CatalogEvent.TablesCompacted;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Journal format of {@link CatalogEvent}s. A table is its v1 fields in a fixed binary order, then
 * (since v2) its {@link TableOptions} as length-prefixed JSON, so new table settings need no new
 * format version. v1 events are still read, with default options.
 */
public final class CatalogEventSerializer extends BinaryEventSerializer {

    private static final String CREATED_V1 = "TableCreated.v1";
    private static final String UPDATED_V1 = "TableUpdated.v1";
    private static final String CREATED = "TableCreated.v2";
    private static final String UPDATED = "TableUpdated.v2";
    private static final String DELETED_V1 = "TableDeleted.v1";
    private static final String COMPACTED_V1 = "TablesCompacted.v1";
    private static final String DELETED = "TableDeleted.v2";
    private static final String COMPACTED = "TablesCompacted.v2";

    private static final ObjectMapper OPTIONS_JSON = JsonMapper.builder()
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    @Override
    public int identifier() {
        return 7_302;
    }

    @Override
    public String manifest(Object o) {
        if (o instanceof TableCreated) return CREATED;
        if (o instanceof TableUpdated) return UPDATED;
        if (o instanceof TableDeleted) return DELETED;
        if (o instanceof TablesCompacted) return COMPACTED;
        throw new IllegalArgumentException("not a catalog event: " + o.getClass());
    }

    @Override
    protected void write(Object o, DataOutputStream out) throws IOException {
        if (o instanceof TableCreated e) {
            writeTable(out, e.table());
            writeOptions(out, e.table().options());
        } else if (o instanceof TableUpdated e) {
            writeTable(out, e.table());
            writeOptions(out, e.table().options());
        } else if (o instanceof TableDeleted e) {
            out.writeUTF(e.name());
            writeUuid(out, e.id());
            out.writeBoolean(e.deletedAt() != null);
            if (e.deletedAt() != null) out.writeLong(TableStream.micros(e.deletedAt()));
        } else if (o instanceof TablesCompacted e) {
            writeTables(out, e.tables());
            writeTables(out, e.retired());
        } else {
            throw new IllegalArgumentException("not a catalog event: " + o.getClass());
        }
    }

    @Override
    protected Object read(String manifest, DataInputStream in) throws IOException {
        return switch (manifest) {
            case CREATED -> new TableCreated(readTable(in).withOptions(readOptions(in)));
            case UPDATED -> new TableUpdated(readTable(in).withOptions(readOptions(in)));
            case CREATED_V1 -> new TableCreated(readTable(in));
            case UPDATED_V1 -> new TableUpdated(readTable(in));
            case DELETED -> new TableDeleted(in.readUTF(), readUuid(in),
                    in.readBoolean() ? Instant.EPOCH.plusNanos(in.readLong() * 1000) : null);
            case DELETED_V1 -> new TableDeleted(in.readUTF(), readUuid(in), null);
            case COMPACTED -> new TablesCompacted(readTables(in), readTables(in));
            case COMPACTED_V1 -> new TablesCompacted(readTables(in), List.of());
            default -> throw new NotSerializableException("unknown catalog event: " + manifest);
        };
    }

    /** One table as the catalog journals it, for a record of a table kept outside the catalog (a deleted table's pending backup). */
    public static byte[] tableBytes(TableMetadata table) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writeTables(out, List.of(table));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The table {@link #tableBytes} wrote. */
    public static TableMetadata table(byte[] bytes) throws IOException {
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes))) {
            List<TableMetadata> tables = readTables(in);
            if (tables.size() != 1) throw new IOException("not one table's record");
            return tables.get(0);
        }
    }

    private static void writeTables(DataOutputStream out, List<TableMetadata> tables) throws IOException {
        out.writeInt(tables.size());
        for (TableMetadata table : tables) {
            writeTable(out, table);
            writeOptions(out, table.options());
        }
    }

    private static List<TableMetadata> readTables(DataInputStream in) throws IOException {
        int count = in.readInt();
        List<TableMetadata> tables = new ArrayList<>(count);
        for (int i = 0; i < count; i++) tables.add(readTable(in).withOptions(readOptions(in)));
        return tables;
    }

    private static void writeTable(DataOutputStream out, TableMetadata t) throws IOException {
        out.writeUTF(t.name());
        writeUuid(out, t.id());
        writeKeyAttribute(out, t.keySchema().partitionKey());
        out.writeBoolean(t.keySchema().sortKey().isPresent());
        if (t.keySchema().sortKey().isPresent()) writeKeyAttribute(out, t.keySchema().sortKey().get());
        out.writeInt(t.attributeDefinitions().size());
        for (AttributeDefinition d : t.attributeDefinitions()) {
            out.writeUTF(d.name());
            out.writeUTF(d.type().name());
        }
        out.writeUTF(t.billingMode().name());
        Throughput th = t.throughput();
        out.writeLong(th.readCapacityUnits());
        out.writeLong(th.writeCapacityUnits());
        writeInstant(out, th.lastIncrease());
        writeInstant(out, th.lastDecrease());
        out.writeInt(th.decreasesToday());
        out.writeLong(t.creationDateTime().toEpochMilli());
        writeInstant(out, t.lastUpdateToPayPerRequest());
        out.writeUTF(t.status().name());
        out.writeInt(t.partitionCount());
    }

    private static TableMetadata readTable(DataInputStream in) throws IOException {
        String name = in.readUTF();
        UUID id = readUuid(in);
        KeySchema.KeyAttribute pk = readKeyAttribute(in);
        Optional<KeySchema.KeyAttribute> sk = in.readBoolean() ? Optional.of(readKeyAttribute(in)) : Optional.empty();
        int definitions = in.readInt();
        List<AttributeDefinition> attributeDefinitions = new ArrayList<>(definitions);
        for (int i = 0; i < definitions; i++) {
            attributeDefinitions.add(new AttributeDefinition(in.readUTF(), AttributeType.valueOf(in.readUTF())));
        }
        TableMetadata.BillingMode billingMode = TableMetadata.BillingMode.valueOf(in.readUTF());
        Throughput throughput = new Throughput(in.readLong(), in.readLong(), readInstant(in), readInstant(in), in.readInt());
        Instant created = Instant.ofEpochMilli(in.readLong());
        Optional<Instant> payPerRequestSince = readInstant(in);
        TableMetadata.TableStatus status = TableMetadata.TableStatus.valueOf(in.readUTF());
        int partitions = in.readInt();
        return new TableMetadata(name, id, new KeySchema(pk, sk), attributeDefinitions, billingMode, throughput,
                created, payPerRequestSince, status, partitions, TableOptions.DEFAULTS);
    }

    private static void writeOptions(DataOutputStream out, TableOptions options) throws IOException {
        byte[] json = OPTIONS_JSON.writeValueAsBytes(options);
        out.writeInt(json.length);
        out.write(json);
    }

    private static TableOptions readOptions(DataInputStream in) throws IOException {
        byte[] json = new byte[in.readInt()];
        in.readFully(json);
        return OPTIONS_JSON.readValue(json, TableOptions.class);
    }

    /** The table as a v1 event held it: for tests that old journals still read. */
    byte[] tableFieldsV1(TableMetadata table) {
        return bytes(out -> writeTable(out, table));
    }

    private static void writeKeyAttribute(DataOutputStream out, KeySchema.KeyAttribute k) throws IOException {
        out.writeUTF(k.name());
        out.writeUTF(k.type().name());
    }

    private static KeySchema.KeyAttribute readKeyAttribute(DataInputStream in) throws IOException {
        return new KeySchema.KeyAttribute(in.readUTF(), AttributeType.valueOf(in.readUTF()));
    }

    private static void writeUuid(DataOutputStream out, UUID id) throws IOException {
        out.writeLong(id.getMostSignificantBits());
        out.writeLong(id.getLeastSignificantBits());
    }

    private static UUID readUuid(DataInputStream in) throws IOException {
        return new UUID(in.readLong(), in.readLong());
    }

    private static void writeInstant(DataOutputStream out, Optional<Instant> instant) throws IOException {
        out.writeBoolean(instant.isPresent());
        if (instant.isPresent()) out.writeLong(instant.get().toEpochMilli());
    }

    private static Optional<Instant> readInstant(DataInputStream in) throws IOException {
        return in.readBoolean() ? Optional.of(Instant.ofEpochMilli(in.readLong())) : Optional.empty();
    }
}
