package io.eddy.gateway;

import io.eddy.model.DynamoException;
import io.eddy.model.ErrorCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;
import org.apache.pekko.util.ByteString;

/**
 * Compression on the wire: request bodies sent with {@code Content-Encoding: gzip} or {@code
 * deflate}, as DynamoDB takes them, and gzip response bodies for clients that send {@code
 * Accept-Encoding: gzip} (the Go SDK does by default). The 16 MB request limit applies to the
 * decompressed body too, so a small compressed body cannot expand without bound (DynamoDB sets no
 * such limit).
 */
final class GzipCoding {

    /** DynamoDB's limit on a request body. */
    static final int MAX_REQUEST_BYTES = 16 * 1024 * 1024;

    private GzipCoding() {}

    /**
     * The body a request carries under its Content-Encoding. As DynamoDB does (ScyllaDB's Alternator
     * tests, run against it), a body that is not what its coding says, or a coding it does not
     * know, is answered 500 and nothing is done.
     */
    static ByteString decoded(String contentEncoding, ByteString body) {
        Coding coding = coding(contentEncoding);
        if (coding == Coding.IDENTITY) return body;
        // A guess at the inflated size, no more than the limit: a 16 MB body of garbage took 64 MB at once.
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(MAX_REQUEST_BYTES, Math.max(512L, body.size() * 4L)));
        inflate(body, coding, out::write);
        return ByteString.fromArrayUnsafe(out.toByteArray());
    }

    /**
     * {@link ParsedSize}'s bound for the body {@link #decoded} gives, failing as it would; a
     * compressed body is inflated for it without keeping what it inflates to.
     */
    static long parsedSize(String contentEncoding, ByteString body) {
        Coding coding = coding(contentEncoding);
        if (coding == Coding.IDENTITY) return ParsedSize.of(body);
        ParsedSize size = new ParsedSize();
        inflate(body, coding, size::add);
        return size.bound();
    }

    private enum Coding { IDENTITY, GZIP, DEFLATE }

    private static Coding coding(String contentEncoding) {
        if (contentEncoding == null) return Coding.IDENTITY;
        return switch (contentEncoding.trim().toLowerCase(Locale.ROOT)) {
            case "", "identity" -> Coding.IDENTITY;
            case "gzip", "x-gzip" -> Coding.GZIP;
            case "deflate" -> Coding.DEFLATE;
            default -> throw undecodable("the Content-Encoding " + contentEncoding + " is not supported");
        };
    }

    /** Where inflated bytes go, a buffer's worth at a time. */
    private interface Inflated {
        void write(byte[] buffer, int offset, int length);
    }

    /**
     * The body {@link #decoded} gives, inflated as it is read, for a pass that keeps none of it; for
     * a body {@link #parsedSize} took, so no longer than the limit.
     *
     * @throws IOException where the body is not what its coding says
     */
    static InputStream decodedStream(String contentEncoding, ByteString body) throws IOException {
        return stream(coding(contentEncoding), body);
    }

    private static InputStream stream(Coding coding, ByteString body) throws IOException {
        InputStream raw = body.iterator().asInputStream();
        return switch (coding) {
            case IDENTITY -> raw;
            case GZIP -> new GZIPInputStream(raw); // members may follow one another
            case DEFLATE -> new InflaterInputStream(raw); // a single zlib stream
        };
    }

    /** Inflates a gzip or zlib body into {@code out}. */
    private static void inflate(ByteString body, Coding coding, Inflated out) {
        boolean gzip = coding == Coding.GZIP;
        try (InputStream in = stream(coding, body)) {
            byte[] buffer = new byte[16 * 1024];
            long total = 0;
            int n;
            while ((n = in.read(buffer)) > 0) {
                total += n;
                if (total > MAX_REQUEST_BYTES) throw tooLarge();
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            throw undecodable("the body is not valid " + (gzip ? "gzip" : "deflate") + " data: " + e.getMessage());
        }
    }

    private static DynamoException undecodable(String why) {
        return new DynamoException(ErrorCode.InternalServerError, "The request body could not be decoded: " + why);
    }

    static DynamoException tooLarge() {
        return new DynamoException(ErrorCode.RequestEntityTooLargeException,
                "Request body exceeds the maximum allowed size of " + MAX_REQUEST_BYTES + " bytes");
    }
}
