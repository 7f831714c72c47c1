package io.eddy.shards;

import io.eddy.persistence.ItemStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.apache.pekko.actor.AbstractExtensionId;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Extension;
import org.apache.pekko.actor.ExtensionIdProvider;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;

/**
 * The node's one item store, opened under {@code eddy.data-dir}/items when first asked for and
 * closed when the actor system terminates. An extension, because Pekko creates persistence plugins
 * reflectively and they need a way to reach the store.
 */
public final class StorageExtension implements Extension {

    private static final Id ID = new Id();

    private final ItemStore itemStore;
    private final RecoveredPartitions recoveredPartitions = new RecoveredPartitions();
    private final ChangesInFlight changesInFlight = new ChangesInFlight();

    private StorageExtension(ExtendedActorSystem system) {
        Path dataDir = Path.of(system.settings().config().getString("eddy.data-dir"));
        long cacheBytes = system.settings().config().getBytes("eddy.item-cache-size");
        try {
            this.itemStore = ItemStore.open(dataDir.resolve("items"), cacheBytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the item store under " + dataDir, e);
        }
        system.registerOnTermination(itemStore::close);
    }

    public ItemStore itemStore() {
        return itemStore;
    }

    /** The partitions whose store reads need no actor; see {@link RecoveredPartitions}. */
    public RecoveredPartitions recoveredPartitions() {
        return recoveredPartitions;
    }

    /** The stamps of the partitions' batches on their way to the journal; see {@link ChangesInFlight}. */
    public ChangesInFlight changesInFlight() {
        return changesInFlight;
    }

    public static StorageExtension get(org.apache.pekko.actor.ActorSystem system) {
        return ID.get(system);
    }

    public static StorageExtension get(ActorSystem<?> system) {
        return ID.get(Adapter.toClassic(system));
    }

    private static final class Id extends AbstractExtensionId<StorageExtension> implements ExtensionIdProvider {
        @Override
        public StorageExtension createExtension(ExtendedActorSystem system) {
            return new StorageExtension(system);
        }

        @Override
        public Id lookup() {
            return ID;
        }
    }
}
