package io.eddy.gateway;

import io.eddy.model.DynamoException;
import io.eddy.model.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.pekko.util.ByteString;

/**
 * Verifies SigV4 signatures against the credentials the node is configured with
 * ({@code eddy.auth.credentials}: access key id → secret access key), as DynamoDB's front end does:
 * an unknown access key, or a session token beside a configured (long-term) key, is
 * UnrecognizedClientException; a date more than 15 minutes from now or a credential scope of
 * another region, day or service is InvalidSignatureException, and so is a signature that is not
 * the one the request's canonical form gives.
 */
final class SigV4Verifier {

    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final Duration SKEW = Duration.ofMinutes(15);
    private static final String SERVICE = "dynamodb";
    private static final HexFormat HEX = HexFormat.of();

    private final Map<String, String> secrets;
    private final String region;

    /** @param region the node's region, the only one a credential may be scoped to */
    SigV4Verifier(Map<String, String> secrets, String region) {
        this.secrets = Map.copyOf(secrets);
        this.region = region;
    }

    /**
     * The request as it was signed: its method, path and query, each header's value (by
     * lower-case name, a repeated header's values joined by commas; null for one the request does
     * not have) and the body as sent.
     */
    record SignedRequest(String method, String path, String query, Function<String, String> header, ByteString body) {}

    /** @throws DynamoException unless the request is signed with a configured key */
    void verify(SigV4Authorization authorization, String amzDate, SignedRequest request, Instant now) {
        // The date first: an expired signature is told so whatever its key (ScyllaDB's tests, run against DynamoDB).
        Instant signed;
        try {
            signed = AMZ_DATE.parse(amzDate, Instant::from);
        } catch (DateTimeParseException e) {
            throw new DynamoException(ErrorCode.IncompleteSignatureException, "Date must be in ISO-8601 'basic format'. Got '"
                    + amzDate + "'. See http://en.wikipedia.org/wiki/ISO_8601");
        }
        if (signed.isBefore(now.minus(SKEW))) {
            throw invalid("Signature expired: " + amzDate + " is now earlier than " + AMZ_DATE.format(now.minus(SKEW)) + " ("
                    + AMZ_DATE.format(now) + " - 15 min.)");
        }
        if (signed.isAfter(now.plus(SKEW))) {
            throw invalid("Signature not yet current: " + amzDate + " is still later than " + AMZ_DATE.format(now.plus(SKEW)) + " ("
                    + AMZ_DATE.format(now) + " + 15 min.)");
        }
        String secret = secrets.get(authorization.accessKeyId());
        if (secret == null) {
            throw new DynamoException(ErrorCode.UnrecognizedClientException, "The security token included in the request is invalid.");
        }
        // Eddy's keys are long-term ones, which take no session token; DynamoDB's words here lack the period.
        if (request.header().apply("x-amz-security-token") != null) {
            throw new DynamoException(ErrorCode.UnrecognizedClientException, "The security token included in the request is invalid");
        }
        List<String> signedHeaders = List.of(authorization.signedHeaders().toLowerCase(Locale.ROOT).split(";"));
        if (!signedHeaders.contains("host")) {
            throw invalid("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
        }
        // The header that names the operation: unsigned, a captured request could be sent again as another operation.
        if (request.header().apply("x-amz-target") != null && !signedHeaders.contains("x-amz-target")) {
            throw invalid("'X-Amz-Target' must be a 'SignedHeader' in the AWS Authorization.");
        }
        // What is wrong with the credential's scope, told at once, in DynamoDB's order.
        StringBuilder scope = new StringBuilder();
        if (!region.equals(authorization.region())) scope.append("Credential should be scoped to a valid region. ");
        if (!SERVICE.equals(authorization.service())) {
            scope.append("Credential should be scoped to correct service: '").append(SERVICE).append("'. ");
        }
        if (!SigV4Authorization.TERMINATOR.equals(authorization.terminator())) {
            scope.append("Credential should be scoped with a valid terminator: '").append(SigV4Authorization.TERMINATOR)
                    .append("', not '").append(authorization.terminator()).append("'. ");
        }
        if (authorization.date().length() != 8 || !amzDate.startsWith(authorization.date())) {
            scope.append("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '")
                    .append(authorization.date()).append("' != '").append(amzDate, 0, 8).append("', from '").append(amzDate).append("'.");
        }
        if (scope.length() > 0) throw invalid(scope.toString());
        String expected = signature(secret, authorization, amzDate, request);
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                authorization.signature().getBytes(StandardCharsets.US_ASCII))) {
            throw invalid("The request signature we calculated does not match the signature you provided. Check your AWS "
                    + "Secret Access Key and signing method. Consult the service documentation for details.");
        }
    }

    /** The signature SigV4 gives the request under the secret. */
    static String signature(String secret, SigV4Authorization authorization, String amzDate, SignedRequest request) {
        String scope = authorization.date() + "/" + authorization.region() + "/" + authorization.service() + "/aws4_request";
        String stringToSign = SigV4Authorization.ALGORITHM + "\n" + amzDate + "\n" + scope + "\n"
                + HEX.formatHex(sha256(canonicalRequest(authorization.signedHeaders(), request).getBytes(StandardCharsets.UTF_8)));
        byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), authorization.date());
        key = hmac(key, authorization.region());
        key = hmac(key, authorization.service());
        key = hmac(key, "aws4_request");
        return HEX.formatHex(hmac(key, stringToSign));
    }

    /**
     * The Authorization header of an AWS JSON call this node makes (POST to /, signing the host,
     * X-Amz-Date and X-Amz-Target headers): SigV4 with the key, or, without one, a well-formed
     * header with no real signature, as services that do not check signatures still want one.
     */
    static String authorizationOf(String accessKeyId, String secretAccessKey, String region, String service, String amzDate,
                                  String host, String target, byte[] body) {
        String signedHeaders = "host;x-amz-date;x-amz-target";
        String credential = (accessKeyId == null ? "eddy" : accessKeyId) + "/" + amzDate.substring(0, 8) + "/" + region + "/" + service
                + "/aws4_request";
        if (accessKeyId == null) return SigV4Authorization.ALGORITHM + " Credential=" + credential + ", SignedHeaders=" + signedHeaders
                + ", Signature=0";
        SigV4Authorization scope = new SigV4Authorization(accessKeyId, amzDate.substring(0, 8), region, service, signedHeaders, null);
        Map<String, String> headers = Map.of("host", host, "x-amz-date", amzDate, "x-amz-target", target);
        String signature = signature(secretAccessKey, scope, amzDate, new SignedRequest("POST", "/", "", headers::get, ByteString.fromArrayUnsafe(body)));
        return SigV4Authorization.ALGORITHM + " Credential=" + credential + ", SignedHeaders=" + signedHeaders + ", Signature=" + signature;
    }

    private static String canonicalRequest(String signedHeaders, SignedRequest request) {
        StringBuilder canonical = new StringBuilder();
        canonical.append(request.method()).append('\n');
        canonical.append(request.path().isEmpty() ? "/" : request.path()).append('\n');
        canonical.append(canonicalQuery(request.query())).append('\n');
        for (String name : signedHeaders.split(";")) {
            String value = request.header().apply(name);
            canonical.append(name).append(':').append(value == null ? "" : value.trim().replaceAll("\\s+", " ")).append('\n');
        }
        canonical.append('\n').append(signedHeaders).append('\n');
        canonical.append(HEX.formatHex(sha256(request.body())));
        return canonical.toString();
    }

    /** The query's parameters sorted by name, then value (DynamoDB requests have none). */
    private static String canonicalQuery(String query) {
        if (query == null || query.isEmpty()) return "";
        String[] parameters = query.split("&");
        java.util.Arrays.sort(parameters, java.util.Comparator.comparing((String p) -> p.split("=", 2)[0])
                .thenComparing(p -> p.contains("=") ? p.split("=", 2)[1] : ""));
        StringBuilder canonical = new StringBuilder();
        for (String parameter : parameters) {
            if (canonical.length() > 0) canonical.append('&');
            canonical.append(parameter.contains("=") ? parameter : parameter + "=");
        }
        return canonical.toString();
    }

    private static DynamoException invalid(String message) {
        return new DynamoException(ErrorCode.InvalidSignatureException, message);
    }

    static byte[] sha256(byte[] data) {
        return sha256(ByteString.fromArrayUnsafe(data));
    }

    /** The digest of a body as it arrived, in its pieces: a 16 MB body is not copied to be hashed. */
    static byte[] sha256(ByteString data) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (java.nio.ByteBuffer piece : data.getByteBuffers()) digest.update(piece);
            return digest.digest();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
