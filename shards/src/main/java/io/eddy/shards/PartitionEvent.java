package io.eddy.shards;

import io.eddy.model.AttributeValue;
import io.eddy.persistence.ItemVersion;
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
     * by a request, by the service itself or by another region's replica ({@code origin}).
     * {@code version} is the item's new {@link ItemVersion} when the table is global (the item
     * store keeps it beside the item), null otherwise. A replicated change can leave the item as
     * it was and only record a newer version: it is not {@link #visible()}.
     */
    record ItemChanged(byte[] key,
                       Optional<Map<String, AttributeValue>> oldImage,
                       Optional<Map<String, AttributeValue>> newImage,
                       long timestampMicros,
                       ChangeOrigin origin,
                       ItemVersion version) implements PartitionEvent {

        public ItemChanged {
            if (origin == null) origin = ChangeOrigin.REQUEST;
        }

        public ItemChanged(byte[] key, Optional<Map<String, AttributeValue>> oldImage,
                           Optional<Map<String, AttributeValue>> newImage, long timestampMicros, ChangeOrigin origin) {
            this(key, oldImage, newImage, timestampMicros, origin, null);
        }

        /** Whether the change is one a reader of the change stream sees: anything but a version-only replicated change. */
        public boolean visible() {
            return origin != ChangeOrigin.REPLICATION || !oldImage.equals(newImage);
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
