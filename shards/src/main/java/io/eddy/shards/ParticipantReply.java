package io.eddy.shards;

import io.eddy.model.AttributeValue;
import io.eddy.model.CancellationReason;
import io.eddy.shards.PreparedTransaction.PreparedWrite;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A partition's answers to the transactional commands (prepare, resolve, read, confirm). */
public sealed interface ParticipantReply {

    /** The partition that answers (its entity id). */
    String partition();

    /** Every action passed its checks; the items are locked and the writes decided. */
    record Prepared(String partition, String transactionId, List<PreparedWrite> writes) implements ParticipantReply {}

    /** At least one action failed; nothing was locked. A reason per action, in the order sent. */
    record Refused(String partition, String transactionId, List<CancellationReason> reasons) implements ParticipantReply {}

    /** The transaction is committed or aborted here (or was never prepared here). */
    record Resolved(String partition, String transactionId) implements ParticipantReply {}

    /** The items read, in the order asked (empty where there is none). */
    record ItemsRead(String partition, List<Optional<Map<String, AttributeValue>>> items) implements ParticipantReply {}

    /** Some items are held by prepared transactions: their positions in the order asked. */
    record ReadRefused(String partition, Set<Integer> locked) implements ParticipantReply {}

    /**
     * The positions (in the order first asked) of the watched items that changed since they were
     * read; empty when the watch is gone (expired, or the partition restarted), so that any of
     * them may have changed.
     */
    record ReadConfirmed(String partition, Optional<Set<Integer>> changed) implements ParticipantReply {}
}
