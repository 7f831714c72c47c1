package io.eddy.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.pekko.http.javadsl.model.headers.HttpEncoding;
import org.apache.pekko.http.javadsl.model.headers.HttpEncodings;

/**
 * How a response body is sent: as it is, gzip or deflate (zlib), chosen from the request's
 * Accept-Encoding as DynamoDB chooses (ScyllaDB's tests, run against it): gzip and deflate only
 * (not x-gzip), the highest non-zero quality winning, a coding named outright before one only a
 * {@code *} stands for, then the first named (gzip, for {@code *} alone); a quality over 1 counts
 * as 1, one that is no number as 1, and of several in a range the first. A body under
 * {@link #MIN_COMPRESSED_BYTES} is always sent as it is.
 */
enum ResponseCoding {
    IDENTITY, GZIP, DEFLATE;

    /** DynamoDB compresses bodies of 4 KB and more (a 4,094-byte body is sent as it is, a 4,117-byte one compressed). */
    static final int MIN_COMPRESSED_BYTES = 4096;

    /** The coding an Accept-Encoding header value (null when absent) asks for. */
    static ResponseCoding of(String acceptEncoding) {
        if (acceptEncoding == null) return IDENTITY;
        double[] named = {-1, -1}; // GZIP, DEFLATE: the best quality a range naming it gives, -1 when none does
        int[] firstNamed = {Integer.MAX_VALUE, Integer.MAX_VALUE};
        double anyCoding = -1;
        String[] ranges = acceptEncoding.split(",");
        for (int i = 0; i < ranges.length; i++) {
            String[] parts = ranges[i].split(";");
            double quality = quality(parts);
            switch (parts[0].trim().toLowerCase(Locale.ROOT)) {
                case "gzip" -> { named[0] = Math.max(named[0], quality); firstNamed[0] = Math.min(firstNamed[0], i); }
                case "deflate" -> { named[1] = Math.max(named[1], quality); firstNamed[1] = Math.min(firstNamed[1], i); }
                case "*" -> anyCoding = Math.max(anyCoding, quality);
                default -> { }
            }
        }
        double gzip = named[0] >= 0 ? named[0] : anyCoding;
        double deflate = named[1] >= 0 ? named[1] : anyCoding;
        if (gzip <= 0 && deflate <= 0) return IDENTITY;
        if (gzip != deflate) return gzip > deflate ? GZIP : DEFLATE;
        boolean gzipNamed = named[0] >= 0;
        boolean deflateNamed = named[1] >= 0;
        if (gzipNamed != deflateNamed) return gzipNamed ? GZIP : DEFLATE;
        return firstNamed[1] < firstNamed[0] ? DEFLATE : GZIP;
    }

    /** A range's quality: its first {@code q} parameter, 1 without one. */
    private static double quality(String[] parts) {
        for (int i = 1; i < parts.length; i++) {
            int equals = parts[i].indexOf('=');
            if (equals < 0 || !parts[i].substring(0, equals).trim().equalsIgnoreCase("q")) continue;
            try {
                double quality = Double.parseDouble(parts[i].substring(equals + 1).trim());
                return Double.isNaN(quality) ? 1 : Math.max(0, Math.min(1, quality));
            } catch (NumberFormatException e) {
                return 1;
            }
        }
        return 1;
    }

    /** The coding a body of {@code length} bytes is sent with. */
    ResponseCoding forBody(int length) {
        return length >= MIN_COMPRESSED_BYTES ? this : IDENTITY;
    }

    /** The Content-Encoding header's value; null for IDENTITY. */
    HttpEncoding contentEncoding() {
        return switch (this) {
            case IDENTITY -> null;
            case GZIP -> HttpEncodings.GZIP;
            case DEFLATE -> HttpEncodings.DEFLATE;
        };
    }

    /** The body as sent. */
    byte[] encode(byte[] body) {
        if (this == IDENTITY) return body;
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 4 + 64);
        try (OutputStream encoder = this == GZIP ? new GZIPOutputStream(out) : new DeflaterOutputStream(out)) {
            encoder.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
