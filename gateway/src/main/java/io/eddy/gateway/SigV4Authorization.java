package io.eddy.gateway;

import io.eddy.model.DynamoException;
import io.eddy.model.ErrorCode;
import java.util.HashMap;
import java.util.Map;

/**
 * The parts of an {@code Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…}
 * header, checked as DynamoDB's front end checks them, in the same order and with the same
 * messages. Without configured credentials Eddy accepts any access key once the header is well
 * formed, as DynamoDB Local does; with them, {@link SigV4Verifier} checks the signature.
 */
record SigV4Authorization(String accessKeyId, String date, String region, String service, String signedHeaders, String signature,
                          String terminator) {

    static final String ALGORITHM = "AWS4-HMAC-SHA256";
    static final String TERMINATOR = "aws4_request";

    /** One whose credential scope ends as it should ({@link #TERMINATOR}). */
    SigV4Authorization(String accessKeyId, String date, String region, String service, String signedHeaders, String signature) {
        this(accessKeyId, date, region, service, signedHeaders, signature, TERMINATOR);
    }

    /**
     * @param header    the Authorization header, or null
     * @param amzDate   X-Amz-Date (or Date) header, or null
     */
    static SigV4Authorization parse(String header, String amzDate) {
        if (header == null || !header.trim().startsWith("AWS4-")) {
            throw new DynamoException(ErrorCode.MissingAuthenticationTokenException, "Request is missing Authentication Token");
        }
        String trimmed = header.trim();
        int space = trimmed.indexOf(' ');
        String algorithm = space < 0 ? trimmed : trimmed.substring(0, space);
        Map<String, String> params = new HashMap<>(8);
        // Parameters are separated by commas or white space, or both: DynamoDB takes "Credential=… SignedHeaders=…"
        // (ScyllaDB's tests, run against it; dynalite's split, recorded against it, is the same). Every request
        // passes here: the parts are found in place rather than split into copies.
        for (int start = space + 1; space > 0 && start < trimmed.length(); ) {
            int end = start;
            while (end < trimmed.length() && !separates(trimmed.charAt(end))) end++;
            int eq = start;
            while (eq < end && trimmed.charAt(eq) != '=') eq++;
            if (eq > start && eq < end) params.put(trimmed.substring(start, eq), trimmed.substring(eq + 1, end));
            start = end + 1;
        }
        StringBuilder missing = new StringBuilder();
        for (String required : new String[] {"Credential", "Signature", "SignedHeaders"}) {
            String value = params.get(required);
            if (value == null || value.isEmpty()) {
                missing.append("Authorization header requires '").append(required).append("' parameter. ");
            }
        }
        if (amzDate == null) {
            missing.append("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ");
        }
        if (missing.length() > 0) {
            throw new DynamoException(ErrorCode.IncompleteSignatureException, missing + "Authorization=" + header);
        }
        if (!ALGORITHM.equals(algorithm)) {
            throw new DynamoException(ErrorCode.IncompleteSignatureException,
                    "Unsupported AWS 'algorithm': '" + algorithm + "' (only AWS4-HMAC-SHA256 for now). ");
        }
        String credential = params.get("Credential");
        String[] scope = withoutTrailingSlashes(credential).split("/", -1);
        if (scope.length != 5) {
            throw new DynamoException(ErrorCode.IncompleteSignatureException,
                    "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '"
                            + credential + "'");
        }
        return new SigV4Authorization(scope[0], scope[1], scope[2], scope[3], params.get("SignedHeaders"), params.get("Signature"),
                scope[4]);
    }

    /** A comma, or a character {@link String#trim} removes. */
    private static boolean separates(char c) {
        return c == ',' || c <= ' ';
    }

    /** Every request passes here: a regex ({@code replaceAll("/+$", "")}) was compiled for each one. */
    private static String withoutTrailingSlashes(String credential) {
        int end = credential.length();
        while (end > 0 && credential.charAt(end - 1) == '/') end--;
        return credential.substring(0, end);
    }
}
