package io.eddy.gateway;

import java.util.concurrent.CompletionStage;

/** DeleteResourcePolicy: detaches a table's or a stream's policy (if its revision is ExpectedRevisionId); answers its RevisionId. */
final class DeleteResourcePolicyOperation implements Operation {

    private final NodeContext node;

    DeleteResourcePolicyOperation(NodeContext node) {
        this.node = node;
    }

    @Override
    public CompletionStage<byte[]> handle(RequestBody request) {
        String arn = request.string("ResourceArn");
        String expected = request.string("ExpectedRevisionId");
        Constraints c = new Constraints();
        c.notNull("resourceArn", arn);
        c.stringLengthAtLeast("expectedRevisionId", expected, 1);
        c.stringLengthAtMost("expectedRevisionId", expected, 255);
        c.throwIfAny();
        PolicyResource resource = PolicyResource.of(arn, node.region(), node.accountId());
        return AttachedPolicies.change(node, resource, expected, null)
                .thenApply(detached -> detached == null ? Json.EMPTY_OBJECT
                        : Json.object(g -> g.writeStringField("RevisionId", detached.revisionId())));
    }
}
