package io.eddy.gateway;

import io.eddy.model.TableOptions.Tag;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * ListTagsOfResource: a table's tags in the order they were first set, {@code pageSize} per page
 * with a NextToken for the rest. DynamoDB returns a table's (at most 50) tags in one page, which is
 * the default; a token that does not name a tag of the table starts from the first page, as
 * DynamoDB ignores an invalid NextToken.
 */
final class ListTagsOfResourceOperation implements Operation {

    private final NodeContext node;
    private final int pageSize;

    ListTagsOfResourceOperation(NodeContext node, int pageSize) {
        this.node = node;
        this.pageSize = pageSize;
    }

    @Override
    public CompletionStage<byte[]> handle(RequestBody request) {
        String arn = request.string("ResourceArn");
        String nextToken = request.string("NextToken");
        List<Tag> tags = TaggedTable.of(node, arn).current().options().tags();
        int from = start(tags, nextToken);
        int to = Math.min(tags.size(), from + pageSize);
        return CompletableFuture.completedFuture(Json.object(g -> {
            g.writeArrayFieldStart("Tags");
            for (Tag tag : tags.subList(from, to)) {
                g.writeStartObject();
                g.writeStringField("Key", tag.key());
                g.writeStringField("Value", tag.value());
                g.writeEndObject();
            }
            g.writeEndArray();
            if (to < tags.size()) g.writeStringField("NextToken", token(tags.get(to).key()));
        }));
    }

    /** A token names the first tag of the next page by its key. */
    private static String token(String key) {
        return PageTokens.encode(key);
    }

    private static int start(List<Tag> tags, String token) {
        if (token == null) return 0;
        String key = PageTokens.decode(token).orElse(null);
        if (key == null) return 0;
        for (int i = 0; i < tags.size(); i++) {
            if (tags.get(i).key().equals(key)) return i;
        }
        return 0;
    }
}
