package io.eddy.gateway;

import io.eddy.model.DynamoException;
import io.eddy.model.TableMetadata;
import io.eddy.model.TableMetadata.BillingMode;
import io.eddy.model.TableMetadata.Throughput;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** UpdateTable: billing mode, provisioned throughput, and enabling or disabling the stream. */
final class UpdateTableOperation implements Operation {

    private final NodeContext node;

    UpdateTableOperation(NodeContext node) {
        this.node = node;
    }

    @Override
    public CompletionStage<byte[]> handle(RequestBody request) {
        String tableName = request.string("TableName");
        RequestBody throughput = request.struct("ProvisionedThroughput");
        String billingMode = request.string("BillingMode");
        Long read = throughput == null ? null : throughput.longValue("ReadCapacityUnits");
        Long write = throughput == null ? null : throughput.longValue("WriteCapacityUnits");
        Constraints c = new Constraints();
        c.validTableName("tableName", tableName);
        c.provisionedThroughput(throughput, read, write);
        c.oneOf("billingMode", billingMode, List.of("PROVISIONED", "PAY_PER_REQUEST"));
        StreamSpecificationParameter streams = StreamSpecificationParameter.read(request);
        if (streams != null) streams.check(c);
        c.throwIfAny();

        if (request.node("GlobalSecondaryIndexUpdates") != null) {
            throw DynamoException.validation("Secondary indexes are not supported by this version of Eddy");
        }
        if (throughput == null && billingMode == null && streams == null) {
            throw DynamoException.validation("At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, "
                    + "GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required");
        }
        if (streams != null) {
            streams.checkUpdate();
            if (throughput != null) {
                throw DynamoException.invalidParameter("You cannot modify stream status while updating table IOPS");
            }
        }
        if (throughput != null) CreateTableOperation.checkUnits(read, write);
        Optional<BillingMode> requestedMode = Optional.ofNullable(billingMode).map(BillingMode::valueOf);
        return node.shards().updateTable(tableName, current -> {
                    TableMetadata updated = throughput == null && billingMode == null ? current
                            : apply(current, requestedMode, throughput, read, write);
                    if (streams == null) return updated;
                    return updated.withOptions(updated.options().withStreams(streams.apply(updated, Instant.now())));
                })
                .thenApply(updated -> TableDescriptions.wrapped("TableDescription", updated, node));
    }

    /** Runs inside the catalog against the current metadata. */
    private static TableMetadata apply(TableMetadata current, Optional<BillingMode> requestedMode,
                                       RequestBody throughput, Long read, Long write) {
        BillingMode mode = requestedMode.orElse(current.billingMode());
        Instant now = Instant.now();
        if (mode == BillingMode.PAY_PER_REQUEST) {
            if (throughput != null) {
                throw DynamoException.invalidParameter("Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST");
            }
            if (current.billingMode() == BillingMode.PAY_PER_REQUEST) return current;
            return current.withBilling(mode, Throughput.ON_DEMAND, Optional.of(now));
        }
        if (throughput == null) {
            if (current.billingMode() == BillingMode.PROVISIONED) return current;
            throw DynamoException.invalidParameter("ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED");
        }
        Throughput old = current.throughput();
        if (current.billingMode() == BillingMode.PROVISIONED
                && old.readCapacityUnits() == read && old.writeCapacityUnits() == write) {
            throw DynamoException.validation("The provisioned throughput for the table will not change. The requested value equals the current value. "
                    + "Current ReadCapacityUnits provisioned for the table: " + old.readCapacityUnits()
                    + ". Requested ReadCapacityUnits: " + read
                    + ". Current WriteCapacityUnits provisioned for the table: " + old.writeCapacityUnits()
                    + ". Requested WriteCapacityUnits: " + write
                    + ". Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.");
        }
        boolean increase = read > old.readCapacityUnits() || write > old.writeCapacityUnits();
        boolean decrease = read < old.readCapacityUnits() || write < old.writeCapacityUnits();
        Throughput next = new Throughput(read, write,
                increase ? Optional.of(now) : old.lastIncrease(),
                decrease ? Optional.of(now) : old.lastDecrease(),
                old.decreasesToday() + (decrease ? 1 : 0));
        return current.withBilling(BillingMode.PROVISIONED, next, current.lastUpdateToPayPerRequest());
    }
}
