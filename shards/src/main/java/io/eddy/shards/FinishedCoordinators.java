package io.eddy.shards;

import io.eddy.persistence.JournalEnvelope;
import io.eddy.persistence.JournalStore;
import io.eddy.shards.TransactionEvent.Committing;
import io.eddy.shards.TransactionEvent.Finished;
import io.eddy.shards.TransactionEvent.Started;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.pekko.serialization.Serialization;

/**
 * Forgets the journals of transaction coordinators that nothing will read again. Without a
 * ClientRequestToken every transaction has a coordinator of its own, so their journals (and ids)
 * would otherwise pile up with every transaction ever run. A coordinator's journal is no longer
 * needed once its last transaction finished — which it does only after every participant applied
 * the outcome, so none will inquire — longer than the idempotency window ago, so its token no
 * longer answers from it. Recovered without its journal, a coordinator is idle, and one that
 * inquires about an unknown transaction is told abort, as before.
 */
public final class FinishedCoordinators {

    private FinishedCoordinators() {}

    /**
     * Forgets every coordinator whose last transaction finished more than the idempotency window
     * before {@code nowMillis}, {@code batchSize} to a journal batch, until {@code stopped}; answers
     * how many it found. A coordinator that journals anything meanwhile is left alone by the journal.
     * One whose journal ends in a transaction not finished is given to {@code unfinished} (by
     * persistence id): a crash may have left it so with no participant holding the transaction,
     * so that nothing would start it again, and it would be kept (and read here) for ever.
     */
    public static int forget(JournalStore journal, Serialization serialization, long nowMillis, int batchSize,
                             BooleanSupplier stopped, Consumer<String> unfinished) {
        int found = 0;
        Map<String, Long> finished = new HashMap<>();
        for (String persistenceId : journal.persistenceIds(TransactionCoordinator.PERSISTENCE_PREFIX)) {
            if (stopped.getAsBoolean()) break;
            long highest = journal.highestSequenceNr(persistenceId);
            Object[] last = {null};
            journal.replay(persistenceId, highest, highest, 1, event ->
                    last[0] = JournalEnvelope.read(serialization, event.payload()).payload());
            if (last[0] instanceof Finished done
                    && nowMillis - done.finishedAtMillis() >= TransactionCoordinator.IDEMPOTENCY_WINDOW.toMillis()) {
                finished.put(persistenceId, highest);
                found++;
            } else if (last[0] instanceof Started || last[0] instanceof Committing) {
                unfinished.accept(persistenceId); // running already, it ignores this; recovered, it finishes
            }
            if (finished.size() >= batchSize) forgetAll(journal, finished);
        }
        forgetAll(journal, finished);
        return found;
    }

    private static void forgetAll(JournalStore journal, Map<String, Long> finished) {
        if (finished.isEmpty()) return;
        journal.forget(finished).join();
        finished.clear();
    }
}
