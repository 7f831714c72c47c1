package io.eddy.persistence;

import com.typesafe.config.Config;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.apache.pekko.actor.AbstractExtensionId;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Extension;
import org.apache.pekko.actor.ExtensionIdProvider;

/**
 * The node's one {@link JournalStore}, shared by its writer (the {@link GroupCommitJournal} plugin,
 * which Pekko creates reflectively) and its readers (the change streams). Opened by whichever asks
 * first, from the plugin's configuration ({@code eddy.journal}), and closed when the actor system
 * terminates, after every actor (and so every reading stream stage) has stopped.
 */
public final class JournalExtension implements Extension {

    /** Where Eddy's journal plugin is configured. */
    public static final String PLUGIN_PATH = "eddy.journal";

    private static final Id ID = new Id();

    private final ExtendedActorSystem system;
    private JournalStore store;

    private JournalExtension(ExtendedActorSystem system) {
        this.system = system;
    }

    /** The store configured by {@code pluginConfig} ({@code dir}, {@code max-batch-events}, {@code segment-size}), opened once. */
    synchronized JournalStore open(Config pluginConfig) {
        if (store == null) {
            String dir = pluginConfig.getString("dir");
            try {
                store = JournalStore.open(Path.of(dir), pluginConfig.getInt("max-batch-events"), pluginConfig.getBytes("segment-size"));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open the journal in " + dir, e);
            }
            JournalMetrics.register(store);
            JournalStore opened = store;
            system.registerOnTermination(() -> {
                JournalMetrics.unregister(opened);
                try {
                    opened.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        return store;
    }

    /** The node's journal, for reading. */
    public JournalStore store() {
        return open(system.settings().config().getConfig(PLUGIN_PATH));
    }

    public static JournalExtension get(org.apache.pekko.actor.ActorSystem system) {
        return ID.get(system);
    }

    private static final class Id extends AbstractExtensionId<JournalExtension> implements ExtensionIdProvider {
        @Override
        public JournalExtension createExtension(ExtendedActorSystem system) {
            return new JournalExtension(system);
        }

        @Override
        public Id lookup() {
            return ID;
        }
    }
}
