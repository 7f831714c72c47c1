package io.eddy.shards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class PartitionIdTest {

    @Test
    void entityAndPersistenceIdsRoundTrip() {
        PartitionId id = new PartitionId(UUID.randomUUID(), 13);
        assertEquals(id, PartitionId.parseEntityId(id.entityId()));
        assertEquals(id.entityId(), PartitionId.entityIdOfPersistenceId(id.persistenceId()));
        assertNull(PartitionId.entityIdOfPersistenceId("table-catalog"));
    }
}
