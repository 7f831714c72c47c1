package io.eddy.shards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.typesafe.config.ConfigFactory;
import io.eddy.model.AttributeType;
import io.eddy.model.AttributeValue;
import io.eddy.model.IndexProjection;
import io.eddy.model.KeySchema;
import io.eddy.model.SecondaryIndex;
import io.eddy.model.TableMetadata;
import io.eddy.model.TableOptions;
import io.eddy.persistence.StorageKeys;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A partition reads its table's local indexes from the node's catalog once, when it starts. One
 * started before the catalog has recovered (a peer's request, a partition woken at start to settle
 * its prepared transactions) waits for it: were it to read the empty catalog, it would write its
 * items without their local index entries for as long as it runs.
 */
class PartitionStartupTest {

    private static final SecondaryIndex BY_AT = new SecondaryIndex("byAt", UUID.randomUUID(), SecondaryIndex.Kind.LOCAL,
            List.of(new KeySchema.KeyAttribute("id", AttributeType.S)), List.of(new KeySchema.KeyAttribute("at", AttributeType.S)),
            IndexProjection.ALL, SecondaryIndex.Status.ACTIVE, null, null);
    private static final TableMetadata TABLE = new TableMetadata("T", UUID.randomUUID(),
            KeySchema.hashAndRange("id", AttributeType.S, "sk", AttributeType.S),
            List.of(new TableMetadata.AttributeDefinition("id", AttributeType.S), new TableMetadata.AttributeDefinition("sk", AttributeType.S),
                    new TableMetadata.AttributeDefinition("at", AttributeType.S)),
            TableMetadata.BillingMode.PAY_PER_REQUEST, TableMetadata.Throughput.ON_DEMAND, Instant.EPOCH, Optional.empty(),
            TableMetadata.TableStatus.ACTIVE, 1, TableOptions.DEFAULTS.withIndexes(List.of(BY_AT)));

    @TempDir
    Path dataDir;

    @Test
    void aPartitionStartedBeforeTheCatalogHasRecoveredWaitsForItsLocalIndexes() throws Exception {
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "startup", ConfigFactory.load(
                ConfigFactory.parseMap(Map.of("eddy.data-dir", dataDir.toString())).withFallback(Shards.nodeConfig())));
        try {
            StorageExtension storage = StorageExtension.get(system);
            TableRegistry catalog = new TableRegistry(); // not recovered yet
            PartitionId partition = new PartitionId(TABLE.id(), 0);
            ActorRef<PartitionCommand> entity = system.systemActorOf(
                    PartitionEntity.create(partition.entityId(), storage.itemStore(), storage.recoveredPartitions(), catalog),
                    "partition", Props.empty());

            Map<String, AttributeValue> item = Map.of("id", AttributeValue.s("a"), "sk", AttributeValue.s("1"), "at", AttributeValue.s("noon"));
            byte[] key = StorageKeys.itemKey(TABLE.id(), item.get("id"), Optional.of(item.get("sk")));
            CompletableFuture<ItemReply> written = AskPattern.<PartitionCommand, ItemReply>ask(entity,
                    replyTo -> new PartitionCommand.WriteItem(key, current -> Optional.of(item), replyTo),
                    Duration.ofSeconds(30), system.scheduler()).toCompletableFuture();
            Thread.sleep(500);
            assertFalse(written.isDone(), "the write waits for the catalog");

            catalog.publish(new TreeMap<>(Map.of(TABLE.name(), TABLE)), List.of());
            assertEquals(ItemReply.Written.class, written.get(30, TimeUnit.SECONDS).getClass());
            assertEquals(1, storage.itemStore().meta(partition.indexMetaId(BY_AT.id())).itemCount(), "the item's local index entry");
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }
}
