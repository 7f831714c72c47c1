package io.eddy.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** NumberOfDecreasesToday counts the decreases of the current UTC day, as DynamoDB documents it. */
class DecreasesTodayTest {

    @Test
    void countsOnlyTheUtcDayOfTheLastDecrease() {
        Instant last = Instant.parse("2026-12-04T23:59:00Z");
        TableMetadata.Throughput throughput = new TableMetadata.Throughput(5, 5, Optional.empty(), Optional.of(last), 3);
        assertEquals(3, throughput.decreasesOn(Instant.parse("2026-12-04T00:00:00Z")));
        assertEquals(3, throughput.decreasesOn(Instant.parse("2026-12-04T23:59:59Z")));
        assertEquals(0, throughput.decreasesOn(Instant.parse("2026-12-05T00:00:00Z")));
        assertEquals(0, TableMetadata.Throughput.provisioned(1, 1).decreasesOn(last));
    }
}
