package io.eddy.shards;

import io.eddy.model.AttributeValue;
import io.eddy.model.DynamoException;
import java.util.Map;
import java.util.Optional;

/**
 * The decision a write makes about one item: given the current image (empty when the item does
 * not exist), the new image (empty to delete it). It runs inside the partition entity, one at a
 * time per partition, so it sees the latest state; it throws a {@link DynamoException} (for
 * example ConditionalCheckFailedException) to refuse the write. It must be a pure function.
 */
@FunctionalInterface
public interface ItemUpdate {
    Optional<Map<String, AttributeValue>> apply(Optional<Map<String, AttributeValue>> current);
}
