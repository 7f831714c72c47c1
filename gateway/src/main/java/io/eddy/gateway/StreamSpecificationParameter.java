package io.eddy.gateway;

import io.eddy.model.DynamoException;
import io.eddy.model.StreamHistory;
import io.eddy.model.StreamViewType;
import io.eddy.model.TableMetadata;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The StreamSpecification member of CreateTable and UpdateTable. */
record StreamSpecificationParameter(Boolean enabled, String viewType) {

    /** DynamoDB lists the StreamViewType values in this order in its messages. */
    private static final List<String> VIEW_TYPES = List.of("NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES", "KEYS_ONLY");

    /** The request's StreamSpecification, null when absent. */
    static StreamSpecificationParameter read(RequestBody request) {
        RequestBody spec = request.struct("StreamSpecification");
        return spec == null ? null : new StreamSpecificationParameter(spec.bool("StreamEnabled"), spec.string("StreamViewType"));
    }

    void check(Constraints c) {
        c.oneOf("streamSpecification.streamViewType", viewType, VIEW_TYPES);
        c.notNull("streamSpecification.streamEnabled", enabled);
    }

    /** The streams of a new table (after {@link #check}), shards rolling over every {@code shardLifetime}. */
    StreamHistory forNewTable(Instant now, Duration shardLifetime) {
        if (enabled && viewType == null) {
            throw DynamoException.invalidParameter("Table is being created with a stream enabled, UpdateViewType is required");
        }
        if (!enabled && viewType != null) {
            throw DynamoException.invalidParameter("Table is being created with a stream disabled, UpdateViewType should not be specified");
        }
        return enabled ? StreamHistory.NONE.enable(StreamViewType.valueOf(viewType), now, shardLifetime) : StreamHistory.NONE;
    }

    /** Checks that need no table: a view type exactly when enabling. */
    void checkUpdate() {
        if (enabled && viewType == null) {
            throw DynamoException.invalidParameter("If stream is being enabled then UpdateViewType is required");
        }
        if (!enabled && viewType != null) {
            throw DynamoException.invalidParameter("If stream is being disabled, then UpdateViewType must not be specified");
        }
    }

    /** The table's streams after this update, a new stream's shards rolling over every {@code shardLifetime}; runs in the catalog. */
    StreamHistory apply(TableMetadata table, Instant now, Duration shardLifetime) {
        StreamHistory streams = table.options().streams();
        if (enabled) {
            if (streams.current().isPresent()) {
                throw DynamoException.validation("Table already has an enabled stream: TableName: " + table.name());
            }
            return streams.enable(StreamViewType.valueOf(viewType), now, shardLifetime);
        }
        if (streams.current().isEmpty()) {
            throw DynamoException.validation("Table has no stream to disable: TableName: " + table.name());
        }
        ReplicaUpdates.refuseForGlobalTable(table, "Disabling the stream");
        return streams.disable(now);
    }
}
