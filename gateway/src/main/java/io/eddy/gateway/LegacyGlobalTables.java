package io.eddy.gateway;

import io.eddy.model.DynamoException;
import io.eddy.model.ErrorCode;

/**
 * What the operations of global tables version 2017.11.29 (Legacy) share. DynamoDB no longer makes
 * such global tables in any region: CreateGlobalTable, and UpdateGlobalTable adding a replica, are
 * refused with {@link #NOT_SUPPORTED}. So none exists, and the operations that read or change one
 * answer, once their input is valid, that it is not there (ListGlobalTables: an empty list), as
 * DynamoDB answers for every table, a version 2019.11.21 global table's too. Global tables are
 * made with UpdateTable's ReplicaUpdates ({@link ReplicaUpdates}).
 */
final class LegacyGlobalTables {

    /** DynamoDB's refusal of a new version 2017.11.29 global table or replica. */
    static final String NOT_SUPPORTED = "DynamoDB global tables version 2017.11.29 is not supported. We recommend using "
            + "DynamoDB global tables version 2019.11.21, instead of version 2017.11.29 (Legacy).";

    private LegacyGlobalTables() {}

    /** A required GlobalTableName: a table name (3 to 255 characters of [a-zA-Z0-9_.-]). */
    static String requiredName(RequestBody request, Constraints c) {
        String name = request.string("GlobalTableName");
        c.notNull("globalTableName", name);
        c.tableName("globalTableName", name);
        return name;
    }

    static DynamoException notSupported() {
        return DynamoException.invalidParameter(NOT_SUPPORTED);
    }

    /** DescribeGlobalTable's and UpdateGlobalTable's answer. */
    static DynamoException notFound(String name) {
        return new DynamoException(ErrorCode.GlobalTableNotFoundException,
                "Global table not found: Global table with name: '" + name + "' does not exist.");
    }

    /** Describe- and UpdateGlobalTableSettings' answer (without the "Global table not found: " of the others). */
    static DynamoException settingsNotFound(String name) {
        return new DynamoException(ErrorCode.GlobalTableNotFoundException, "Global table with name: '" + name + "' does not exist.");
    }
}
