package io.eddy.shards;

import java.util.List;

/** What a {@link TransactionCoordinator} journals about each transaction it runs. */
public sealed interface TransactionEvent {

    /** The transaction is about to ask these partitions to prepare. */
    record Started(String transactionId, String requestHash, List<String> participants) implements TransactionEvent {
        public Started {
            participants = List.copyOf(participants);
        }
    }

    /**
     * Every participant prepared: the transaction commits, whatever happens next. The decision's
     * time (epoch micros) is the transaction's moment for point-in-time reads, whenever each
     * participant journals its writes; 0 when journaled before it was recorded.
     */
    record Committing(String transactionId, long committedAtMicros) implements TransactionEvent {}

    /** Every participant has applied the outcome (the commit, or the abort). */
    record Finished(String transactionId, boolean committed, long finishedAtMillis) implements TransactionEvent {}
}
