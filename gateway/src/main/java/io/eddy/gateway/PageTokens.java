package io.eddy.gateway;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** The one form of Eddy's NextTokens: what names the next page, as URL-safe base64 without padding. */
final class PageTokens {

    private PageTokens() {}

    static String encode(String text) {
        return encode(text.getBytes(StandardCharsets.UTF_8));
    }

    static String encode(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** What the token names; empty when it is not a token Eddy made (not base64). */
    static Optional<String> decode(String token) {
        try {
            return Optional.of(new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException notBase64) {
            return Optional.empty();
        }
    }
}
