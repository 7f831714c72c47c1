package io.eddy.gateway;

import java.util.Optional;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
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

    static final String EXPOSED_HEADERS = "x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,x-amz-crc32,Date";
    static final String MAX_AGE_SECONDS = "172800";
    static final String DEFAULT_METHODS = "GET, POST, OPTIONS";

    private Cors() {}

    static HttpResponse decorate(HttpRequest request, HttpResponse response) {
        if (header(request, "Origin").isEmpty()) return response;
        return response.addHeader(RawHeader.create("Access-Control-Allow-Origin", "*"))
                .addHeader(RawHeader.create("Access-Control-Expose-Headers", EXPOSED_HEADERS));
    }

    /** The answer to an OPTIONS request: empty, allowing what the preflight asks for. */
    static HttpResponse preflight(HttpRequest request, HttpResponse empty) {
        HttpResponse response = decorate(request, empty);
        if (header(request, "Origin").isEmpty()) return response;
        response = response.addHeader(RawHeader.create("Access-Control-Max-Age", MAX_AGE_SECONDS))
                .addHeader(RawHeader.create("Access-Control-Allow-Methods",
                        header(request, "Access-Control-Request-Method").orElse(DEFAULT_METHODS)));
        Optional<String> headers = header(request, "Access-Control-Request-Headers");
        return headers.isPresent()
                ? response.addHeader(RawHeader.create("Access-Control-Allow-Headers", headers.get()))
                : response;
    }

    private static Optional<String> header(HttpRequest request, String name) {
        return request.getHeader(name).map(HttpHeader::value);
    }
}
