package io.eddy.gateway;

import io.eddy.model.DynamoException;
import io.eddy.model.TableMetadata;
import java.util.List;

/**
 * UpdateTable's MultiRegionConsistency and GlobalTableWitnessUpdates. Eddy's global tables are
 * eventually consistent (EVENTUAL, DynamoDB's default), so a request for STRONG consistency, or
 * for a witness (which only STRONG tables have), is refused rather than quietly made EVENTUAL;
 * DynamoDB's own checks come first, with its messages.
 */
record MultiRegionConsistencyParameter(String consistency, List<RequestBody> witnesses) {

    static final String STRONG = "STRONG";

    /** The request's two members, checked into {@code c}; null when it has neither. */
    static MultiRegionConsistencyParameter read(RequestBody request, Constraints c) {
        String consistency = request.string("MultiRegionConsistency");
        List<RequestBody> witnesses = request.structList("GlobalTableWitnessUpdates", "GlobalTableWitnessGroupUpdate");
        c.oneOf("multiRegionConsistency", consistency, List.of("EVENTUAL", STRONG));
        c.lengthAtMost("globalTableWitnessUpdates", witnesses, 1);
        if (consistency == null && witnesses == null) return null;
        return new MultiRegionConsistencyParameter(consistency, witnesses == null ? List.of() : witnesses);
    }

    boolean strong() {
        return STRONG.equals(consistency);
    }

    /**
     * Checks the members against the request's replica actions ({@code replicaUpdates} as sent,
     * null when none) and its {@code otherChanges} on {@code table}: DynamoDB's refusals, then
     * Eddy's of STRONG itself.
     */
    void check(List<RequestBody> replicaUpdates, boolean otherChanges, java.util.function.Supplier<TableMetadata> table) {
        if (otherChanges) {
            throw DynamoException.invalidParameter("Requests that modify replicas or witnesses must not also modify other fields");
        }
        if (replicaUpdates == null) return; // nothing to change: answered as a request without changes
        if (!witnesses.isEmpty() && !strong()) {
            throw DynamoException.validation("MultiRegionConsistency must be set as STRONG when GlobalTableWitnessUpdates parameter is present.");
        }
        if (consistency == null) return;
        long creates = replicaUpdates.stream().filter(update -> update.struct("Create") != null).count();
        if (creates < replicaUpdates.size()) {
            throw DynamoException.validation("Only Replica Create actions are supported when MultiRegionConsistency parameter is provided.");
        }
        if (!table.get().options().replicas().isEmpty()) {
            throw DynamoException.validation("MultiRegionConsistency parameter is unsupported on existing global table");
        }
        if (!strong()) return;
        if (creates + witnesses.size() != 2) {
            throw DynamoException.validation("Unsupported replica count for global tables with MultiRegionConsistency set to STRONG.");
        }
        throw DynamoException.validation("Eddy's global tables are eventually consistent: MultiRegionConsistency STRONG "
                + "(and global table witnesses) are not supported");
    }
}
