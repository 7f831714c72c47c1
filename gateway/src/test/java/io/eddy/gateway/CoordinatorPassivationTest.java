package io.eddy.gateway;

import static io.eddy.gateway.TestTables.n;
import static io.eddy.gateway.TestTables.s;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Sharding passivates an entity that has had no message through its shard for the idle timeout,
 * and a coordinator's transaction runs on messages that do not pass the shard (the partitions'
 * votes, its own timers). With an idle timeout shorter than a transaction, coordinators are
 * passivated mid-transaction; each finishes its transaction before it stops.
 */
class CoordinatorPassivationTest {

    @TempDir
    Path dataDir;

    @Test
    void aCoordinatorPassivatedForIdlenessFinishesItsTransactionFirst() throws Exception {
        Map<String, Object> settings = Map.of(
                "pekko.cluster.sharding.passivation.default-idle-strategy.idle-entity.timeout", "2ms",
                "eddy.request-timeout", "30s"); // about correctness: each round restarts coordinators and partitions, slow on a loaded machine
        try (TestNode node = TestNode.start(dataDir, settings);
             DynamoDbClient ddb = TestNode.noRetryClient(node.endpoint())) {
            TestTables.create(ddb, "Counters", "id", ScalarAttributeType.S, null, null);
            for (int round = 1; round <= 40; round++) {
                String value = Integer.toString(round);
                List<TransactWriteItem> writes = List.of("a", "b", "c").stream().map(id -> TransactWriteItem.builder()
                        .put(p -> p.tableName("Counters").item(Map.of("id", s(id), "round", n(value)))).build()).toList();
                // A token per round too: a token's coordinator is the one a later request would meet.
                ddb.transactWriteItems(b -> b.transactItems(writes).clientRequestToken("round-" + value));
            }
            for (String id : List.of("a", "b", "c")) {
                assertEquals("40", ddb.getItem(b -> b.tableName("Counters").key(Map.of("id", s(id))).consistentRead(true))
                        .item().get("round").n());
            }
        }
    }
}
