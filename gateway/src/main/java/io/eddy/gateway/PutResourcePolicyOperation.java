package io.eddy.gateway;

import java.util.concurrent.CompletionStage;

/**
 * PutResourcePolicy: attaches a policy to a table or a stream, replacing the one it has. The same
 * policy again (in IAM's canonical form) changes nothing and keeps its RevisionId. Whether the new
 * policy would lock the caller out (ConfirmRemoveSelfResourceAccess) is checked with the caller's
 * authorization, in {@link AccessPolicy}.
 */
final class PutResourcePolicyOperation implements Operation {

    private final NodeContext node;

    PutResourcePolicyOperation(NodeContext node) {
        this.node = node;
    }

    @Override
    public CompletionStage<byte[]> handle(RequestBody request) {
        String arn = request.string("ResourceArn");
        String policy = request.string("Policy");
        String expected = request.string("ExpectedRevisionId");
        Constraints c = new Constraints();
        c.notNull("policy", policy);
        c.notNull("resourceArn", arn);
        c.stringLengthAtLeast("expectedRevisionId", expected, 1);
        c.stringLengthAtMost("expectedRevisionId", expected, 255);
        c.throwIfAny();
        request.bool("ConfirmRemoveSelfResourceAccess"); // read for its type check; AccessPolicy acts on it
        PolicyResource resource = PolicyResource.of(arn, node.region(), node.accountId());
        ResourcePolicyDocument document = ResourcePolicyDocument.parse(policy, resource.kind(), node.accountId(), node.knownUser());
        return AttachedPolicies.change(node, resource, expected, document.stored())
                .thenApply(attached -> Json.object(g -> g.writeStringField("RevisionId", attached.revisionId())));
    }
}
