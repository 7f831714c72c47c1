package io.eddy.loadtests;

import static io.gatling.javaapi.http.HttpDsl.http;

import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * The endpoint under test and SigV4 signing of DynamoDB JSON requests. Settings are system
 * properties: {@code endpoint} (default http://127.0.0.1:8000), {@code region} (us-east-1),
 * {@code accessKey}/{@code secretKey} (dev/dev, which Eddy and DynamoDB Local accept).
 */
final class DynamoEndpoint {

    static final URI ENDPOINT = URI.create(System.getProperty("endpoint", "http://127.0.0.1:8000"));
    static final String REGION = System.getProperty("region", "us-east-1");
    private static final AwsCredentialsIdentity CREDENTIALS = AwsCredentialsIdentity.create(
            System.getProperty("accessKey", "dev"), System.getProperty("secretKey", "dev"));
    private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();
    private static final String CONTENT_TYPE = "application/x-amz-json-1.0";

    private DynamoEndpoint() {}

    static HttpProtocolBuilder protocol() {
        return http.baseUrl(ENDPOINT.toString())
                .contentTypeHeader(CONTENT_TYPE)
                .acceptHeader("*/*")
                .shareConnections();
    }

    /**
     * The headers the signer adds. All three must be sent: the signature covers
     * x-amz-content-sha256 too (SignedHeaders lists it), so a server that verifies signatures
     * rejects a request without it.
     */
    record SignedHeaders(String amzDate, String contentSha256, String authorization) {}

    static SignedHeaders sign(String operation, byte[] body) {
        SdkHttpRequest request = SdkHttpRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(ENDPOINT)
                .encodedPath("/")
                .putHeader("Content-Type", CONTENT_TYPE)
                .putHeader("X-Amz-Target", "DynamoDB_20120810." + operation)
                .build();
        SignedRequest signed = SIGNER.sign(r -> r.identity(CREDENTIALS)
                .request(request)
                .payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "dynamodb")
                .putProperty(AwsV4HttpSigner.REGION_NAME, REGION)
                .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false));
        return new SignedHeaders(signed.request().firstMatchingHeader("X-Amz-Date").orElseThrow(),
                signed.request().firstMatchingHeader("x-amz-content-sha256").orElseThrow(),
                signed.request().firstMatchingHeader("Authorization").orElseThrow());
    }

    /**
     * Signs the body in session attribute "body" for operation "op", leaving the headers Gatling
     * must send in "amzDate", "contentSha256" and "authorization".
     */
    static Session sign(Session session) {
        SignedHeaders headers = sign(session.getString("op"), session.getString("body").getBytes(StandardCharsets.UTF_8));
        return session.set("amzDate", headers.amzDate()).set("contentSha256", headers.contentSha256())
                .set("authorization", headers.authorization());
    }

    private static final HttpClient SETUP_CLIENT = HttpClient.newHttpClient();

    /** One signed call outside the measured load (setup); returns the status and body. */
    static String call(String operation, String body) {
        SignedHeaders headers = sign(operation, body.getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(ENDPOINT)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", CONTENT_TYPE)
                .header("X-Amz-Target", "DynamoDB_20120810." + operation)
                .header("X-Amz-Date", headers.amzDate())
                .header("x-amz-content-sha256", headers.contentSha256())
                .header("Authorization", headers.authorization())
                .build();
        try {
            HttpResponse<String> response = SETUP_CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() + " " + response.body();
        } catch (Exception e) {
            throw new IllegalStateException(operation + " failed: " + e, e);
        }
    }
}
