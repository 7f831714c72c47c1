package io.eddy.gateway;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * ReturnConsumedCapacity: whether a response reports the capacity units it consumed (TOTAL), also
 * broken down by table and index (INDEXES), or not at all (NONE, the default). Without secondary
 * indexes the breakdown is the table alone.
 */
enum CapacityReport {
    NONE, TOTAL, INDEXES;

    /** The values in the order DynamoDB lists them in its enum constraint message. */
    static final List<String> VALUES = List.of("INDEXES", "TOTAL", "NONE");

    /** The parameter's value, already checked against {@link #VALUES}; absent means NONE. */
    static CapacityReport of(String value) {
        return value == null ? NONE : valueOf(value);
    }

    /** {@code "ConsumedCapacity": {…}} for an operation on one table, unless NONE. */
    void writeField(JsonGenerator g, String tableName, double units) throws IOException {
        if (this == NONE) return;
        g.writeFieldName("ConsumedCapacity");
        writeEntry(g, tableName, units);
    }

    /** {@code "ConsumedCapacity": [{…}, …]}, one entry per table in the given order, unless NONE. */
    void writeListField(JsonGenerator g, Map<String, Double> unitsByTable) throws IOException {
        if (this == NONE) return;
        g.writeFieldName("ConsumedCapacity");
        g.writeStartArray();
        for (Map.Entry<String, Double> table : unitsByTable.entrySet()) writeEntry(g, table.getKey(), table.getValue());
        g.writeEndArray();
    }

    private void writeEntry(JsonGenerator g, String tableName, double units) throws IOException {
        g.writeStartObject();
        g.writeStringField("TableName", tableName);
        g.writeNumberField("CapacityUnits", units);
        if (this == INDEXES) {
            g.writeObjectFieldStart("Table");
            g.writeNumberField("CapacityUnits", units);
            g.writeEndObject();
        }
        g.writeEndObject();
    }
}
