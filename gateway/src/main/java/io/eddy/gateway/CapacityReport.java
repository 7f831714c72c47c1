package io.eddy.gateway;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * ReturnConsumedCapacity: whether a response reports the capacity units it consumed (TOTAL), also
 * broken down by table and index (INDEXES), or not at all (NONE, the default).
 */
enum CapacityReport {
    NONE, TOTAL, INDEXES;

    /** The values in the order DynamoDB lists them in its enum constraint message. */
    static final List<String> VALUES = List.of("INDEXES", "TOTAL", "NONE");

    /** The parameter's value, already checked against {@link #VALUES}; absent means NONE. */
    static CapacityReport of(String value) {
        return value == null ? NONE : valueOf(value);
    }

    /**
     * {@code "ConsumedCapacity": {…}} for an operation on one table, unless NONE. Computed only when
     * reported: sizing the items passes over every string of them, for most requests in vain.
     */
    void writeField(JsonGenerator g, Supplier<ConsumedCapacity> consumed) throws IOException {
        if (this == NONE) return;
        g.writeFieldName("ConsumedCapacity");
        writeEntry(g, consumed.get());
    }

    /** {@code "ConsumedCapacity": [{…}, …]}, one entry per table in the given order, unless NONE. */
    void writeListField(JsonGenerator g, Map<String, Double> unitsByTable) throws IOException {
        writeListField(g, unitsByTable.entrySet().stream().map(e -> ConsumedCapacity.ofTable(e.getKey(), e.getValue())).toList());
    }

    /** {@code "ConsumedCapacity": [{…}, …]}, one entry per table in the given order, unless NONE. */
    void writeListField(JsonGenerator g, Collection<ConsumedCapacity> tables) throws IOException {
        if (this == NONE) return;
        g.writeFieldName("ConsumedCapacity");
        g.writeStartArray();
        for (ConsumedCapacity table : tables) writeEntry(g, table);
        g.writeEndArray();
    }

    private void writeEntry(JsonGenerator g, ConsumedCapacity consumed) throws IOException {
        g.writeStartObject();
        g.writeStringField("TableName", consumed.tableName());
        g.writeNumberField("CapacityUnits", consumed.total());
        if (this == INDEXES) {
            g.writeObjectFieldStart("Table");
            g.writeNumberField("CapacityUnits", consumed.table());
            g.writeEndObject();
            writeIndexes(g, "LocalSecondaryIndexes", consumed.localIndexes());
            writeIndexes(g, "GlobalSecondaryIndexes", consumed.globalIndexes());
            Map<String, Double> vectorBytes = consumed.reportedVectorBytes();
            if (!vectorBytes.isEmpty()) {
                g.writeObjectFieldStart("VectorIndexes");
                for (Map.Entry<String, Double> index : vectorBytes.entrySet()) {
                    g.writeObjectFieldStart(index.getKey());
                    g.writeNumberField("VectorWriteRequestBytes", index.getValue());
                    g.writeEndObject();
                }
                g.writeEndObject();
            }
        }
        g.writeEndObject();
    }

    private static void writeIndexes(JsonGenerator g, String field, Map<String, Double> units) throws IOException {
        if (units.isEmpty()) return;
        g.writeObjectFieldStart(field);
        for (Map.Entry<String, Double> index : units.entrySet()) {
            g.writeObjectFieldStart(index.getKey());
            g.writeNumberField("CapacityUnits", index.getValue());
            g.writeEndObject();
        }
        g.writeEndObject();
    }
}
