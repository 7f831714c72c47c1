package io.eddy.gateway;

import io.eddy.model.DynamoException;
import io.eddy.model.ErrorCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.pekko.util.ByteString;

/**
 * gzip on the wire: request bodies sent with {@code Content-Encoding: gzip}, and response bodies
 * for clients that send {@code Accept-Encoding: gzip} (the Go SDK does by default). The 16 MB
 * request limit applies to the decompressed body too, so a small compressed body cannot expand
 * without bound.
 */
final class GzipCoding {

    /** DynamoDB's limit on a request body. */
    static final int MAX_REQUEST_BYTES = 16 * 1024 * 1024;
    /** Smaller responses are sent as they are: compressing a few hundred bytes saves nothing. */
    static final int MIN_COMPRESSED_RESPONSE_BYTES = 1024;

    private GzipCoding() {}

    /** Whether a Content-Encoding header value says gzip (absent, identity and others are read as plain bytes). */
    static boolean isGzip(String contentEncoding) {
        if (contentEncoding == null) return false;
        String coding = contentEncoding.trim().toLowerCase(Locale.ROOT);
        return coding.equals("gzip") || coding.equals("x-gzip");
    }

    /** Whether an Accept-Encoding header value admits gzip ({@code gzip} or {@code *} without q=0). */
    static boolean accepted(String acceptEncoding) {
        if (acceptEncoding == null) return false;
        for (String range : acceptEncoding.split(",")) {
            String[] parts = range.split(";");
            String coding = parts[0].trim().toLowerCase(Locale.ROOT);
            if (!coding.equals("gzip") && !coding.equals("x-gzip") && !coding.equals("*")) continue;
            return !zeroQuality(parts);
        }
        return false;
    }

    private static boolean zeroQuality(String[] parameters) {
        for (int i = 1; i < parameters.length; i++) {
            String parameter = parameters[i].trim();
            if (parameter.startsWith("q=")) {
                try {
                    return Double.parseDouble(parameter.substring(2)) <= 0;
                } catch (NumberFormatException e) {
                    return false;
                }
            }
        }
        return false;
    }

    /** The body a gzip-encoded request carries. */
    static ByteString decompress(ByteString body) {
        try (InputStream in = new GZIPInputStream(body.iterator().asInputStream())) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(512, body.size() * 4));
            byte[] buffer = new byte[16 * 1024];
            int n;
            while ((n = in.read(buffer)) > 0) {
                if (out.size() + n > MAX_REQUEST_BYTES) throw tooLarge();
                out.write(buffer, 0, n);
            }
            return ByteString.fromArrayUnsafe(out.toByteArray());
        } catch (IOException e) {
            throw DynamoException.serialization("The request body is not valid gzip data: " + e.getMessage());
        }
    }

    static byte[] compress(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 4 + 64);
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static DynamoException tooLarge() {
        return new DynamoException(ErrorCode.RequestEntityTooLargeException,
                "Request body exceeds the maximum allowed size of " + MAX_REQUEST_BYTES + " bytes");
    }
}
