package io.eddy.gateway;

import com.fasterxml.jackson.core.JsonGenerator;
import io.eddy.model.IndexProjection;
import io.eddy.model.KeySchema;
import io.eddy.model.SecondaryIndex;
import io.eddy.model.TableMetadata;
import io.eddy.model.StreamHistory;
import io.eddy.model.TableMetadata.AttributeDefinition;
import io.eddy.model.TableOptions;
import io.eddy.model.VectorIndex;
import io.eddy.model.TableStream;
import io.eddy.persistence.PartitionMeta;
import io.eddy.streams.StreamNames;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Renders DynamoDB's TableDescription structure (DescribeTable, CreateTable, UpdateTable, DeleteTable). */
final class TableDescriptions {

    private TableDescriptions() {}

    static byte[] wrapped(String field, TableMetadata table, NodeContext node) {
        return Json.object(g -> {
            g.writeFieldName(field);
            write(g, table, node);
        });
    }

    /** The table's AttributeDefinitions, as DescribeTable and CreateTable have them. */
    static void writeAttributeDefinitions(JsonGenerator g, TableMetadata table) throws IOException {
        g.writeArrayFieldStart("AttributeDefinitions");
        for (AttributeDefinition d : table.attributeDefinitions()) {
            g.writeStartObject();
            g.writeStringField("AttributeName", d.name());
            g.writeStringField("AttributeType", d.type().name());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /**
     * DeleteTable's TableDescription: DescribeTable's without what defines the table (its creation
     * time, key schema, attribute definitions and indexes), as DynamoDB answers it (ScyllaDB's tests,
     * run against it).
     */
    static byte[] deleted(TableMetadata table, NodeContext node) {
        return Json.object(g -> {
            g.writeFieldName("TableDescription");
            write(g, table, node, false);
        });
    }

    static void write(JsonGenerator g, TableMetadata table, NodeContext node) throws IOException {
        write(g, table, node, true);
    }

    private static void write(JsonGenerator g, TableMetadata table, NodeContext node, boolean definition) throws IOException {
        g.writeStartObject();
        if (definition) writeAttributeDefinitions(g, table);
        g.writeStringField("TableName", table.name());
        if (definition) {
            g.writeArrayFieldStart("KeySchema");
            writeKeyElement(g, table.keySchema().partitionKey(), "HASH");
            if (table.keySchema().sortKey().isPresent()) writeKeyElement(g, table.keySchema().sortKey().get(), "RANGE");
            g.writeEndArray();
        }
        g.writeStringField("TableStatus", shownStatus(table).name());
        if (definition) {
            g.writeFieldName("CreationDateTime");
            writeTime(g, table.creationDateTime());
        }

        TableMetadata.Throughput throughput = table.throughput();
        g.writeObjectFieldStart("ProvisionedThroughput");
        writeTimeField(g, "LastIncreaseDateTime", throughput.lastIncrease());
        writeTimeField(g, "LastDecreaseDateTime", throughput.lastDecrease());
        g.writeNumberField("NumberOfDecreasesToday", throughput.decreasesOn(Instant.now()));
        g.writeNumberField("ReadCapacityUnits", throughput.readCapacityUnits());
        g.writeNumberField("WriteCapacityUnits", throughput.writeCapacityUnits());
        g.writeEndObject();

        PartitionMeta stats = node.shards().tableStats(table);
        g.writeNumberField("TableSizeBytes", stats.sizeBytes());
        g.writeNumberField("ItemCount", stats.itemCount());
        g.writeStringField("TableArn", node.tableArn(table));
        g.writeStringField("TableId", table.id().toString());
        TableOptions.RestoreSummary restore = table.options().restore();
        if (restore != null) {
            g.writeObjectFieldStart("RestoreSummary");
            if (restore.sourceBackupArn() != null) g.writeStringField("SourceBackupArn", restore.sourceBackupArn());
            g.writeStringField("SourceTableArn", restore.sourceTableArn());
            g.writeFieldName("RestoreDateTime");
            writeTime(g, Instant.ofEpochMilli(restore.restoreDateTimeMillis()));
            g.writeBooleanField("RestoreInProgress", table.status() == TableMetadata.TableStatus.CREATING);
            g.writeEndObject();
        }
        writeStreams(g, table, node);

        // DynamoDB leaves the summary out for a table that has never been on demand (captured, 2026). It
        // sends TableThroughputModeSummary, the summary under the newer member's name, exactly when it
        // sends this one, with the same mode and time (measured, 2026).
        if (table.billingMode() == TableMetadata.BillingMode.PAY_PER_REQUEST || table.lastUpdateToPayPerRequest().isPresent()) {
            writeBillingSummary(g, "BillingModeSummary", "BillingMode", table);
            writeBillingSummary(g, "TableThroughputModeSummary", "TableThroughputMode", table);
        }
        if (definition) writeIndexes(g, table, node);
        writeOptions(g, table.options());
        WarmThroughputs.write(g, WarmThroughputs.ofTable(table), switch (table.status()) {
            case CREATING, DELETING -> table.status().name();
            case UPDATING, ACTIVE -> "ACTIVE";
        });
        g.writeEndObject();
    }

    /**
     * A table whose vector index is being deleted is UPDATING until the index is gone: ScyllaDB's
     * tests, run against DynamoDB, wait for ACTIVE after deleting one and then find it gone.
     */
    private static TableMetadata.TableStatus shownStatus(TableMetadata table) {
        boolean vectorIndexLeaving = table.options().vectorIndexes().stream().anyMatch(index -> index.status() == SecondaryIndex.Status.DELETING);
        return table.status() == TableMetadata.TableStatus.ACTIVE && vectorIndexLeaving ? TableMetadata.TableStatus.UPDATING : table.status();
    }

    /** The table's billing mode and when it last went on demand, under {@code field} with the mode as {@code modeField}. */
    private static void writeBillingSummary(JsonGenerator g, String field, String modeField, TableMetadata table) throws IOException {
        g.writeObjectFieldStart(field);
        g.writeStringField(modeField, table.billingMode().name());
        writeTimeField(g, "LastUpdateToPayPerRequestDateTime", table.lastUpdateToPayPerRequest());
        g.writeEndObject();
    }

    /** LocalSecondaryIndexes, GlobalSecondaryIndexes and VectorIndexes, when the table has any. */
    private static void writeIndexes(JsonGenerator g, TableMetadata table, NodeContext node) throws IOException {
        for (boolean local : new boolean[] {true, false}) {
            List<SecondaryIndex> indexes = local ? table.options().localIndexes() : table.options().globalIndexes();
            if (indexes.isEmpty()) continue;
            g.writeArrayFieldStart(local ? "LocalSecondaryIndexes" : "GlobalSecondaryIndexes");
            for (SecondaryIndex index : indexes) writeIndex(g, table, index, node);
            g.writeEndArray();
        }
        if (table.options().vectorIndexes().isEmpty()) return;
        g.writeArrayFieldStart("VectorIndexes");
        for (VectorIndex index : table.options().vectorIndexes()) {
            g.writeStartObject();
            g.writeStringField("IndexName", index.name());
            g.writeObjectFieldStart("VectorAttribute");
            g.writeStringField("AttributeName", index.vectorAttribute());
            g.writeEndObject();
            if (!index.searchSchema().isEmpty()) {
                g.writeArrayFieldStart("SearchSchema");
                for (VectorIndex.SearchAttribute attribute : index.searchSchema()) {
                    g.writeStartObject();
                    g.writeStringField("AttributeName", attribute.name());
                    g.writeStringField("SearchSchemaElementType", attribute.type().name());
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            writeProjection(g, index.projection());
            g.writeNumberField("Dimensions", index.dimensions());
            g.writeStringField("DistanceFunction", index.distanceFunction().name());
            g.writeStringField("IndexStatus", index.status().name());
            if (backfilling(table, index.status())) g.writeBooleanField("Backfilling", true);
            writeStatsAndArn(g, table, index.id(), index.name(), node);
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /**
     * Whether DynamoDB would report the index Backfilling: one UpdateTable added to a live table,
     * while it is built from the table's items (its status stays CREATING exactly that long). An
     * index built with its table (a restore's, an import's, a replica's, all CREATING) has none.
     */
    private static boolean backfilling(TableMetadata table, SecondaryIndex.Status indexStatus) {
        return indexStatus == SecondaryIndex.Status.CREATING && table.status() != TableMetadata.TableStatus.CREATING;
    }

    private static void writeProjection(JsonGenerator g, IndexProjection projection) throws IOException {
        g.writeObjectFieldStart("Projection");
        g.writeStringField("ProjectionType", projection.type().name());
        if (!projection.nonKeyAttributes().isEmpty()) {
            g.writeArrayFieldStart("NonKeyAttributes");
            for (String attribute : projection.nonKeyAttributes()) g.writeString(attribute);
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    private static void writeIndex(JsonGenerator g, TableMetadata table, SecondaryIndex index, NodeContext node) throws IOException {
        g.writeStartObject();
        g.writeStringField("IndexName", index.name());
        g.writeArrayFieldStart("KeySchema");
        for (KeySchema.KeyAttribute key : index.partitionKeys()) writeKeyElement(g, key, "HASH");
        for (KeySchema.KeyAttribute key : index.sortKeys()) writeKeyElement(g, key, "RANGE");
        g.writeEndArray();
        writeProjection(g, index.projection());
        if (!index.local()) {
            g.writeStringField("IndexStatus", index.status().name());
            if (backfilling(table, index.status())) g.writeBooleanField("Backfilling", true);
            SecondaryIndex.IndexThroughput throughput = index.throughput();
            g.writeObjectFieldStart("ProvisionedThroughput");
            g.writeNumberField("NumberOfDecreasesToday", 0);
            g.writeNumberField("ReadCapacityUnits", throughput == null ? 0 : throughput.readCapacityUnits());
            g.writeNumberField("WriteCapacityUnits", throughput == null ? 0 : throughput.writeCapacityUnits());
            g.writeEndObject();
            writeOnDemandThroughput(g, index.onDemandThroughput());
            WarmThroughputs.write(g, WarmThroughputs.ofIndex(table.billingMode(), index), index.status().name());
        }
        writeStatsAndArn(g, table, index.id(), index.name(), node);
        g.writeEndObject();
    }

    /** An index's IndexSizeBytes and ItemCount (its shares' counters, summed) and its IndexArn. */
    private static void writeStatsAndArn(JsonGenerator g, TableMetadata table, UUID indexId, String indexName, NodeContext node)
            throws IOException {
        PartitionMeta stats = node.shards().indexStats(table, indexId);
        g.writeNumberField("IndexSizeBytes", stats.sizeBytes());
        g.writeNumberField("ItemCount", stats.itemCount());
        g.writeStringField("IndexArn", TableArns.indexArn(node.region(), node.accountId(), table.name(), indexName));
    }

    /** Deletion protection (always reported), the table class once chosen, on-demand maxima once set, replicas if any. */
    private static void writeOptions(JsonGenerator g, TableOptions options) throws IOException {
        g.writeBooleanField("DeletionProtectionEnabled", options.deletionProtectionEnabled());
        if (options.tableClass().chosen()) {
            g.writeObjectFieldStart("TableClassSummary");
            g.writeStringField("TableClass", options.tableClass().effective().name());
            Long lastUpdate = options.tableClass().lastUpdateMillis();
            writeTimeField(g, "LastUpdateDateTime", Optional.ofNullable(lastUpdate).map(Instant::ofEpochMilli));
            g.writeEndObject();
        }
        writeOnDemandThroughput(g, options.onDemandThroughput());
        if (!options.replicas().isEmpty()) {
            g.writeStringField("GlobalTableVersion", TableOptions.GLOBAL_TABLE_VERSION);
            g.writeArrayFieldStart("Replicas");
            for (TableOptions.Replica replica : options.replicas()) {
                g.writeStartObject();
                g.writeStringField("RegionName", replica.regionName());
                g.writeStringField("ReplicaStatus", replica.status().name());
                g.writeStringField("GlobalTableSettingsReplicationMode", TableOptions.SETTINGS_REPLICATION_MODE);
                if (replica.settings() != null) writeReplicaSettings(g, replica.settings());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeStringField("GlobalTableSettingsReplicationMode", TableOptions.SETTINGS_REPLICATION_MODE);
        }
    }

    /** A replica's own settings, as its region reported them: what it has chosen, as DynamoDB lists a replica's overrides. */
    private static void writeReplicaSettings(JsonGenerator g, TableOptions.ReplicaSettings settings) throws IOException {
        if (settings.tableClass().chosen()) {
            g.writeObjectFieldStart("ReplicaTableClassSummary");
            g.writeStringField("TableClass", settings.tableClass().effective().name());
            writeTimeField(g, "LastUpdateDateTime", Optional.ofNullable(settings.tableClass().lastUpdateMillis()).map(Instant::ofEpochMilli));
            g.writeEndObject();
        }
        if (settings.maxReadRequestUnits() != null) {
            g.writeObjectFieldStart("OnDemandThroughputOverride");
            g.writeNumberField("MaxReadRequestUnits", settings.maxReadRequestUnits());
            g.writeEndObject();
        }
        if (!settings.indexMaxReadRequestUnits().isEmpty()) {
            g.writeArrayFieldStart("GlobalSecondaryIndexes");
            for (var index : settings.indexMaxReadRequestUnits().entrySet()) {
                g.writeStartObject();
                g.writeStringField("IndexName", index.getKey());
                g.writeObjectFieldStart("OnDemandThroughputOverride");
                g.writeNumberField("MaxReadRequestUnits", index.getValue());
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndArray();
        }
    }

    private static void writeOnDemandThroughput(JsonGenerator g, TableOptions.OnDemandThroughput maxima) throws IOException {
        if (!maxima.present()) return;
        g.writeObjectFieldStart("OnDemandThroughput");
        if (maxima.maxReadRequestUnits() != null) g.writeNumberField("MaxReadRequestUnits", maxima.maxReadRequestUnits());
        if (maxima.maxWriteRequestUnits() != null) g.writeNumberField("MaxWriteRequestUnits", maxima.maxWriteRequestUnits());
        g.writeEndObject();
    }

    /** StreamSpecification while a stream is enabled; the latest stream's ARN and label, enabled or not. */
    private static void writeStreams(JsonGenerator g, TableMetadata table, NodeContext node) throws IOException {
        StreamHistory streams = table.options().streams();
        if (streams.current().isPresent()) {
            g.writeObjectFieldStart("StreamSpecification");
            g.writeBooleanField("StreamEnabled", true);
            g.writeStringField("StreamViewType", streams.current().get().viewType().name());
            g.writeEndObject();
        }
        if (streams.latest().isPresent()) {
            TableStream latest = streams.latest().get();
            g.writeStringField("LatestStreamLabel", latest.label());
            g.writeStringField("LatestStreamArn", new StreamNames(node.region(), node.accountId()).streamArn(table, latest));
        }
    }

    private static void writeKeyElement(JsonGenerator g, KeySchema.KeyAttribute key, String keyType) throws IOException {
        g.writeStartObject();
        g.writeStringField("AttributeName", key.name());
        g.writeStringField("KeyType", keyType);
        g.writeEndObject();
    }

    private static void writeTimeField(JsonGenerator g, String field, Optional<Instant> time) throws IOException {
        if (time.isPresent()) {
            g.writeFieldName(field);
            writeTime(g, time.get());
        }
    }

    /** DynamoDB sends timestamps as epoch seconds with a fraction. */
    private static void writeTime(JsonGenerator g, Instant time) throws IOException {
        g.writeNumber(Json.epochSeconds(time.toEpochMilli()));
    }
}
