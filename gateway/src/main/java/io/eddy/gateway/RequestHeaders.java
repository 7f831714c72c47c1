package io.eddy.gateway;

import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;

/**
 * The request headers the gateway reads, found in one pass over the request's headers; null for
 * one that is absent, the first value for one that is repeated. Pekko's {@code getHeader(name)}
 * lower-cases the name and searches the whole list for every header asked for, and a DynamoDB
 * request asked for six or seven.
 *
 * @param target          X-Amz-Target, the operation
 * @param authorization   Authorization (SigV4)
 * @param amzDate         X-Amz-Date
 * @param date            Date, which SigV4 falls back to
 * @param acceptEncoding  Accept-Encoding (a gzipped answer)
 * @param contentEncoding Content-Encoding (a gzipped request)
 * @param origin          Origin (CORS)
 * @param requestMethod   Access-Control-Request-Method (a CORS preflight)
 * @param requestHeaders  Access-Control-Request-Headers (a CORS preflight)
 */
record RequestHeaders(String target, String authorization, String amzDate, String date, String acceptEncoding,
                      String contentEncoding, String origin, String requestMethod, String requestHeaders) {

    static RequestHeaders of(HttpRequest request) {
        String target = null;
        String authorization = null;
        String amzDate = null;
        String date = null;
        String acceptEncoding = null;
        String contentEncoding = null;
        String origin = null;
        String requestMethod = null;
        String requestHeaders = null;
        for (HttpHeader header : request.getHeaders()) {
            switch (header.lowercaseName()) {
                case "x-amz-target" -> target = first(target, header);
                case "authorization" -> authorization = first(authorization, header);
                case "x-amz-date" -> amzDate = first(amzDate, header);
                case "date" -> date = first(date, header);
                case "accept-encoding" -> acceptEncoding = first(acceptEncoding, header);
                case "content-encoding" -> contentEncoding = first(contentEncoding, header);
                case "origin" -> origin = first(origin, header);
                case "access-control-request-method" -> requestMethod = first(requestMethod, header);
                case "access-control-request-headers" -> requestHeaders = first(requestHeaders, header);
                default -> { }
            }
        }
        return new RequestHeaders(target, authorization, amzDate, date, acceptEncoding, contentEncoding, origin,
                requestMethod, requestHeaders);
    }

    /** How the answer may be compressed (Accept-Encoding). */
    ResponseCoding responseCoding() {
        return ResponseCoding.of(acceptEncoding);
    }

    /** The date SigV4 signed with: X-Amz-Date, else Date. */
    String signingDate() {
        return amzDate != null ? amzDate : date;
    }

    private static String first(String found, HttpHeader header) {
        return found != null ? found : header.value();
    }
}
