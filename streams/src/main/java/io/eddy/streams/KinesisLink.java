package io.eddy.streams;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The node's calls to Kinesis Data Streams (the gateway makes them over HTTP, SigV4-signed), as
 * Kinesis streaming destinations need them.
 */
public interface KinesisLink {

    /** Why a destination of a node with no Kinesis endpoint is ENABLE_FAILED. */
    String NO_ENDPOINT = "Eddy streams to no Kinesis Data Streams (eddy.kinesis.endpoint is not set): the kinesis stream cannot be used";

    /** One record to put: its partition key (which shard takes it) and its data. */
    record Record(String partitionKey, byte[] data) {}

    /** Kinesis's refusal of a call (its error type and message), as against a call that could not be made. */
    final class Refused extends RuntimeException {
        public Refused(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Completes once the stream is known to exist and take records; fails with {@link Refused} when
     * Kinesis says it cannot be used, or with the error of a call that could not be made.
     */
    CompletionStage<Void> check(String streamArn);

    /**
     * Puts the records, in their order; completes with the positions (in {@code records}) of those
     * Kinesis did not take (throttled or failed), to be put again. Fails when the call failed as a whole.
     */
    CompletionStage<List<Integer>> putRecords(String streamArn, List<Record> records);
}
