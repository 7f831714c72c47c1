package io.eddy.gateway;

import com.fasterxml.jackson.core.JsonGenerator;
import io.eddy.model.DynamoException;
import io.eddy.model.SecondaryIndex;
import io.eddy.model.TableMetadata;
import io.eddy.model.TableMetadata.BillingMode;
import io.eddy.model.TableOptions.WarmThroughput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * DynamoDB's warm throughput of tables and global indexes: the read and write units per second
 * they serve at once. A new on-demand table or index has 12,000 and 4,000; a provisioned one its
 * provisioned capacity. Requests may raise it (pre-warming: CreateTable's and UpdateTable's
 * WarmThroughput, and their global indexes'), a raise of provisioned capacity raises it, and it never
 * comes down: what was in force before an UpdateTable is kept as the floor after it.
 *
 * <p>Eddy has no partitions to split ahead of traffic, so a table serves what the node can at
 * once whatever its warm throughput; the value is kept and reported so that clients that set and
 * read it (infrastructure tools comparing it with their configuration) see DynamoDB's answers.
 */
final class WarmThroughputs {

    /** A new on-demand table's or index's warm throughput. */
    static final long ON_DEMAND_READ = 12_000;
    static final long ON_DEMAND_WRITE = 4_000;

    private WarmThroughputs() {}

    /**
     * The parameter {@code WarmThroughput} of {@code request} (a request or an index definition);
     * null when absent or when it names neither member (it then asks for no change).
     */
    static WarmThroughput read(RequestBody request) {
        RequestBody units = request.struct("WarmThroughput");
        if (units == null) return null;
        WarmThroughput requested = new WarmThroughput(units.longValue("ReadUnitsPerSecond"), units.longValue("WriteUnitsPerSecond"));
        return requested.readUnitsPerSecond() == null && requested.writeUnitsPerSecond() == null ? null : requested;
    }

    /** Its members' constraints (at least 1), at {@code path} (e.g. "warmThroughput"). */
    static void constrain(Constraints c, String path, WarmThroughput requested) {
        if (requested == null) return;
        c.atLeast(path + ".readUnitsPerSecond", requested.readUnitsPerSecond(), 1);
        c.atLeast(path + ".writeUnitsPerSecond", requested.writeUnitsPerSecond(), 1);
    }

    /** The table's warm throughput in force. */
    static WarmThroughput ofTable(TableMetadata table) {
        TableMetadata.Throughput provisioned = table.throughput();
        return inForce(table.options().warmThroughput(), table.billingMode(), provisioned.readCapacityUnits(),
                provisioned.writeCapacityUnits());
    }

    /** A global index's warm throughput in force, on a table billed by {@code mode}. */
    static WarmThroughput ofIndex(BillingMode mode, SecondaryIndex index) {
        SecondaryIndex.IndexThroughput provisioned = index.throughput();
        return inForce(index.warmThroughput(), mode, provisioned == null ? 0 : provisioned.readCapacityUnits(),
                provisioned == null ? 0 : provisioned.writeCapacityUnits());
    }

    private static WarmThroughput inForce(WarmThroughput floor, BillingMode mode, long read, long write) {
        boolean onDemand = mode == BillingMode.PAY_PER_REQUEST;
        return atLeast(floor, new WarmThroughput(onDemand ? ON_DEMAND_READ : read, onDemand ? ON_DEMAND_WRITE : write));
    }

    /**
     * The floor a request sets over {@code current} (the value in force), or {@code current} when it sets none.
     *
     * @throws DynamoException ValidationException for a member below the value in force
     */
    static WarmThroughput raised(WarmThroughput current, WarmThroughput requested) {
        if (requested == null) return current;
        refuseDecrease("ReadUnitsPerSecond", current.readUnitsPerSecond(), requested.readUnitsPerSecond());
        refuseDecrease("WriteUnitsPerSecond", current.writeUnitsPerSecond(), requested.writeUnitsPerSecond());
        return new WarmThroughput(
                requested.readUnitsPerSecond() == null ? current.readUnitsPerSecond() : requested.readUnitsPerSecond(),
                requested.writeUnitsPerSecond() == null ? current.writeUnitsPerSecond() : requested.writeUnitsPerSecond());
    }

    /** DynamoDB names the member and says it is "lower than current WarmThroughput" (ScyllaDB's tests, run against it). */
    private static void refuseDecrease(String member, long current, Long requested) {
        if (requested != null && requested < current) {
            throw DynamoException.invalidParameter("Requested " + member + " for WarmThroughput (" + requested
                    + ") is lower than current WarmThroughput (" + current + "): decreasing WarmThroughput is not supported");
        }
    }

    /**
     * {@code after} (the table an UpdateTable made of {@code before}) with the warm throughput that
     * was in force before kept as the floor of the table and of each global index that stays, so
     * that lowering provisioned capacity or switching billing leaves it where it was.
     */
    static TableMetadata carried(TableMetadata before, TableMetadata after) {
        WarmThroughput table = atLeast(after.options().warmThroughput(), ofTable(before));
        List<SecondaryIndex> indexes = new ArrayList<>();
        for (SecondaryIndex index : after.options().indexes()) {
            SecondaryIndex earlier = before.options().indexes().stream()
                    .filter(old -> old.id().equals(index.id()) && !old.local()).findFirst().orElse(null);
            indexes.add(earlier == null ? index : index.withWarmThroughput(atLeast(index.warmThroughput(), ofIndex(before.billingMode(), earlier))));
        }
        return after.withOptions(after.options().withWarmThroughput(table).withIndexes(indexes));
    }

    /** {@code floor} where it is higher than {@code previous} (whose members are all set), member by member. */
    private static WarmThroughput atLeast(WarmThroughput floor, WarmThroughput previous) {
        if (floor == null) return previous;
        return new WarmThroughput(
                Math.max(floor.readUnitsPerSecond() == null ? 0 : floor.readUnitsPerSecond(), previous.readUnitsPerSecond()),
                Math.max(floor.writeUnitsPerSecond() == null ? 0 : floor.writeUnitsPerSecond(), previous.writeUnitsPerSecond()));
    }

    /** DescribeTable's WarmThroughput (TableWarmThroughputDescription, GlobalSecondaryIndexWarmThroughputDescription). */
    static void write(JsonGenerator g, WarmThroughput inForce, String status) throws IOException {
        g.writeObjectFieldStart("WarmThroughput");
        g.writeNumberField("ReadUnitsPerSecond", inForce.readUnitsPerSecond());
        g.writeNumberField("WriteUnitsPerSecond", inForce.writeUnitsPerSecond());
        g.writeStringField("Status", status);
        g.writeEndObject();
    }
}
