package io.eddy.streams;

import com.fasterxml.jackson.core.JsonGenerator;
import io.eddy.model.AttributeValueJson;
import java.io.IOException;
import java.math.BigDecimal;

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

    public void write(JsonGenerator g, StreamRecord record, Shape shape, String streamArn) throws IOException {
        g.writeStartObject();
        g.writeStringField("eventID", record.eventId());
        g.writeStringField("eventName", record.eventName().name());
        g.writeStringField("eventVersion", "1.1");
        g.writeStringField("eventSource", "aws:dynamodb");
        g.writeStringField("awsRegion", region);
        g.writeObjectFieldStart("dynamodb");
        g.writeFieldName("ApproximateCreationDateTime");
        g.writeNumber(BigDecimal.valueOf(record.approximateCreationDateTime().toEpochMilli(), 3));
        g.writeFieldName("Keys");
        AttributeValueJson.writeItem(g, record.keys());
        if (record.newImage().isPresent()) {
            g.writeFieldName("NewImage");
            AttributeValueJson.writeItem(g, record.newImage().get());
        }
        if (record.oldImage().isPresent()) {
            g.writeFieldName("OldImage");
            AttributeValueJson.writeItem(g, record.oldImage().get());
        }
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
