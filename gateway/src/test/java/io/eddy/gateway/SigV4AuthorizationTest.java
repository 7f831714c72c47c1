package io.eddy.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.eddy.model.DynamoException;
import io.eddy.model.ErrorCode;
import org.junit.jupiter.api.Test;

class SigV4AuthorizationTest {

    private static final String DATE = "20260101T000000Z";

    @Test
    void readsTheCredentialScopeSignedHeadersAndSignature() {
        SigV4Authorization auth = SigV4Authorization.parse(
                "AWS4-HMAC-SHA256 Credential=AKID/20260101/eu-west-1/dynamodb/aws4_request, "
                        + "SignedHeaders=host;x-amz-date, Signature=abc123", DATE);
        assertEquals(new SigV4Authorization("AKID", "20260101", "eu-west-1", "dynamodb", "host;x-amz-date", "abc123"), auth);
    }

    @Test
    void trailingSlashesOfTheCredentialAreIgnored() {
        SigV4Authorization auth = SigV4Authorization.parse(
                "AWS4-HMAC-SHA256 Credential=k/d/r/s/aws4_request///, SignedHeaders=host, Signature=s", DATE);
        assertEquals("k", auth.accessKeyId());
        assertEquals("s", auth.service());
    }

    @Test
    void emptyElementsCountOnlyTrailingSlashesAreDropped() {
        assertEquals("", SigV4Authorization.parse(
                "AWS4-HMAC-SHA256 Credential=k//r/s/t/, SignedHeaders=host, Signature=s", DATE).date());
    }

    @Test
    void aScopeWithoutFiveElementsIsAnIncompleteSignature() {
        for (String credential : new String[] {"a/b/c/d", "a/b/c/d/e/f", "/////"}) {
            String header = "AWS4-HMAC-SHA256 Credential=" + credential + ", SignedHeaders=host, Signature=s";
            DynamoException e = assertThrows(DynamoException.class, () -> SigV4Authorization.parse(header, DATE));
            assertEquals(ErrorCode.IncompleteSignatureException, e.code());
            assertEquals("Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '"
                    + credential + "'", e.getMessage());
        }
    }

    @Test
    void anotherAlgorithmIsRefused() {
        DynamoException e = assertThrows(DynamoException.class, () -> SigV4Authorization.parse(
                "AWS4-HMAC-SHA512 Credential=k/d/r/s/t, SignedHeaders=host, Signature=s", DATE));
        assertEquals(ErrorCode.IncompleteSignatureException, e.code());
        assertEquals("Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512' (only AWS4-HMAC-SHA256 for now). ", e.getMessage());
    }

    @Test
    void parametersAreSeparatedByCommasOrWhiteSpaceAndEmptyOrNamelessPartsIgnored() {
        SigV4Authorization auth = SigV4Authorization.parse(
                "AWS4-HMAC-SHA256 ,, =x,  Credential=k/d/r/s/t  ,SignedHeaders=host;x-amz-date\t, Signature=sig ,", DATE);
        assertEquals(new SigV4Authorization("k", "d", "r", "s", "host;x-amz-date", "sig", "t"), auth);
        // As DynamoDB takes it (ScyllaDB's tests, run against it): white space alone between the parameters.
        assertEquals(new SigV4Authorization("a", "2", "3", "4", "x-amz-date;host", "123"), SigV4Authorization.parse(
                "AWS4-HMAC-SHA256 Credential=a/2/3/4/aws4_request SignedHeaders=x-amz-date;host Signature=123", DATE));
    }

    @Test
    void spaceAroundTheEqualsSignSeparatesTheNameFromItsValue() {
        DynamoException e = assertThrows(DynamoException.class, () -> SigV4Authorization.parse(
                "AWS4-HMAC-SHA256 Credential = k/d/r/s/t, SignedHeaders=host, Signature=s", DATE));
        assertEquals("Authorization header requires 'Credential' parameter. "
                + "Authorization=AWS4-HMAC-SHA256 Credential = k/d/r/s/t, SignedHeaders=host, Signature=s", e.getMessage());
    }

    @Test
    void aBlankParameterCountsAsMissing() {
        DynamoException e = assertThrows(DynamoException.class, () -> SigV4Authorization.parse(
                "AWS4-HMAC-SHA256 Credential=k/d/r/s/t, SignedHeaders=   , Signature=", DATE));
        assertEquals(ErrorCode.IncompleteSignatureException, e.code());
        assertEquals("Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. "
                + "Authorization=AWS4-HMAC-SHA256 Credential=k/d/r/s/t, SignedHeaders=   , Signature=", e.getMessage());
    }

    @Test
    void theLastOfARepeatedParameterCounts() {
        assertEquals("second", SigV4Authorization.parse(
                "AWS4-HMAC-SHA256 Credential=k/d/r/s/t, Signature=first, SignedHeaders=host, Signature=second", DATE).signature());
    }
}
