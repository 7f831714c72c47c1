package io.eddy.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which coding an Accept-Encoding asks for, as DynamoDB chooses it (ScyllaDB's tests, run against it). */
class ResponseCodingTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            "NULL|IDENTITY", "''|IDENTITY", "identity|IDENTITY", "br|IDENTITY", "x-gzip|IDENTITY", "compress|IDENTITY",
            "gzip|GZIP", "deflate|DEFLATE", "GZIP, identity|GZIP", "dog, gzip ,, cat|GZIP",
            // The first named wins a tie; a higher quality wins.
            "'gzip, deflate'|GZIP", "'br, identity, deflate, gzip'|DEFLATE", "'gzip;q=0.8, deflate;q=0.5'|GZIP",
            "'br, gzip;q=0, deflate; q = 0.5 , identity;q=0'|DEFLATE",
            // * stands for both, gzip first; a coding named outright wins a tie with it.
            "*|GZIP", "'*, deflate;q=0.5'|GZIP", "'*, deflate'|DEFLATE", "'*, identity'|GZIP", "'*, gzip;q=0.5'|DEFLATE",
            "gzip ;q=0|IDENTITY", "*;q=0|IDENTITY", "'*;q=0.5,identity'|GZIP", "'gzip;q=0.5,identity;q=0.8'|GZIP",
            "'br;q=0.8,identity;q=0.5,*;q=0'|IDENTITY",
            // Malformed values, taken as DynamoDB takes them.
            "'\"gzip\"'|IDENTITY", "gzip br|IDENTITY", "gzip:q=1|IDENTITY", "'deflate;q=0.5, gzip;q=31'|GZIP",
            "'gzip;q=31,deflate;q=51'|GZIP", "'deflate;q=0.5, gzip;q=0.2'|DEFLATE", "'deflate;q=0.5, gzip;q=1;q=0.2'|GZIP",
            "'deflate;q=0.5,gzip;q=0.'|DEFLATE", "'deflate;q=0.5,gzip;q=0.x'|GZIP", "'deflate;q=-0.5,gzip;q=0.2'|GZIP",
            "'gzip;nq=1;q=0 '|IDENTITY", "'gzip;q=0, gzip;q=1, gzip;q=0'|GZIP", "'br,identity;q=0.5,gzip;q=0.0001'|GZIP"})
    void chosenAsDynamoDbChoosesIt(String acceptEncoding, ResponseCoding expected) {
        assertEquals(expected, ResponseCoding.of(acceptEncoding), acceptEncoding);
    }

    @ParameterizedTest
    @CsvSource({"4095, IDENTITY", "4096, GZIP"})
    void onlyBodiesOfFourKilobytesOrMoreAreCompressed(int length, ResponseCoding expected) {
        assertEquals(expected, ResponseCoding.GZIP.forBody(length));
    }
}
