package io.eddy.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.model.AttributeType;
import io.eddy.model.DynamoException;
import io.eddy.model.IndexProjection;
import io.eddy.model.KeySchema;
import io.eddy.model.SecondaryIndex;
import io.eddy.model.TableMetadata;
import io.eddy.model.TableOptions;
import io.eddy.model.expression.DocumentPath;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Which index a read names and when DynamoDB refuses it, independent of the index's contents. */
class IndexReadsTest {

    static SecondaryIndex index(String name, SecondaryIndex.Kind kind, SecondaryIndex.Status status, IndexProjection projection) {
        return new SecondaryIndex(name, UUID.randomUUID(), kind, List.of(new KeySchema.KeyAttribute("id", AttributeType.S)),
                List.of(new KeySchema.KeyAttribute("at", AttributeType.N)), projection, status, null, null);
    }

    static final IndexProjection INCLUDE_X = new IndexProjection(IndexProjection.ProjectionType.INCLUDE, List.of("x"));

    static final TableMetadata TABLE = new TableMetadata("T", UUID.randomUUID(),
            KeySchema.hashAndRange("id", AttributeType.S, "sk", AttributeType.S), List.of(), TableMetadata.BillingMode.PAY_PER_REQUEST,
            TableMetadata.Throughput.ON_DEMAND, Instant.EPOCH, Optional.empty(), TableMetadata.TableStatus.ACTIVE, 4,
            TableOptions.DEFAULTS.withIndexes(List.of(
                    index("local", SecondaryIndex.Kind.LOCAL, SecondaryIndex.Status.ACTIVE, INCLUDE_X),
                    index("building", SecondaryIndex.Kind.GLOBAL, SecondaryIndex.Status.CREATING, IndexProjection.ALL),
                    index("leaving", SecondaryIndex.Kind.GLOBAL, SecondaryIndex.Status.DELETING, IndexProjection.ALL))));

    static String refusal(String index, String select, boolean consistent) {
        return assertThrows(DynamoException.class, () -> IndexReads.resolve(TABLE, index, select, consistent,
                IndexReads.QUERY_OF_VECTOR_INDEX)).getMessage();
    }

    @Test
    void globalIndexesAreReadOnlyOnceBuiltAndNeverConsistently() {
        assertEquals("Cannot read from backfilling global secondary index: building", refusal("building", null, false));
        assertEquals("Consistent reads are not supported on global secondary indexes", refusal("building", null, true));
        assertEquals("The table does not have the specified index: leaving", refusal("leaving", null, false));
        assertEquals("The table does not have the specified index: none", refusal("none", null, false));
        assertEquals("local", IndexReads.resolve(TABLE, "local", "ALL_ATTRIBUTES", true, IndexReads.QUERY_OF_VECTOR_INDEX).orElseThrow().name());
        assertTrue(IndexReads.resolve(TABLE, null, null, true, IndexReads.QUERY_OF_VECTOR_INDEX).isEmpty());
    }

    @Test
    void aLocalIndexFetchesWhatItDoesNotHold() {
        SecondaryIndex local = TABLE.options().index("local").orElseThrow();
        assertTrue(IndexReads.fetchesItems(TABLE, local, "ALL_ATTRIBUTES", Optional.empty(), Optional.empty()));
        assertFalse(IndexReads.fetchesItems(TABLE, local, null, Optional.empty(), Optional.empty()));
        assertFalse(IndexReads.fetchesItems(TABLE, local, null, Optional.of(List.of(DocumentPath.of("x"),
                DocumentPath.of("sk"), DocumentPath.of("at"))), Optional.empty()));
        assertTrue(IndexReads.fetchesItems(TABLE, local, null, Optional.of(List.of(DocumentPath.of("y"))), Optional.empty()));
    }
}
