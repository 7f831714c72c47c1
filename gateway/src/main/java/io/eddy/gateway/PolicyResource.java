package io.eddy.gateway;

import io.eddy.model.DynamoException;
import java.util.Optional;

/**
 * What a resource-based policy is attached to: a table, or one of its streams
 * ({@code streamLabel} non-null), named by its ARN.
 */
record PolicyResource(String arn, String tableName, String streamLabel) {

    private static final String TABLE = "table/";
    private static final String STREAM = "/stream/";

    ResourcePolicyDocument.Kind kind() {
        return streamLabel == null ? ResourcePolicyDocument.Kind.TABLE : ResourcePolicyDocument.Kind.STREAM;
    }

    /**
     * The resource a ResourceArn parameter names, checked in DynamoDB's order with its messages:
     * only a table or a stream of this node's account and region.
     */
    static PolicyResource of(String arn, String region, String accountId) {
        Constraints c = new Constraints();
        c.notNull("resourceArn", arn);
        c.throwIfAny();
        c.stringLengthAtLeast("resourceArn", arn, 1);
        c.stringLengthAtMost("resourceArn", arn, TableArns.MAX_ARN_LENGTH);
        c.throwIfAny();
        String[] parts = TableArns.resourceArnParts(arn);
        if (!parts[5].startsWith(TABLE)) throw TableArns.notDynamoDb(arn);
        String relative = parts[5].substring(TABLE.length());
        int slash = relative.indexOf('/');
        String table = slash < 0 ? relative : relative.substring(0, slash);
        String label = null;
        if (slash >= 0) {
            String rest = relative.substring(slash);
            if (rest.startsWith("/index/")) {
                throw DynamoException.invalidParameter(
                        "Invalid resource arn provided, only table or stream is accepted. Provided resource arn: " + arn);
            }
            if (!rest.startsWith(STREAM) || rest.length() == STREAM.length()) throw TableArns.notDynamoDb(arn);
            label = rest.substring(STREAM.length());
        }
        if (!parts[4].equals(accountId)) {
            throw DynamoException.validation("This action is only supported by accounts that match the resource owner\u2019s account.");
        }
        if (!parts[1].equals("aws") || !parts[3].equals(region)) {
            throw DynamoException.invalidParameter("Invalid resource Arn: " + arn);
        }
        if (table.isEmpty() || !Constraints.isTableName(table)) throw NodeContext.controlNotFound(table);
        return new PolicyResource(arn, table, label);
    }

    /**
     * The resource whose policy governs an access to {@code resourceArn}: a table (also for its
     * indexes, as DynamoDB does) or a stream of this node's; empty for anything else.
     */
    static Optional<PolicyResource> governing(String resourceArn, String region, String accountId) {
        String prefix = TableArns.arn(region, accountId, "");
        if (!resourceArn.startsWith(prefix)) return Optional.empty();
        String relative = resourceArn.substring(prefix.length());
        int slash = relative.indexOf('/');
        if (slash < 0) return Optional.of(new PolicyResource(resourceArn, relative, null));
        String table = relative.substring(0, slash);
        String rest = relative.substring(slash);
        if (rest.startsWith("/index/")) return Optional.of(new PolicyResource(prefix + table, table, null));
        if (rest.startsWith(STREAM)) return Optional.of(new PolicyResource(resourceArn, table, rest.substring(STREAM.length())));
        return Optional.empty();
    }
}
