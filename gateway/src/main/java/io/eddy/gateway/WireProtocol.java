package io.eddy.gateway;

import com.fasterxml.jackson.core.JsonGenerator;
import io.eddy.model.AttributeValueJson;
import io.eddy.model.CancellationReason;
import io.eddy.model.DynamoException;
import io.eddy.model.ErrorCode;
import io.eddy.model.ThrottlingReason;
import java.io.IOException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.CRC32;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.headers.ContentEncoding;
import org.apache.pekko.http.javadsl.model.headers.HttpEncodings;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.util.ByteString;

/**
 * DynamoDB's JSON 1.0 response framing: every response, errors included, carries
 * {@code x-amzn-RequestId} and {@code x-amz-crc32} (the SDKs verify the CRC of the bytes sent,
 * which are the compressed bytes when the body is sent gzip-encoded).
 */
final class WireProtocol {

    static final ContentType AMZ_JSON_1_0 = ContentTypes.create(MediaTypes.applicationBinary("x-amz-json-1.0", false));
    static final ContentType JSON = ContentTypes.APPLICATION_JSON;

    private static final char[] ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".toCharArray();

    private WireProtocol() {}

    static HttpResponse response(int status, ContentType contentType, byte[] body) {
        return response(status, contentType, body, ResponseCoding.IDENTITY);
    }

    /** @param accepted the coding the client accepts ({@link ResponseCoding#of}); a body of at least 4 KB is sent with it */
    static HttpResponse response(int status, ContentType contentType, byte[] body, ResponseCoding accepted) {
        ResponseCoding coding = accepted.forBody(body.length);
        byte[] sent = coding.encode(body);
        CRC32 crc = new CRC32();
        crc.update(sent);
        HttpResponse response = HttpResponse.create()
                .withStatus(status)
                .addHeader(RawHeader.create("x-amzn-RequestId", requestId()))
                .addHeader(RawHeader.create("x-amz-crc32", Long.toString(crc.getValue())))
                // The array is never written again: wrapped, not copied.
                .withEntity(HttpEntities.create(contentType, ByteString.fromArrayUnsafe(sent)));
        return coding == ResponseCoding.IDENTITY ? response : response.addHeader(ContentEncoding.create(coding.contentEncoding()));
    }

    static HttpResponse error(ContentType contentType, DynamoException e) {
        return error(contentType, e, ResponseCoding.IDENTITY);
    }

    static HttpResponse error(ContentType contentType, DynamoException e, ResponseCoding accepted) {
        ErrorCode code = e.code();
        byte[] body = Json.object(g -> {
            g.writeStringField("__type", code.wireType());
            if (code == ErrorCode.TransactionCanceledException) {
                writeCancellation(g, e);
                return;
            }
            if (e.getMessage() != null) g.writeStringField(messageKey(code, e.item().isPresent()), e.getMessage());
            if (!e.throttlingReasons().isEmpty()) writeThrottlingReasons(g, e);
            if (e.item().isPresent()) {
                g.writeFieldName("Item");
                AttributeValueJson.writeItem(g, e.item().get());
            }
        });
        return response(code.httpStatus(), contentType, body, accepted);
    }

    /**
     * The key of an error's message: {@code message} for most, {@code Message} for the ones
     * DynamoDB's front end writes that way, as clients have recorded them: SerializationException
     * ("Start of list found where not expected"), AccessDeniedException ("User: … is not authorized
     * to perform: dynamodb:PutItem"), and dynalite's tests, recorded against DynamoDB, check both;
     * its signature errors (InvalidSignatureException, UnrecognizedClientException, …) are recorded
     * with {@code message}. TransactionCanceledException writes {@code Message} too ({@link #writeCancellation}),
     * and so does ConditionalCheckFailedException when it carries the item (ReturnValuesOnConditionCheckFailure
     * ALL_OLD; recorded by LocalStack's and moto's tests against DynamoDB: boto3 shows no {@code message} member then).
     */
    private static String messageKey(ErrorCode code, boolean withItem) {
        return withItem || code == ErrorCode.SerializationException || code == ErrorCode.AccessDeniedException ? "Message" : "message";
    }

    /**
     * TransactionCanceledException's reasons come first, each as Code, then Item, then Message, as
     * DynamoDB sends them, and then its Message.
     */
    private static void writeCancellation(JsonGenerator g, DynamoException e) throws IOException {
        g.writeArrayFieldStart("CancellationReasons");
        for (CancellationReason reason : e.cancellationReasons()) {
            g.writeStartObject();
            g.writeStringField("Code", reason.code());
            if (reason.item().isPresent()) {
                g.writeFieldName("Item");
                AttributeValueJson.writeItem(g, reason.item().get());
            }
            if (reason.message().isPresent()) g.writeStringField("Message", reason.message().get());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeStringField("Message", e.getMessage());
    }

    /**
     * The limits a throttled request met. The SDKs read them as {@code ThrottlingReasons} from a
     * ProvisionedThroughputExceededException but as {@code throttlingReasons} from a ThrottlingException.
     */
    private static void writeThrottlingReasons(JsonGenerator g, DynamoException e) throws IOException {
        g.writeArrayFieldStart(e.code() == ErrorCode.ThrottlingException ? "throttlingReasons" : "ThrottlingReasons");
        for (ThrottlingReason reason : e.throttlingReasons()) {
            g.writeStartObject();
            g.writeStringField("reason", reason.reason());
            g.writeStringField("resource", reason.resource());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /** A 52-character id like DynamoDB's. */
    static String requestId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        char[] id = new char[52];
        for (int i = 0; i < id.length; i++) id[i] = ID_CHARS[random.nextInt(ID_CHARS.length)];
        return new String(id);
    }
}
