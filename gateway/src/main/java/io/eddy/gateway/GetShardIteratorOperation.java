package io.eddy.gateway;

import io.eddy.model.DynamoException;
import io.eddy.streams.DynamoStreams;
import io.eddy.streams.DynamoStreams.IteratorType;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** DynamoDB Streams GetShardIterator: TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER. */
final class GetShardIteratorOperation implements Operation {

    private static final List<String> TYPES = List.of("TRIM_HORIZON", "LATEST", "AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER");

    private final DynamoStreams streams;

    GetShardIteratorOperation(DynamoStreams streams) {
        this.streams = streams;
    }

    @Override
    public CompletionStage<byte[]> handle(RequestBody request) {
        String arn = request.string("StreamArn");
        String shardId = request.string("ShardId");
        String type = request.string("ShardIteratorType");
        String sequenceNumber = request.string("SequenceNumber");
        Constraints c = new Constraints();
        c.notNull("streamArn", arn);
        StreamOperations.arnLength(c, "streamArn", arn);
        c.notNull("shardId", shardId);
        StreamOperations.shardIdLength(c, "shardId", shardId);
        c.notNull("shardIteratorType", type);
        c.oneOf("shardIteratorType", type, TYPES);
        c.stringLengthAtLeast("sequenceNumber", sequenceNumber, 21);
        c.stringLengthAtMost("sequenceNumber", sequenceNumber, 40);
        c.throwIfAny();

        IteratorType iteratorType = IteratorType.valueOf(type);
        boolean needsNumber = iteratorType == IteratorType.AT_SEQUENCE_NUMBER || iteratorType == IteratorType.AFTER_SEQUENCE_NUMBER;
        if (needsNumber && sequenceNumber == null) {
            throw DynamoException.validation("Must specify SequenceNumber for ShardIteratorType " + type);
        }
        if (!needsNumber && sequenceNumber != null) {
            throw DynamoException.validation("SequenceNumber must not be specified for ShardIteratorType " + type);
        }
        String iterator = streams.shardIterator(arn, shardId, iteratorType, Optional.ofNullable(sequenceNumber));
        return CompletableFuture.completedFuture(Json.object(g -> g.writeStringField("ShardIterator", iterator)));
    }
}
