package io.eddy.shards;

import io.eddy.model.AttributeValue;
import io.eddy.model.DynamoException;
import io.eddy.persistence.ItemPage;
import java.util.Map;
import java.util.Optional;

/** A partition entity's answer to a {@link PartitionCommand}. */
public sealed interface ItemReply {

    record Found(Optional<Map<String, AttributeValue>> item) implements ItemReply {}

    /** The write is durable (or changed nothing); the images before and after it. */
    record Written(Optional<Map<String, AttributeValue>> oldImage,
                   Optional<Map<String, AttributeValue>> newImage) implements ItemReply {}

    record Page(ItemPage page) implements ItemReply {}

    record Rejected(DynamoException error) implements ItemReply {}
}
