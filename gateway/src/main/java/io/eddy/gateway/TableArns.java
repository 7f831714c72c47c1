package io.eddy.gateway;

import io.eddy.model.DynamoException;
import io.eddy.model.ErrorCode;

/**
 * Table ARNs ({@code arn:aws:dynamodb:<region>:<account>:table/<name>}). DynamoDB accepts a table's
 * ARN wherever it takes a TableName, and names tagged resources only by ARN; the two uses reject a
 * bad ARN with different messages.
 */
final class TableArns {

    static final int MAX_ARN_LENGTH = 1024;
    static final String TABLE = "table/";
    static final String STREAM = "/stream/";

    private TableArns() {}

    /** The parts of an ARN this node could own: {@code ours} is false for another account. */
    record TableRef(String name, boolean ours) {}

    /** An ARN's parts: {@code arn:partition:service:region:account:resource}. */
    record Parts(String partition, String service, String region, String account, String resource) {
        /** The parts of {@code arn}; empty for what is not an ARN of six parts. */
        static java.util.Optional<Parts> of(String arn) {
            if (!isArn(arn)) return java.util.Optional.empty();
            String[] parts = arn.split(":", 6);
            return parts.length < 6 ? java.util.Optional.empty()
                    : java.util.Optional.of(new Parts(parts[1], parts[2], parts[3], parts[4], parts[5]));
        }

        /** Whether it names a DynamoDB resource of this account, in the standard partition. */
        boolean ours(String accountId) {
            return partition.equals("aws") && service.equals("dynamodb") && account.equals(accountId);
        }

        /** The table a {@code table/<name>} resource names (with nothing after the name). */
        java.util.Optional<String> tableName() {
            return resource.startsWith(TABLE) && resource.indexOf('/', TABLE.length()) < 0
                    ? java.util.Optional.of(resource.substring(TABLE.length())) : java.util.Optional.empty();
        }
    }

    static boolean isArn(String nameOrArn) {
        return nameOrArn != null && nameOrArn.startsWith("arn:");
    }

    static String arn(String region, String accountId, String tableName) {
        return "arn:aws:dynamodb:" + region + ":" + accountId + ":" + TABLE + tableName;
    }

    /** A table's index's ARN: the table's with {@code /index/<name>}. */
    static String indexArn(String region, String accountId, String tableName, String indexName) {
        return arn(region, accountId, tableName) + "/index/" + indexName;
    }

    /**
     * The table a TableName parameter names: the name itself, or the table of an ARN in this
     * node's region. An ARN of another account names no table of this node.
     */
    static TableRef fromTableName(String nameOrArn, String region, String accountId) {
        if (!isArn(nameOrArn)) return new TableRef(nameOrArn, true);
        String[] parts = nameOrArn.split(":", 6);
        if (parts.length < 6 || !parts[2].equals("dynamodb") || !parts[5].startsWith(TABLE)
                || parts[5].length() == TABLE.length() || parts[5].indexOf('/', TABLE.length()) >= 0) {
            throw invalidTableName("Invalid resource type in '" + nameOrArn + "'");
        }
        if (!parts[1].equals("aws")) throw invalidTableName("Invalid AWS partition in '" + nameOrArn + "'");
        if (!parts[3].equals(region)) throw invalidTableName("Invalid AWS region in '" + nameOrArn + "'");
        return new TableRef(parts[5].substring(TABLE.length()), parts[4].equals(accountId));
    }

    private static DynamoException invalidTableName(String detail) {
        return DynamoException.validation("1 validation error detected: " + detail);
    }

    /**
     * The table a ResourceArn (TagResource, UntagResource, ListTagsOfResource) names, checked in
     * DynamoDB's order with its messages.
     */
    static String fromResourceArn(String arn, String region, String accountId) {
        checkResourceArnGiven(arn);
        String[] parts = resourceArnParts(arn);
        if (!parts[5].startsWith(TABLE)) throw notTableOrStream(arn);
        String streamLabel = streamLabel(parts[5], arn);
        // DynamoDB's words for another account's resource (measured: "Access is denied").
        if (!parts[4].equals(accountId)) throw new DynamoException(ErrorCode.AccessDeniedException, "Access is denied");
        String name = tableNameOf(parts[5]);
        if (!parts[1].equals("aws") || !parts[3].equals(region) || !Constraints.isTableName(name)) {
            throw DynamoException.validation("Invalid TableArn: Invalid ResourceArn provided as input " + arn);
        }
        // A stream ARN passes the checks (DynamoDB's message says a stream is accepted), but DynamoDB finds no
        // tags there: measured, ResourceNotFoundException.
        if (streamLabel != null) throw resourceNotFound(arn);
        return name;
    }

    /**
     * What follows {@code table/<name>} in an ARN's resource part: nothing (null: the table itself)
     * or a stream's label. An index's ARN is "only table or stream is accepted", any other
     * sub-resource's (a backup's, an export's) "not a DynamoDB resource arn", as DynamoDB answers.
     */
    static String streamLabel(String resource, String arn) {
        int slash = resource.indexOf('/', TABLE.length());
        if (slash < 0) return null;
        String rest = resource.substring(slash);
        if (rest.startsWith("/index/")) throw notTableOrStream(arn);
        if (!rest.startsWith(STREAM) || rest.length() == STREAM.length()) throw notDynamoDb(arn);
        return rest.substring(STREAM.length());
    }

    /** The table's name in an ARN's resource part {@code table/<name>[/...]}. */
    static String tableNameOf(String resource) {
        int slash = resource.indexOf('/', TABLE.length());
        return resource.substring(TABLE.length(), slash < 0 ? resource.length() : slash);
    }

    private static DynamoException notTableOrStream(String arn) {
        return DynamoException.invalidParameter(
                "Invalid resource arn provided, only table or stream is accepted. Provided resource arn: " + arn);
    }

    /**
     * What a tagging request's ResourceArn is refused for before its other required members are
     * looked at (dynalite's tests, recorded against DynamoDB: an ARN-shaped one with Tags missing
     * is told about the Tags): none given, or not an ARN at all.
     */
    static void checkResourceArnGiven(String arn) {
        if (arn == null) throw DynamoException.validation("Invalid TableArn");
        if (!isArn(arn)) throw DynamoException.invalidParameter("ARNs must start with 'arn:': " + arn);
    }

    /**
     * The six parts of a ResourceArn ({@code arn:partition:dynamodb:region:account:resource}), after
     * the checks every ResourceArn parameter shares, with DynamoDB's messages.
     */
    static String[] resourceArnParts(String arn) {
        if (!isArn(arn)) throw DynamoException.invalidParameter("ARNs must start with 'arn:': " + arn);
        String[] parts = arn.split(":", 6);
        if (parts.length < 6 || !parts[2].equals("dynamodb")) throw notDynamoDb(arn);
        return parts;
    }

    static DynamoException notDynamoDb(String arn) {
        return DynamoException.invalidParameter("Provided Arn is not a DynamoDB resource arn: " + arn);
    }

    /** How the tagging operations answer for a table that does not exist. */
    static DynamoException resourceNotFound(String arn) {
        return DynamoException.resourceNotFound("Requested resource not found: ResourceArn: " + arn + " not found");
    }
}
