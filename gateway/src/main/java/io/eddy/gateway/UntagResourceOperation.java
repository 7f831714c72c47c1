package io.eddy.gateway;

import io.eddy.model.DynamoException;
import io.eddy.model.TableTags;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** UntagResource: removes tags by key; keys that are not set are ignored. */
final class UntagResourceOperation implements Operation {

    private final NodeContext node;

    UntagResourceOperation(NodeContext node) {
        this.node = node;
    }

    @Override
    public CompletionStage<byte[]> handle(RequestBody request) {
        String arn = request.string("ResourceArn");
        List<String> keys = request.stringList("TagKeys");
        TableArns.checkResourceArnGiven(arn);
        Constraints c = new Constraints();
        c.notNull("tagKeys", keys);
        c.throwIfAny();
        TaggedTable table = TaggedTable.of(node, arn);
        if (keys.isEmpty()) throw DynamoException.validation("Atleast one Tag Key needs to be provided as Input.");
        TableTags.checkKeys(keys);
        return table.changeTags(current -> TableTags.without(current, keys));
    }
}
