package io.eddy.model;

/**
 * The table settings beyond keys and billing (stream, TTL, deletion protection, table class,
 * indexes, tags, ...). The catalog journals them as JSON, so a setting is added by adding a
 * component here: an event written before the component existed reads it as null, and the
 * compact constructor turns that null into the setting's default.
 *
 * @param streams    the table's DynamoDB streams, current and recently disabled
 * @param timeToLive the TTL attribute, when TTL is enabled
 */
public record TableOptions(StreamHistory streams, TimeToLive timeToLive) {

    public static final TableOptions DEFAULTS = new TableOptions(null, null);

    public TableOptions {
        if (streams == null) streams = StreamHistory.NONE;
        if (timeToLive == null) timeToLive = TimeToLive.DISABLED;
    }

    public TableOptions withStreams(StreamHistory newStreams) {
        return new TableOptions(newStreams, timeToLive);
    }

    public TableOptions withTimeToLive(TimeToLive newTimeToLive) {
        return new TableOptions(streams, newTimeToLive);
    }
}
