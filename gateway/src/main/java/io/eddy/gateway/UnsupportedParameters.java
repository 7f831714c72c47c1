package io.eddy.gateway;

import io.eddy.model.DynamoException;
import io.eddy.model.TableMetadata;
import java.util.function.Supplier;

/**
 * CreateTable and UpdateTable members asking for what Eddy does not do: refused with a message
 * saying so, rather than dropped, which would leave a client believing it had what it asked
 * for. (MultiRegionConsistency: {@link MultiRegionConsistencyParameter}; KMS keys:
 * {@link SseSpecificationParameter}.)
 */
final class UnsupportedParameters {

    private UnsupportedParameters() {}

    static void refuseInCreateTable(RequestBody request) {
        if (request.node("GlobalTableSourceArn") != null) {
            throw DynamoException.validation("Eddy does not make replicas of tables in other accounts: GlobalTableSourceArn is not supported");
        }
        if (request.node("GlobalTableSettingsReplicationMode") != null) throw settingsReplicationMode();
    }

    /** {@code table}: the table the request names, looked for only when a check needs it. */
    static void refuseInUpdateTable(RequestBody request, Supplier<TableMetadata> table) {
        String mode = request.string("GlobalTableSettingsReplicationMode");
        if (mode == null) return;
        if (mode.equals("ENABLED_WITH_OVERRIDES") && table.get().options().replicas().isEmpty()) {
            // DynamoDB's refusal, in its words.
            throw DynamoException.validation("Value 'ENABLED_WITH_OVERRIDES' at 'GlobalTableSettingsReplicationMode' failed to satisfy "
                    + "constraint: Only ENABLED and DISABLED settings replication are supported for a Regional Table.");
        }
        throw settingsReplicationMode();
    }

    private static DynamoException settingsReplicationMode() {
        return DynamoException.validation("Eddy's global tables replicate their settings as ENABLED_WITH_OVERRIDES: "
                + "GlobalTableSettingsReplicationMode cannot be set");
    }
}
