package io.eddy.gateway;

import io.eddy.model.DynamoException;
import io.eddy.model.ErrorCode;
import io.eddy.model.TableMetadata;
import io.eddy.model.TableOptions.ResourcePolicies;
import io.eddy.model.TableOptions.ResourcePolicy;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The resource-based policies of a node's tables and streams. They live in the table's catalog
 * entry (so a change is durable before it is acknowledged, serialised with the table's other
 * changes, and goes with the table when it is deleted).
 */
final class AttachedPolicies {

    /** ExpectedRevisionId's value for "only if the resource has no policy". */
    static final String NO_POLICY = "NO_POLICY";
    private static final String NOT_FOUND = "Resource-based policy not found for the provided ResourceArn: ";

    private AttachedPolicies() {}

    /** The policy attached to {@code resource}, if any. */
    static Optional<ResourcePolicy> current(NodeContext node, PolicyResource resource) {
        Optional<TableMetadata> table = node.shards().tables().find(resource.tableName());
        if (table.isEmpty()) {
            // A deleted table's stream has no policy any more; the table itself is not found.
            if (resource.streamLabel() != null) return Optional.empty();
            throw NodeContext.controlNotFound(resource.tableName());
        }
        checkStream(table.get(), resource);
        return table.get().options().resourcePolicies().of(resource.streamLabel());
    }

    /**
     * Attaches {@code document} (stored form) to the resource, or detaches its policy ({@code document}
     * null), if its revision is {@code expected} (null: whatever it is); completes with the policy
     * attached (unchanged when the document is the same) or the one detached.
     */
    static CompletionStage<ResourcePolicy> change(NodeContext node, PolicyResource resource, String expected, String document) {
        if (node.shards().tables().find(resource.tableName()).isEmpty()) throw NodeContext.controlNotFound(resource.tableName());
        node.changeableName(resource.tableName());
        AtomicReference<ResourcePolicy> answer = new AtomicReference<>();
        return node.shards().updateTable(resource.tableName(), table -> {
                    NodeContext.refuseWhileDeleting(table);
                    checkStream(table, resource);
                    ResourcePolicies policies = table.options().resourcePolicies();
                    Optional<ResourcePolicy> current = policies.of(resource.streamLabel());
                    checkExpected(expected, current, resource);
                    if (document == null) {
                        if (current.isEmpty()) {
                            // Idempotent, as DynamoDB's (without an ExpectedRevisionId): nothing to detach; the last detached
                            // policy, if any, is answered (captured, 2026).
                            answer.set(policies.last(resource.streamLabel()).orElse(null));
                            return table;
                        }
                        ResourcePolicy detached = current.get();
                        answer.set(detached);
                        return table.withOptions(table.options().withResourcePolicies(policies.with(resource.streamLabel(),
                                new ResourcePolicy(null, detached.revisionId()))));
                    }
                    if (current.isPresent() && current.get().document().equals(document)) {
                        answer.set(current.get()); // the same policy again: nothing changes, not even the revision
                        return table;
                    }
                    ResourcePolicy attached = new ResourcePolicy(document, nextRevision(policies.last(resource.streamLabel())));
                    answer.set(attached);
                    return table.withOptions(table.options().withResourcePolicies(policies.with(resource.streamLabel(), attached)));
                })
                .thenApply(updated -> answer.get());
    }

    static DynamoException policyNotFound(PolicyResource resource) {
        return new DynamoException(ErrorCode.PolicyNotFoundException, NOT_FOUND + resource.arn());
    }

    /** A RevisionId: the change's time in epoch milliseconds, past the last one the resource had. */
    private static String nextRevision(Optional<ResourcePolicy> last) {
        long now = System.currentTimeMillis();
        long previous = last.map(policy -> Long.parseLong(policy.revisionId())).orElse(0L);
        return Long.toString(Math.max(now, previous + 1));
    }

    private static void checkStream(TableMetadata table, PolicyResource resource) {
        if (resource.streamLabel() != null && table.options().streams().withLabel(resource.streamLabel()).isEmpty()) {
            throw DynamoException.resourceNotFound("Requested resource not found: Stream: " + resource.streamLabel()
                    + " not found for Table: " + table.name());
        }
    }

    /** Whether the attached policy is the one ExpectedRevisionId asks for (null: any, NO_POLICY: none). */
    static boolean expected(String expected, Optional<ResourcePolicy> current) {
        if (expected == null) return true;
        if (expected.equals(NO_POLICY)) return current.isEmpty();
        return current.isPresent() && current.get().revisionId().equals(expected);
    }

    private static void checkExpected(String expected, Optional<ResourcePolicy> current, PolicyResource resource) {
        if (expected(expected, current)) return;
        if (current.isEmpty()) throw policyNotFound(resource);
        if (expected.equals(NO_POLICY)) {
            throw new DynamoException(ErrorCode.PolicyNotFoundException, NOT_FOUND + "Requested policy update expecting none to be present "
                    + "for table " + resource.tableName() + ", but a policy exists with revision id " + current.get().revisionId() + ".");
        }
        throw new DynamoException(ErrorCode.PolicyNotFoundException, NOT_FOUND + "Requested update for policy with revision id " + expected
                + ", but the policy associated to target table " + resource.tableName() + " has revision id "
                + current.get().revisionId() + ".");
    }
}
