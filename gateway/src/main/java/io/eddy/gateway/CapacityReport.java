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
     * {@code "ConsumedCapacity": {…}} for an operation on one table, unless NONE, named as the request
     * named the table: DynamoDB echoes an ARN sent as TableName (a 2026 test suite run against it).
     * Computed only when reported: sizing the items passes over every string of them, for most
     * requests in vain.
     */
    void writeField(JsonGenerator g, String requestedName, Supplier<ConsumedCapacity> consumed) throws IOException {
        if (this == NONE) return;
        g.writeFieldName("ConsumedCapacity");
        writeEntry(g, consumed.get().named(requestedName), Split.NONE);
    }

    /** {@code "ConsumedCapacity": [{…}, …]}, one entry per table in the given order, unless NONE. */
    void writeListField(JsonGenerator g, Map<String, Double> unitsByTable) throws IOException {
        writeListField(g, unitsByTable.entrySet().stream().map(table -> ConsumedCapacity.ofTable(table.getKey(), table.getValue())).toList());
    }

    /**
     * Which units a transactional operation names besides CapacityUnits: DynamoDB splits the units
     * of TransactGetItems, TransactWriteItems and ExecuteTransaction into ReadCapacityUnits or
     * WriteCapacityUnits (a replay under a ClientRequestToken reads), and no other operation's
     * (the dynamodb-conformance suite, run against the service).
     */
    enum Split { NONE, READ, WRITE }

    /** {@code "ConsumedCapacity": [{…}, …]}, one entry per table in the given order, unless NONE. */
    void writeListField(JsonGenerator g, Collection<ConsumedCapacity> tables) throws IOException {
        writeListField(g, tables, Split.NONE);
    }

    /** As above, each entry (and, with INDEXES, its Table and indexes) also naming its units as {@code split}'s. */
    void writeListField(JsonGenerator g, Collection<ConsumedCapacity> tables, Split split) throws IOException {
        if (this == NONE) return;
        g.writeFieldName("ConsumedCapacity");
        g.writeStartArray();
        for (ConsumedCapacity table : tables) writeEntry(g, table, split);
        g.writeEndArray();
    }

    private void writeEntry(JsonGenerator g, ConsumedCapacity consumed, Split split) throws IOException {
        g.writeStartObject();
        g.writeStringField("TableName", consumed.tableName());
        g.writeNumberField("CapacityUnits", consumed.total());
        writeSplit(g, split, consumed.total());
        if (this == INDEXES) {
            g.writeObjectFieldStart("Table");
            g.writeNumberField("CapacityUnits", consumed.table());
            writeSplit(g, split, consumed.table());
            g.writeEndObject();
            writeIndexes(g, "LocalSecondaryIndexes", consumed.localIndexes(), split);
            writeIndexes(g, "GlobalSecondaryIndexes", consumed.globalIndexes(), split);
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

    private static void writeSplit(JsonGenerator g, Split split, double units) throws IOException {
        switch (split) {
            case READ -> g.writeNumberField("ReadCapacityUnits", units);
            case WRITE -> g.writeNumberField("WriteCapacityUnits", units);
            case NONE -> { }
        }
    }

    private static void writeIndexes(JsonGenerator g, String field, Map<String, Double> units, Split split) throws IOException {
        if (units.isEmpty()) return;
        g.writeObjectFieldStart(field);
        for (Map.Entry<String, Double> index : units.entrySet()) {
            g.writeObjectFieldStart(index.getKey());
            g.writeNumberField("CapacityUnits", index.getValue());
            writeSplit(g, split, index.getValue());
            g.writeEndObject();
        }
        g.writeEndObject();
    }
}
