package io.eddy.shards;

import io.eddy.model.AttributeValue;
import java.util.Map;
import java.util.Optional;

/**
 * What a partition journals. Events carry full images, never expressions, so replay is
 * deterministic and idempotent and stream consumers get old and new images for free.
 */
public sealed interface PartitionEvent {

    /**
     * An item was created (no old image), replaced, or deleted (no new image), at
     * {@code timestampMicros} (epoch microseconds, never decreasing within a running partition),
     * by a request or by the service itself ({@code origin}).
     */
    record ItemChanged(byte[] key,
                       Optional<Map<String, AttributeValue>> oldImage,
                       Optional<Map<String, AttributeValue>> newImage,
                       long timestampMicros,
                       ChangeOrigin origin) implements PartitionEvent {

        public ItemChanged {
            if (origin == null) origin = ChangeOrigin.REQUEST;
        }
    }


    /**
     * This partition's part of a transaction passed its checks: its writes are decided and its
     * items locked until the transaction is resolved. Nothing is visible to readers yet.
     */
    record TransactionPrepared(PreparedTransaction transaction) implements PartitionEvent {}

    /**
     * A prepared transaction is over and its locks released: committed (its writes were journaled
     * as the {@code changes} {@link ItemChanged} events just before this one, in the same atomic
     * journal write; {@code committedAtMicros} is when the coordinator decided it, the moment a
     * point-in-time read places them at, whatever their own timestamps) or aborted. Events
     * journaled before those two were recorded read as 0 for both.
     */
    record TransactionResolved(String transactionId, boolean committed, long committedAtMicros, int changes)
            implements PartitionEvent {}
}
