package io.eddy.gateway;

import io.eddy.model.DynamoException;
import io.eddy.model.KeySchema;
import io.eddy.model.SecondaryIndex;
import io.eddy.model.TableMetadata;
import io.eddy.model.expression.DocumentPath;
import java.util.Collection;

/**
 * Key attributes, the table's and its secondary indexes', are scalars, so a read's projection or
 * filter cannot look inside one. DynamoDB names the table's key attributes first ("Key: a"), then
 * the indexes' ("IndexKey: b"), global indexes before local ones (dynalite's validateKeyPaths,
 * written against DynamoDB).
 */
final class KeyPaths {
    private KeyPaths() {}

    private static final String NOT_SCALAR = "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: ";

    static void checkScalar(Collection<DocumentPath> paths, TableMetadata table) {
        if (paths.stream().allMatch(DocumentPath::isTopLevel)) return;
        KeySchema tableKey = table.keySchema();
        checkTableKey(paths, tableKey.partitionKey());
        tableKey.sortKey().ifPresent(sort -> checkTableKey(paths, sort));
        for (SecondaryIndex index : table.options().indexesGlobalFirst()) {
            if (index.status() == SecondaryIndex.Status.DELETING) continue;
            for (KeySchema.KeyAttribute key : index.keyAttributes()) {
                if (looksInside(paths, key.name())) throw DynamoException.validation(NOT_SCALAR + "IndexKey: " + key.name());
            }
        }
    }

    private static void checkTableKey(Collection<DocumentPath> paths, KeySchema.KeyAttribute key) {
        if (looksInside(paths, key.name())) throw DynamoException.validation(NOT_SCALAR + "Key: " + key.name());
    }

    private static boolean looksInside(Collection<DocumentPath> paths, String attribute) {
        for (DocumentPath path : paths) {
            if (!path.isTopLevel() && path.attribute().equals(attribute)) return true;
        }
        return false;
    }
}
