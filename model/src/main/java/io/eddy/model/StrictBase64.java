package io.eddy.model;

import java.util.Base64;

/**
 * Base64 as DynamoDB's front end accepts it for blobs: standard alphabet, padded to a multiple of
 * four, and no stray bits in the last character (so every byte string has exactly one accepted
 * encoding, which keeps binary set duplicate checks honest). Violations are SerializationExceptions
 * with the messages DynamoDB sends, typo included ("dectected").
 */
final class StrictBase64 {
    private StrictBase64() {}

    private static final String BAD_LAST_CHARACTER = "Invalid last non-pad Base64 character dectected";

    static Bytes decode(String text) {
        check(text);
        return Bytes.wrap(Base64.getDecoder().decode(text));
    }

    static void check(String text) {
        int length = text.length();
        if (length % 4 != 0) {
            throw DynamoException.serialization(
                    "Base64 encoded length is expected a multiple of 4 bytes but found: " + length);
        }
        int padding = 0;
        while (padding < length && text.charAt(length - 1 - padding) == '=') padding++;
        int dataLength = length - padding;
        for (int i = 0; i < dataLength; i++) {
            char c = text.charAt(i);
            if (c == '=') throw DynamoException.serialization(BAD_LAST_CHARACTER);
            if (sextet(c) < 0) throw DynamoException.serialization("Invalid Base64 character: '" + c + "'");
        }
        if (padding == 0) return;
        if (padding > 2) throw DynamoException.serialization(BAD_LAST_CHARACTER);
        // With one pad character the last data character carries 2 unused bits, with two it carries 4.
        int unusedBitsMask = padding == 1 ? 0x3 : 0xF;
        if ((sextet(text.charAt(dataLength - 1)) & unusedBitsMask) != 0) {
            throw DynamoException.serialization(BAD_LAST_CHARACTER);
        }
    }

    private static int sextet(char c) {
        if (c >= 'A' && c <= 'Z') return c - 'A';
        if (c >= 'a' && c <= 'z') return c - 'a' + 26;
        if (c >= '0' && c <= '9') return c - '0' + 52;
        if (c == '+') return 62;
        if (c == '/') return 63;
        return -1;
    }
}
