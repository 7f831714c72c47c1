package io.eddy.streams;

import io.eddy.model.AttributeValue;
import io.eddy.model.StreamViewType;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One DynamoDB Streams record: a change of one item as the stream's view type shows it.
 *
 * @param eventId        stable for the same change, so at-least-once consumers can deduplicate
 * @param sequenceNumber increases within the shard (the partition's journal sequence number)
 * @param byService      a deletion made by DynamoDB itself (TTL expiry), not by a request
 */
public record StreamRecord(String eventId,
                           EventName eventName,
                           String sequenceNumber,
                           Instant approximateCreationDateTime,
                           Map<String, AttributeValue> keys,
                           Optional<Map<String, AttributeValue>> newImage,
                           Optional<Map<String, AttributeValue>> oldImage,
                           long sizeBytes,
                           StreamViewType viewType,
                           boolean byService) {

    public enum EventName { INSERT, MODIFY, REMOVE }

    /** The principal DynamoDB names as the user of service-made changes. */
    public static final String SERVICE_PRINCIPAL = "dynamodb.amazonaws.com";
}
