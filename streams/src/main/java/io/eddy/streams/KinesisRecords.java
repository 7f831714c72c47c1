package io.eddy.streams;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.eddy.model.AttributeValue;
import io.eddy.model.AttributeValueJson;
import io.eddy.model.ItemKeys;
import io.eddy.model.ItemSize;
import io.eddy.model.TableMetadata;
import io.eddy.shards.ChangeOrigin;
import io.eddy.shards.PartitionEvent.ItemChanged;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;

/**
 * A change as DynamoDB puts it into a Kinesis data stream: the record format of Kinesis streaming
 * destinations ({@code recordFormat} application/json; both images; the creation time in
 * milliseconds, or in microseconds when the destination's precision is MICROSECOND), keyed by a
 * hash of the item's key, so that an item's changes reach one shard, in order.
 */
final class KinesisRecords {

    private static final JsonFactory JSON = new JsonFactory();

    private KinesisRecords() {}

    static KinesisLink.Record of(TableMetadata table, String region, String precision, ChangeLog.Change change) {
        ItemChanged event = change.event();
        Map<String, AttributeValue> image = event.newImage().or(event::oldImage).orElseThrow();
        Map<String, AttributeValue> keys = ItemKeys.keyOfItem(image, table.keySchema());
        String eventName = event.oldImage().isEmpty() ? "INSERT" : event.newImage().isEmpty() ? "REMOVE" : "MODIFY";
        long size = ItemSize.of(keys) + event.newImage().map(ItemSize::of).orElse(0L) + event.oldImage().map(ItemSize::of).orElse(0L);
        boolean micros = "MICROSECOND".equals(precision);
        ByteArrayOutputStream data = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(data)) {
            g.writeStartObject();
            g.writeStringField("awsRegion", region);
            g.writeStringField("eventID", UUID.nameUUIDFromBytes((change.partition().entityId() + "/" + change.sequenceNr())
                    .getBytes(StandardCharsets.UTF_8)).toString());
            g.writeStringField("eventName", eventName);
            if (event.origin() == ChangeOrigin.TIME_TO_LIVE) {
                g.writeObjectFieldStart("userIdentity");
                g.writeStringField("principalId", StreamRecord.SERVICE_PRINCIPAL);
                g.writeStringField("type", "Service");
                g.writeEndObject();
            } else {
                g.writeNullField("userIdentity");
            }
            g.writeStringField("recordFormat", "application/json");
            g.writeStringField("tableName", table.name());
            g.writeObjectFieldStart("dynamodb");
            g.writeNumberField("ApproximateCreationDateTime", micros ? event.timestampMicros() : event.timestampMicros() / 1000);
            if (micros) g.writeStringField("ApproximateCreationDateTimePrecision", "MICROSECOND");
            g.writeFieldName("Keys");
            AttributeValueJson.writeItem(g, keys);
            StreamRecordJson.writeImages(g, event.newImage(), event.oldImage());
            g.writeNumberField("SizeBytes", size);
            g.writeEndObject();
            g.writeStringField("eventSource", "aws:dynamodb");
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new KinesisLink.Record(partitionKey(event.key()), data.toByteArray());
    }

    /** The item's storage key, hashed: Kinesis takes partition keys of up to 256 characters. */
    private static String partitionKey(byte[] itemKey) {
        try {
            return HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("MD5").digest(itemKey));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
