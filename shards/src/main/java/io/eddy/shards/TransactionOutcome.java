package io.eddy.shards;

import io.eddy.model.CancellationReason;
import io.eddy.model.DynamoException;
import io.eddy.shards.PreparedTransaction.PreparedWrite;
import java.util.List;

/** How a transaction ended, as its coordinator tells the request that ran it. */
public sealed interface TransactionOutcome {

    /** Applied: the images of every action (by its position in the request). */
    record Committed(List<PreparedWrite> writes) implements TransactionOutcome {}

    /** The same request, under the same ClientRequestToken, committed in the last ten minutes: nothing was done again. */
    record Replayed() implements TransactionOutcome {}

    /** Not applied: a reason per action, in request order. */
    record Cancelled(List<CancellationReason> reasons) implements TransactionOutcome {}

    /** Not applied, for a reason that is not an action's (token reused, still in progress, timeout). */
    record Failed(DynamoException error) implements TransactionOutcome {}
}
