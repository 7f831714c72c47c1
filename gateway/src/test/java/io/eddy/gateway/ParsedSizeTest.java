package io.eddy.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.model.DynamoException;
import io.eddy.model.ErrorCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;

/** The bound on what a request takes once parsed, counted from its body's structure. */
class ParsedSizeTest {

    private static long bound(long values, long bytes) {
        return (values + 1) * ParsedSize.PER_VALUE + bytes * ParsedSize.PER_BYTE;
    }

    private static long of(String body) {
        return ParsedSize.of(ByteString.fromString(body));
    }

    /** The values (and field names) counted in {@code body} as it is encoded. */
    private static long values(byte[] body) {
        return (ParsedSize.of(ByteString.fromArray(body)) - body.length * ParsedSize.PER_BYTE) / ParsedSize.PER_VALUE - 1;
    }

    @Test
    void aValueOrNameStartsAtTheBodyOrAfterAStructuralCharacter() {
        assertEquals(bound(0, 0), of(""));
        assertEquals(bound(1, 4), of("true"));
        assertEquals(bound(4, 9), of("[1, 2,\n3]"));
        // {, "a", 1, "c", [, {, "b", {}, 2
        String body = "{\"a\":1,\"c\":[{\"b\":{}},2]}";
        assertEquals(bound(9, body.length()), of(body));
    }

    @Test
    void structuralCharactersInStringsAndEscapedQuotesDoNotCount() {
        assertEquals(bound(3, 14), of("{\"k\":\"{[,:]}\"}"));
        // An escaped quote does not end the string; an escaped backslash does not escape the quote after it.
        assertEquals(bound(3, 13), of("{\"k\":\"\\\",[:\"}"));
        assertEquals(bound(3, 12), of("[\"\\\\\",\"{:[\"]"));
    }

    @Test
    void onlyWhatJacksonWouldBuildCounts() {
        // Separators with no value between them fail the parse at once.
        assertEquals(bound(1, 10_002), of("[" + ",".repeat(10_000) + "]"));
        assertEquals(bound(2, 10_002), of("[" + "1 ".repeat(5_000) + "]"));
        // Nothing after the first value is read.
        String item = "{\"a\":1}";
        String trailing = ",[]".repeat(10_000) + "{}".repeat(1_000);
        assertEquals(bound(3, item.length() + trailing.length()), of(item + trailing));
        // A scalar as the body's value is all that is read too.
        assertEquals(bound(1, 20_001), of("0" + ",0".repeat(10_000)));
        assertEquals(bound(1, 7_003), of("\"a\"" + " \"b\":1,".repeat(1_000)));
        // Nesting deeper than the parser's limit fails where it passes it.
        int limit = io.eddy.model.AttributeValueJson.factory().streamReadConstraints().getMaxNestingDepth();
        assertEquals(bound(limit + 1, 100_000), of("[".repeat(100_000)));
    }

    @Test
    void aUtf8ByteOrderMarkIsSkippedAsJacksonSkipsIt() {
        byte[] plain = ("[" + "{},".repeat(1_000) + "{}]").getBytes(StandardCharsets.UTF_8);
        byte[] marked = new byte[plain.length + 3];
        marked[0] = (byte) 0xEF;
        marked[1] = (byte) 0xBB;
        marked[2] = (byte) 0xBF;
        System.arraycopy(plain, 0, marked, 3, plain.length);
        assertEquals(1_002, values(plain));
        assertEquals(1_002, values(marked));
        assertEquals(1_002, inPieces(marked, new Random(3)));
    }

    @Test
    void aBodyInUtf16OrUtf32IsCountedByItsCharacters() {
        // U+4E22 is the bytes 22 4E in UTF-16LE: read as UTF-8, its 22 would pass for a quote and hide what follows.
        String json = "[\"\u4e22\"" + ",{}".repeat(1_000) + ",\"a,b:{\\\"\"]";
        long expected = values(json.getBytes(StandardCharsets.UTF_8));
        assertEquals(1_003, expected);
        for (String charset : List.of("UTF-16LE", "UTF-16BE", "UTF-16", "UTF-32LE", "UTF-32BE")) {
            byte[] encoded = json.getBytes(java.nio.charset.Charset.forName(charset));
            assertEquals(expected, values(encoded), charset);
            byte[] marked = ("\ufeff" + json).getBytes(java.nio.charset.Charset.forName(charset));
            assertEquals(expected, values(marked), charset + " with a byte-order mark");
            assertEquals(expected, inPieces(encoded, new Random(charset.hashCode())), charset + " in pieces");
        }
    }

    @Test
    void aBodyInPiecesCutAnywhereCountsAsItWouldWhole() {
        Random random = new Random(7);
        String alphabet = "{}[]:,\"\\ ab1";
        for (int round = 0; round < 500; round++) {
            StringBuilder text = new StringBuilder();
            for (int i = random.nextInt(200); i > 0; i--) text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            byte[] bytes = text.toString().getBytes(StandardCharsets.US_ASCII);
            assertEquals(values(bytes), inPieces(bytes, random), text.toString());
            // A ByteString of several parts reads as one.
            ByteString parts = ByteString.emptyByteString();
            for (int at = 0; at < bytes.length; at += 3) {
                parts = parts.concat(ByteString.fromArray(bytes, at, Math.min(3, bytes.length - at)));
            }
            assertEquals(ParsedSize.of(ByteString.fromArray(bytes)), ParsedSize.of(parts), text.toString());
        }
    }

    /** The values counted when the body comes in pieces of 0 to 4 bytes. */
    private static long inPieces(byte[] bytes, Random random) {
        ParsedSize pieces = new ParsedSize();
        for (int at = 0; at < bytes.length; ) {
            int length = Math.min(bytes.length - at, random.nextInt(5));
            pieces.add(bytes, at, length);
            at += length;
        }
        return (pieces.bound() - bytes.length * ParsedSize.PER_BYTE) / ParsedSize.PER_VALUE - 1;
    }

    /**
     * The bound is above what the worst shapes measured took (retained heap of tree, items and body
     * per body byte, Jackson 2.20, compressed references: architecture.md, "Request memory"), with
     * room for what parsing them takes for a while.
     */
    @Test
    void theBoundIsAboveWhatTheWorstShapesWereMeasuredToTake() {
        Map<String, Double> measured = Map.of(
                "{\"M\":{}},", 50.0,
                "{\"L\":[]},", 33.1,
                "{\"N\":\"1\"},", 31.5,
                "{\"NULL\":true},", 17.0,
                "\"10000\",", 20.4,
                "\"AAAB\",", 24.7,
                "{},", 29.1);
        measured.forEach((element, perByte) -> {
            String body = "[" + element.repeat(10_000) + "0]";
            double bound = of(body) / (double) body.length();
            assertTrue(bound > 1.4 * perByte, element + ": " + bound + " a byte against " + perByte + " measured");
        });
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
