package io.eddy.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.gateway.ThroughputLimits.Use;
import io.eddy.model.AttributeType;
import io.eddy.model.DynamoException;
import io.eddy.model.ErrorCode;
import io.eddy.model.IndexProjection;
import io.eddy.model.KeySchema;
import io.eddy.model.SecondaryIndex;
import io.eddy.model.TableMetadata;
import io.eddy.model.TableOptions;
import io.eddy.model.ThrottlingReason;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The token buckets of ThroughputLimits, on a clock the test moves. */
class ThroughputLimitsTest {

    static final long SECOND = 1_000_000_000L;
    final AtomicLong clock = new AtomicLong(42 * SECOND);
    final ThroughputLimits limits = new ThroughputLimits(true, 300, "us-east-1", "000000000000", clock::get);

    static SecondaryIndex index(String name, SecondaryIndex.Kind kind, SecondaryIndex.IndexThroughput throughput,
                                TableOptions.OnDemandThroughput maxima) {
        return new SecondaryIndex(name, UUID.randomUUID(), kind, List.of(new KeySchema.KeyAttribute(kind == SecondaryIndex.Kind.LOCAL ? "id" : "g", AttributeType.S)),
                List.of(new KeySchema.KeyAttribute("at", AttributeType.N)), IndexProjection.ALL, SecondaryIndex.Status.ACTIVE, throughput, maxima);
    }

    static TableMetadata provisioned(long read, long write, SecondaryIndex... indexes) {
        return new TableMetadata("Orders", UUID.randomUUID(), KeySchema.hashAndRange("id", AttributeType.S, "sk", AttributeType.S), List.of(),
                TableMetadata.BillingMode.PROVISIONED, TableMetadata.Throughput.provisioned(read, write), Instant.EPOCH, Optional.empty(),
                TableMetadata.TableStatus.ACTIVE, 4, TableOptions.DEFAULTS.withIndexes(List.of(indexes)));
    }

    static TableMetadata onDemand(TableOptions.OnDemandThroughput maxima, SecondaryIndex... indexes) {
        return new TableMetadata("Orders", UUID.randomUUID(), KeySchema.hashAndRange("id", AttributeType.S, "sk", AttributeType.S), List.of(),
                TableMetadata.BillingMode.PAY_PER_REQUEST, TableMetadata.Throughput.ON_DEMAND, Instant.EPOCH, Optional.empty(),
                TableMetadata.TableStatus.ACTIVE, 4, TableOptions.DEFAULTS.withOnDemandThroughput(maxima).withIndexes(List.of(indexes)));
    }

    void advanceSeconds(double seconds) {
        clock.addAndGet((long) (seconds * SECOND));
    }

    ConsumedCapacity units(TableMetadata table, double units) {
        return ConsumedCapacity.ofTable(table.name(), units);
    }

    @Test
    void aProvisionedTableKeepsFiveMinutesOfUnusedCapacityThenTakesItsRate() {
        TableMetadata table = provisioned(10, 5);
        // Full at first: 300 s of 10 units.
        limits.admit(table, Use.READ, Optional.empty());
        limits.charge(table, Use.READ, units(table, 2999));
        limits.admit(table, Use.READ, Optional.empty());
        limits.charge(table, Use.READ, units(table, 1));
        DynamoException refused = assertThrows(DynamoException.class, () -> limits.admit(table, Use.READ, Optional.empty()));
        assertEquals(ErrorCode.ProvisionedThroughputExceededException, refused.code());
        assertEquals("The level of configured provisioned throughput for the table was exceeded. "
                + "Consider increasing your provisioning level with the UpdateTable API.", refused.getMessage());
        assertEquals(List.of(new ThrottlingReason("TableReadProvisionedThroughputExceeded",
                "arn:aws:dynamodb:us-east-1:000000000000:table/Orders")), refused.throttlingReasons());
        // Reads and writes are separate buckets.
        limits.admit(table, Use.WRITE, Optional.empty());

        // 10 units a second come back: a tenth of a second later there is one.
        advanceSeconds(0.1);
        limits.admit(table, Use.READ, Optional.empty());
        limits.charge(table, Use.READ, units(table, 0.5));
        limits.charge(table, Use.READ, units(table, 0.5));
        assertThrows(DynamoException.class, () -> limits.admit(table, Use.READ, Optional.empty()));

        // Idle for an hour: the bucket holds 300 s, not 3,600 s.
        advanceSeconds(3600);
        limits.charge(table, Use.READ, units(table, 3000));
        assertThrows(DynamoException.class, () -> limits.admit(table, Use.READ, Optional.empty()));
    }

    @Test
    void aRequestMayTakeMoreThanIsLeftAndLaterRequestsRepayIt() {
        TableMetadata table = provisioned(1, 1);
        limits.charge(table, Use.WRITE, units(table, 350));
        advanceSeconds(49);
        assertThrows(DynamoException.class, () -> limits.admit(table, Use.WRITE, Optional.empty()));
        advanceSeconds(1.5);
        limits.admit(table, Use.WRITE, Optional.empty());
    }

    @Test
    void anUpdatedLimitAppliesAtOnce() {
        TableMetadata table = provisioned(1, 1);
        limits.charge(table, Use.READ, units(table, 301));
        assertThrows(DynamoException.class, () -> limits.admit(table, Use.READ, Optional.empty()));
        TableMetadata raised = table.withBilling(TableMetadata.BillingMode.PROVISIONED, TableMetadata.Throughput.provisioned(100, 1),
                Optional.empty());
        advanceSeconds(0.02);
        limits.admit(raised, Use.READ, Optional.empty());
        // Switched to on demand without maxima: nothing is limited, nothing is sized.
        TableMetadata onDemand = table.withBilling(TableMetadata.BillingMode.PAY_PER_REQUEST, TableMetadata.Throughput.ON_DEMAND,
                Optional.empty());
        assertFalse(limits.limited(onDemand));
        limits.charge(onDemand, Use.READ, units(onDemand, 1e9));
        limits.admit(onDemand, Use.READ, Optional.empty());
    }

    @Test
    void anOnDemandMaximumKeepsOneSecondAndThrottlesWithThrottlingException() {
        TableMetadata table = onDemand(new TableOptions.OnDemandThroughput(null, 10L));
        assertTrue(limits.limited(table));
        limits.admit(table, Use.READ, Optional.empty());
        limits.charge(table, Use.READ, units(table, 1e6));
        limits.admit(table, Use.READ, Optional.empty());

        limits.charge(table, Use.WRITE, units(table, 10));
        DynamoException refused = assertThrows(DynamoException.class, () -> limits.admit(table, Use.WRITE, Optional.empty()));
        assertEquals(ErrorCode.ThrottlingException, refused.code());
        assertEquals("Throughput exceeds the maximum OnDemandThroughput configured on table or index", refused.getMessage());
        assertEquals("TableWriteMaxOnDemandThroughputExceeded", refused.throttlingReasons().get(0).reason());
        advanceSeconds(60);
        limits.charge(table, Use.WRITE, units(table, 10.5));
        assertThrows(DynamoException.class, () -> limits.admit(table, Use.WRITE, Optional.empty()));
    }

    @Test
    void aGlobalIndexHasItsOwnCapacityAndAWriteNeedsAllOfThem() {
        SecondaryIndex byGroup = index("byGroup", SecondaryIndex.Kind.GLOBAL, new SecondaryIndex.IndexThroughput(1, 1), null);
        SecondaryIndex local = index("byAt", SecondaryIndex.Kind.LOCAL, null, null);
        TableMetadata table = provisioned(1000, 1000, byGroup, local);
        // Writing the index's entries drains the index, not the table.
        limits.charge(table, Use.WRITE, new ConsumedCapacity("Orders", 1, Map.of(), Map.of("byGroup", 400.0)));
        DynamoException refused = assertThrows(DynamoException.class, () -> limits.admit(table, Use.WRITE, Optional.empty()));
        assertEquals(ErrorCode.ProvisionedThroughputExceededException, refused.code());
        assertEquals("The level of configured provisioned throughput for one or more global secondary indexes of the table was "
                + "exceeded. Consider increasing your provisioning level for the under-provisioned global secondary indexes with "
                + "the UpdateTable API", refused.getMessage());
        assertEquals(List.of(new ThrottlingReason("IndexWriteProvisionedThroughputExceeded",
                "arn:aws:dynamodb:us-east-1:000000000000:table/Orders/index/byGroup")), refused.throttlingReasons());
        // Reading the table, or its local index, is not held up by the global index's writes.
        limits.admit(table, Use.READ, Optional.empty());
        limits.admit(table, Use.READ, Optional.of(local));

        // Reading the global index uses its read capacity; reading a local index uses the table's.
        limits.charge(table, Use.READ, new ConsumedCapacity("Orders", 0, Map.of(), Map.of("byGroup", 300.0)));
        refused = assertThrows(DynamoException.class, () -> limits.admit(table, Use.READ, Optional.of(byGroup)));
        assertEquals("IndexReadProvisionedThroughputExceeded", refused.throttlingReasons().get(0).reason());
        assertEquals("The level of configured provisioned throughput for the index was exceeded", refused.getMessage());
        limits.admit(table, Use.READ, Optional.empty());
        limits.charge(table, Use.READ, new ConsumedCapacity("Orders", 100, Map.of("byAt", 300_000.0), Map.of()));
        assertThrows(DynamoException.class, () -> limits.admit(table, Use.READ, Optional.of(local)));
        assertThrows(DynamoException.class, () -> limits.admit(table, Use.READ, Optional.empty()));
    }

    @Test
    void anOnDemandIndexMaximumLimitsItsIndexOnly() {
        SecondaryIndex byGroup = index("byGroup", SecondaryIndex.Kind.GLOBAL, null, new TableOptions.OnDemandThroughput(5L, null));
        TableMetadata table = onDemand(TableOptions.OnDemandThroughput.NONE, byGroup);
        assertTrue(limits.limited(table));
        limits.charge(table, Use.READ, new ConsumedCapacity("Orders", 1000, Map.of(), Map.of("byGroup", 6.0)));
        limits.admit(table, Use.READ, Optional.empty());
        limits.admit(table, Use.WRITE, Optional.empty());
        DynamoException refused = assertThrows(DynamoException.class, () -> limits.admit(table, Use.READ, Optional.of(byGroup)));
        assertEquals(ErrorCode.ThrottlingException, refused.code());
        assertEquals("IndexReadMaxOnDemandThroughputExceeded", refused.throttlingReasons().get(0).reason());
    }

    @Test
    void tablesWithoutLimitsAndANodeThatDoesNotEnforceLetEverythingThrough() {
        TableMetadata plain = onDemand(TableOptions.OnDemandThroughput.NONE);
        assertFalse(limits.limited(plain));
        int[] sized = {0};
        limits.charged(plain, Use.READ, () -> {
            sized[0]++;
            return units(plain, 1);
        });
        assertEquals(0, sized[0], "a table without limits sizes nothing it need not report");

        ThroughputLimits off = new ThroughputLimits(false, 300, "us-east-1", "000000000000", clock::get);
        TableMetadata tiny = provisioned(1, 1);
        assertFalse(off.limited(tiny));
        off.charge(tiny, Use.WRITE, units(tiny, 1e6));
        off.admit(tiny, Use.WRITE, Optional.empty());
    }
}
