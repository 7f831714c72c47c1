package io.eddy.gateway;

import io.eddy.model.DynamoException;
import io.eddy.model.ErrorCode;
import io.eddy.model.TableMetadata;
import io.eddy.model.TableOptions.Tag;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.UnaryOperator;

/**
 * The table a tagging request names by ResourceArn. Tags live in the table's catalog entry, so a
 * change is a catalog update: durable before it is acknowledged, and serialised with every other
 * change to the table.
 */
record TaggedTable(NodeContext node, String arn, String name) {

    /** Resolves {@code arn} (DynamoDB's ARN checks, in its order). */
    static TaggedTable of(NodeContext node, String arn) {
        return new TaggedTable(node, arn, TableArns.fromResourceArn(arn, node.region(), node.accountId()));
    }

    /** The table as the catalog knows it now. */
    TableMetadata current() {
        return node.shards().tables().find(name).orElseThrow(() -> TableArns.resourceNotFound(arn));
    }

    /** Replaces the table's tags with {@code change} applied to the current ones, inside the catalog. */
    CompletionStage<byte[]> changeTags(UnaryOperator<List<Tag>> change) {
        current();
        node.changeableName(name);
        return node.shards().updateTable(name, table -> {
                    NodeContext.refuseWhileDeleting(table);
                    return table.withOptions(table.options().withTags(change.apply(table.options().tags())));
                })
                .handle((updated, failure) -> {
                    // DynamoDB answers TagResource and UntagResource with an empty body, not {}.
                    if (failure == null) return new byte[0];
                    Throwable cause = Failures.cause(failure);
                    // Deleted meanwhile: answered as the tagging operations answer a missing table.
                    if (cause instanceof DynamoException e && e.code() == ErrorCode.ResourceNotFoundException) {
                        throw TableArns.resourceNotFound(arn);
                    }
                    throw Failures.rethrown(failure);
                });
    }
}
