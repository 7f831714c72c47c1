package io.eddy.streams;

import io.eddy.model.AttributeValue;
import io.eddy.model.ItemSize;
import io.eddy.model.ItemKeys;
import io.eddy.model.StreamViewType;
import io.eddy.model.TableMetadata;
import io.eddy.shards.ChangeOrigin;
import io.eddy.shards.PartitionEvent.ItemChanged;
import io.eddy.streams.StreamRecord.EventName;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Turns journaled changes into stream records of a view type. */
final class StreamRecords {

    private StreamRecords() {}

    static StreamRecord of(TableMetadata table, StreamViewType viewType, String shardId, long sequenceNr, ItemChanged change) {
        Map<String, AttributeValue> image = change.newImage().or(change::oldImage).orElseThrow();
        Map<String, AttributeValue> keys = ItemKeys.keyOfItem(image, table.keySchema());
        EventName name = change.oldImage().isEmpty() ? EventName.INSERT
                : change.newImage().isEmpty() ? EventName.REMOVE : EventName.MODIFY;
        Optional<Map<String, AttributeValue>> newImage = viewType.includesNewImage() ? change.newImage() : Optional.empty();
        Optional<Map<String, AttributeValue>> oldImage = viewType.includesOldImage() ? change.oldImage() : Optional.empty();
        long size = ItemSize.of(keys) + newImage.map(ItemSize::of).orElse(0L) + oldImage.map(ItemSize::of).orElse(0L);
        String sequenceNumber = StreamNames.sequenceNumber(sequenceNr);
        String eventId = UUID.nameUUIDFromBytes((shardId + "/" + sequenceNumber).getBytes(StandardCharsets.UTF_8))
                .toString().replace("-", "");
        Instant created = Instant.EPOCH.plusNanos(change.timestampMicros() * 1000);
        return new StreamRecord(eventId, name, sequenceNumber, created, keys, newImage, oldImage, size, viewType,
                change.origin() == ChangeOrigin.TIME_TO_LIVE);
    }
}
