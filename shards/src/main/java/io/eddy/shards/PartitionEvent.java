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
}
