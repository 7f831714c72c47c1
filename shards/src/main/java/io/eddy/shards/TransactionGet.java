package io.eddy.shards;

import io.eddy.model.AttributeValue;
import io.eddy.model.TableMetadata;
import java.util.Map;

/** One Get of a TransactGetItems request: the item's table and validated primary key. */
public record TransactionGet(TableMetadata table, Map<String, AttributeValue> key) {}
