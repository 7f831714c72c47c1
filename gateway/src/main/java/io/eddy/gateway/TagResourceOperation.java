package io.eddy.gateway;

import io.eddy.model.DynamoException;
import io.eddy.model.TableOptions.Tag;
import io.eddy.model.TableTags;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** TagResource: sets tags on a table (a key already set takes the new value); at most 50 tags afterwards. */
final class TagResourceOperation implements Operation {

    private final NodeContext node;

    TagResourceOperation(NodeContext node) {
        this.node = node;
    }

    @Override
    public CompletionStage<byte[]> handle(RequestBody request) {
        String arn = request.string("ResourceArn");
        List<Tag> tags = TagParameters.read(request);
        TableArns.checkResourceArnGiven(arn);
        Constraints c = new Constraints();
        c.notNull("tags", tags);
        c.throwIfAny();
        TaggedTable table = TaggedTable.of(node, arn);
        if (tags.isEmpty()) throw DynamoException.validation("Atleast one Tag needs to be provided as Input.");
        TableTags.checkTags(tags);
        return table.changeTags(current -> TableTags.merged(current, tags));
    }
}
