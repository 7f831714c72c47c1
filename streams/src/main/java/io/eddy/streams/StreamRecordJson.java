package io.eddy.streams;

import com.fasterxml.jackson.core.JsonGenerator;
import io.eddy.model.AttributeValue;
import io.eddy.model.AttributeValueJson;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * Writes stream records as JSON: the DynamoDB Streams GetRecords shape, or the shape AWS Lambda
 * hands DynamoDB triggers (the same record plus {@code eventSourceARN}, with the user identity's
 * member names in lower camel case).
 */
public final class StreamRecordJson {

    public enum Shape { STREAMS_API, LAMBDA_EVENT }

    private final String region;

    public StreamRecordJson(String region) {
        this.region = region;
    }

    /** A record's NewImage and OldImage members, each when it has the image. */
    static void writeImages(JsonGenerator g, Optional<Map<String, AttributeValue>> newImage,
                            Optional<Map<String, AttributeValue>> oldImage) throws IOException {
        if (newImage.isPresent()) {
            g.writeFieldName("NewImage");
            AttributeValueJson.writeItem(g, newImage.get());
        }
        if (oldImage.isPresent()) {
            g.writeFieldName("OldImage");
            AttributeValueJson.writeItem(g, oldImage.get());
        }
    }

    public void write(JsonGenerator g, StreamRecord record, Shape shape, String streamArn) throws IOException {
        g.writeStartObject();
        g.writeStringField("eventID", record.eventId());
        g.writeStringField("eventName", record.eventName().name());
        g.writeStringField("eventVersion", "1.1");
        g.writeStringField("eventSource", "aws:dynamodb");
        g.writeStringField("awsRegion", region);
        g.writeObjectFieldStart("dynamodb");
        g.writeFieldName("ApproximateCreationDateTime");
        // Whole seconds, as DynamoDB Streams gives it ("rounded down to the closest second").
        g.writeNumber(record.approximateCreationDateTime().getEpochSecond());
        g.writeFieldName("Keys");
        AttributeValueJson.writeItem(g, record.keys());
        writeImages(g, record.newImage(), record.oldImage());
        g.writeStringField("SequenceNumber", record.sequenceNumber());
        g.writeNumberField("SizeBytes", record.sizeBytes());
        g.writeStringField("StreamViewType", record.viewType().name());
        g.writeEndObject();
        if (record.byService()) {
            boolean lambda = shape == Shape.LAMBDA_EVENT;
            g.writeObjectFieldStart("userIdentity");
            g.writeStringField(lambda ? "type" : "Type", "Service");
            g.writeStringField(lambda ? "principalId" : "PrincipalId", StreamRecord.SERVICE_PRINCIPAL);
            g.writeEndObject();
        }
        if (shape == Shape.LAMBDA_EVENT) g.writeStringField("eventSourceARN", streamArn);
        g.writeEndObject();
    }
}
