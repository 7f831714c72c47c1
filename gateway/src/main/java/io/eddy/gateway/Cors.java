package io.eddy.gateway;

import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;

/**
 * Cross-origin requests, so browser clients (the JS SDK in a page) can call Eddy as they call
 * DynamoDB: a request with an {@code Origin} header is answered with {@code
 * Access-Control-Allow-Origin: *} and the response headers the SDK reads exposed; a preflight
 * ({@code OPTIONS}) also allows the method and headers it asks for. Requests without {@code Origin}
 * get no CORS headers.
 */
final class Cors {

    // DynamoDB's list. Not x-amz-crc32: the JS SDK v2 checks it when it can read it, and a page is
    // handed the body decompressed, so a gzipped answer's checksum could never match.
    static final String EXPOSED_HEADERS = "x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,Date";
    static final String MAX_AGE_SECONDS = "172800";
    static final String DEFAULT_METHODS = "GET, POST, OPTIONS";

    private Cors() {}

    static HttpResponse decorate(RequestHeaders request, HttpResponse response) {
        if (request.origin() == null) return response;
        return response.addHeader(RawHeader.create("Access-Control-Allow-Origin", "*"))
                .addHeader(RawHeader.create("Access-Control-Expose-Headers", EXPOSED_HEADERS));
    }

    /**
     * The answer to an OPTIONS request: empty, allowing what the preflight asks for; {@link
     * #decorate} adds the origin's headers to it, as to every answer.
     */
    static HttpResponse preflight(RequestHeaders request, HttpResponse empty) {
        if (request.origin() == null) return empty;
        HttpResponse response = empty.addHeader(RawHeader.create("Access-Control-Max-Age", MAX_AGE_SECONDS))
                .addHeader(RawHeader.create("Access-Control-Allow-Methods",
                        request.requestMethod() != null ? request.requestMethod() : DEFAULT_METHODS));
        return request.requestHeaders() != null
                ? response.addHeader(RawHeader.create("Access-Control-Allow-Headers", request.requestHeaders()))
                : response;
    }
}
