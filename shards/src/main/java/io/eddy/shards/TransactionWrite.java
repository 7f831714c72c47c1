package io.eddy.shards;

import io.eddy.model.AttributeValue;
import io.eddy.model.TableMetadata;
import java.util.Map;

/**
 * One action of a TransactWriteItems request: the item (its table and validated primary key) and
 * what the action does to it, decided inside the item's partition against the current image
 * (a ConditionCheck returns the image unchanged).
 */
public record TransactionWrite(TableMetadata table, Map<String, AttributeValue> key, ItemUpdate update) {}
