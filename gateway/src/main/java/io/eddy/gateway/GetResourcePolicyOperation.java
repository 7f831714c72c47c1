package io.eddy.gateway;

import io.eddy.model.TableOptions.ResourcePolicy;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** GetResourcePolicy: the policy attached to a table or a stream, in IAM's canonical form, and its RevisionId. */
final class GetResourcePolicyOperation implements Operation {

    private final NodeContext node;

    GetResourcePolicyOperation(NodeContext node) {
        this.node = node;
    }

    @Override
    public CompletionStage<byte[]> handle(RequestBody request) {
        PolicyResource resource = PolicyResource.of(request.string("ResourceArn"), node.region(), node.accountId());
        ResourcePolicy policy = AttachedPolicies.current(node, resource).orElseThrow(() -> AttachedPolicies.policyNotFound(resource));
        return CompletableFuture.completedFuture(Json.object(g -> {
            g.writeStringField("Policy", ResourcePolicyDocument.rendered(policy.document()));
            g.writeStringField("RevisionId", policy.revisionId());
        }));
    }
}
