package io.eddy.gateway;

import io.eddy.model.DynamoException;
import java.util.Optional;

/**
 * What a resource-based policy is attached to: a table, or one of its streams
 * ({@code streamLabel} non-null), named by its ARN.
 */
record PolicyResource(String arn, String tableName, String streamLabel) {

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
        if (!parts[5].startsWith(TableArns.TABLE)) throw TableArns.notDynamoDb(arn);
        String label = TableArns.streamLabel(parts[5], arn);
        String table = TableArns.tableNameOf(parts[5]);
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
        if (rest.startsWith(TableArns.STREAM)) {
            return Optional.of(new PolicyResource(resourceArn, table, rest.substring(TableArns.STREAM.length())));
        }
        return Optional.empty();
    }
}
