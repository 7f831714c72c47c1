package io.eddy.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.eddy.model.DynamoException;
import io.eddy.model.ErrorCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;

/** The bound on what a request takes once parsed, counted from its body's structure. */
class ParsedSizeTest {

    private static long bound(long values, long bytes) {
        return values * ParsedSize.PER_VALUE + bytes * ParsedSize.PER_BYTE;
    }

    private static long of(String body) {
        return ParsedSize.of(ByteString.fromString(body));
    }

    @Test
    void aValueStartsAtTheBodyOrAfterAStructuralCharacterOutsideStrings() {
        assertEquals(bound(1, 0), of(""));
        assertEquals(bound(1, 4), of("true"));
        // The body's value (the list), and one after its [ and each comma: one more than it has.
        assertEquals(bound(4, 7), of("[1,2,3]"));
        String body = "{\"a\":1,\"c\":[{\"b\":{}},2]}";
        assertEquals(bound(1 + 9, body.length()), of(body));
    }

    @Test
    void structuralCharactersInStringsAndEscapedQuotesDoNotCount() {
        assertEquals(bound(3, 14), of("{\"k\":\"{[,:]}\"}"));
        // An escaped quote does not end the string; an escaped backslash does not escape the quote after it.
        assertEquals(bound(3, 13), of("{\"k\":\"\\\",[:\"}"));
        assertEquals(bound(3, 12), of("[\"\\\\\",\"{:[\"]"));
    }

    @Test
    void aBodyInPiecesCutAnywhereCountsAsItWouldWhole() {
        Random random = new Random(7);
        String alphabet = "{}[]:,\"\\ ab1";
        for (int round = 0; round < 500; round++) {
            StringBuilder text = new StringBuilder();
            for (int i = random.nextInt(200); i > 0; i--) text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            byte[] bytes = text.toString().getBytes(StandardCharsets.US_ASCII);
            ParsedSize pieces = new ParsedSize();
            for (int at = 0; at < bytes.length; ) {
                int length = Math.min(bytes.length - at, random.nextInt(5));
                pieces.add(bytes, at, length);
                at += length;
            }
            assertEquals(ParsedSize.of(ByteString.fromArray(bytes)), pieces.bound(), text.toString());
            // A ByteString of several parts reads as one.
            ByteString parts = ByteString.emptyByteString();
            for (int at = 0; at < bytes.length; at += 3) {
                parts = parts.concat(ByteString.fromArray(bytes, at, Math.min(3, bytes.length - at)));
            }
            assertEquals(ParsedSize.of(ByteString.fromArray(bytes)), ParsedSize.of(parts), text.toString());
        }
    }

    @Test
    void aCompressedBodyIsBoundedByWhatItInflatesTo() throws IOException {
        String body = "{\"TableName\":\"T\",\"Item\":{\"id\":{\"S\":\"a,b:{\"},\"l\":{\"L\":[" + "{\"M\":{}},".repeat(1_000) + "{\"N\":\"1\"}]}}}";
        long plain = of(body);
        assertEquals(plain, GzipCoding.parsedSize(null, ByteString.fromString(body)));
        assertEquals(plain, GzipCoding.parsedSize("identity", ByteString.fromString(body)));
        assertEquals(plain, GzipCoding.parsedSize("gzip", compressed(body, true)));
        assertEquals(plain, GzipCoding.parsedSize("deflate", compressed(body, false)));
        // Failing as decoding it would: the body's coding is not what it says, or it inflates past 16 MB.
        DynamoException garbled = assertThrows(DynamoException.class, () -> GzipCoding.parsedSize("gzip", ByteString.fromString(body)));
        assertEquals(ErrorCode.InternalServerError, garbled.code());
        DynamoException unknown = assertThrows(DynamoException.class, () -> GzipCoding.parsedSize("br", ByteString.fromString(body)));
        assertEquals(ErrorCode.InternalServerError, unknown.code());
        ByteString bomb = compressed(" ".repeat(GzipCoding.MAX_REQUEST_BYTES + 1), true);
        assertEquals(ErrorCode.RequestEntityTooLargeException,
                assertThrows(DynamoException.class, () -> GzipCoding.parsedSize("gzip", bomb)).code());
    }

    private static ByteString compressed(String body, boolean gzip) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream coder = gzip ? new GZIPOutputStream(out) : new DeflaterOutputStream(out)) {
            coder.write(body.getBytes(StandardCharsets.UTF_8));
        }
        return ByteString.fromArray(out.toByteArray());
    }
}
