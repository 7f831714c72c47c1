package io.eddy.shards;

import io.eddy.model.AttributeValue;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One partition's part of a transaction once prepared: for each of its items the image before and
 * the image the commit will write (the same image for a ConditionCheck). Its items stay locked
 * until the coordinator's decision arrives, so the old images are still current at commit.
 */
public record PreparedTransaction(String transactionId, List<PreparedWrite> writes) {

    public PreparedTransaction {
        writes = List.copyOf(writes);
    }

    /** One item of a prepared transaction, with the position of its action in the client's request. */
    public record PreparedWrite(int action, byte[] key,
                                Optional<Map<String, AttributeValue>> oldImage,
                                Optional<Map<String, AttributeValue>> newImage) {

        public boolean changes() {
            return !oldImage.equals(newImage);
        }
    }
}
