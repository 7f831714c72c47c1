package io.eddy.gateway;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** DescribeLimits: DynamoDB's default quotas of provisioned capacity, per account and per table. */
final class DescribeLimitsOperation implements Operation {

    static final long ACCOUNT_MAX_UNITS = 80_000;
    static final long TABLE_MAX_UNITS = 40_000;

    private static final byte[] LIMITS = Json.object(g -> {
        g.writeNumberField("AccountMaxReadCapacityUnits", ACCOUNT_MAX_UNITS);
        g.writeNumberField("AccountMaxWriteCapacityUnits", ACCOUNT_MAX_UNITS);
        g.writeNumberField("TableMaxReadCapacityUnits", TABLE_MAX_UNITS);
        g.writeNumberField("TableMaxWriteCapacityUnits", TABLE_MAX_UNITS);
    });

    @Override
    public CompletionStage<byte[]> handle(RequestBody request) {
        return CompletableFuture.completedFuture(LIMITS);
    }
}
