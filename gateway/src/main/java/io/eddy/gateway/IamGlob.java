package io.eddy.gateway;

import java.util.Arrays;

/**
 * An IAM wildcard pattern ({@code *} any run of characters, {@code ?} any one), matched without a
 * regular expression: {@code *a*a*a*b} as a regex backtracks exponentially in the stars on a
 * long run of {@code a}s (five stars took over a minute on a 200-character key), and a policy is
 * written by a user while the keys it is matched against come with requests. This matcher keeps
 * only the last star to return to, so a match costs at most the product of the lengths.
 */
final class IamGlob {

    private static final char ANY_RUN = '*';
    private static final char ANY_ONE = '?';

    /** The pattern's characters; where {@link #wild} is set, the wildcard written there. */
    private final char[] chars;
    private final boolean[] wild;
    private final boolean ignoreCase;

    private IamGlob(char[] chars, boolean[] wild, boolean ignoreCase) {
        this.chars = chars;
        this.wild = wild;
        this.ignoreCase = ignoreCase;
    }

    /** {@code glob}'s {@code *} and {@code ?} are wildcards, every other character itself. */
    static IamGlob of(String glob, boolean ignoreCase) {
        return new Builder().wildcards(glob).build(ignoreCase);
    }

    /** A pattern put together from text whose wildcards count and text taken literally (a policy variable's value). */
    static final class Builder {
        private final StringBuilder chars = new StringBuilder();
        private boolean[] wild = new boolean[16];

        Builder wildcards(String text) {
            for (int i = 0; i < text.length(); i++) add(text.charAt(i), text.charAt(i) == ANY_RUN || text.charAt(i) == ANY_ONE);
            return this;
        }

        Builder literal(String text) {
            for (int i = 0; i < text.length(); i++) add(text.charAt(i), false);
            return this;
        }

        private void add(char c, boolean isWild) {
            if (chars.length() == wild.length) wild = Arrays.copyOf(wild, wild.length * 2);
            wild[chars.length()] = isWild;
            chars.append(c);
        }

        IamGlob build(boolean ignoreCase) {
            return new IamGlob(chars.toString().toCharArray(), Arrays.copyOf(wild, chars.length()), ignoreCase);
        }
    }

    boolean matches(String value) {
        int p = 0;
        int v = 0;
        int starP = -1;
        int starV = 0;
        while (v < value.length()) {
            if (p < chars.length && wild[p] && chars[p] == ANY_RUN) {
                starP = p++;
                starV = v;
            } else if (p < chars.length && wild[p] && chars[p] == ANY_ONE) {
                // One character: a code point, as the regular expression's '.' took it.
                p++;
                v += Character.charCount(value.codePointAt(v));
            } else if (p < chars.length && !wild[p] && same(chars[p], value.charAt(v))) {
                p++;
                v++;
            } else if (starP >= 0) {
                // Let the last star take one more character, and try the rest of the pattern from there.
                p = starP + 1;
                starV += Character.charCount(value.codePointAt(starV));
                v = starV;
            } else {
                return false;
            }
        }
        while (p < chars.length && wild[p] && chars[p] == ANY_RUN) p++;
        return p == chars.length;
    }

    /** Case is ignored in ASCII only, as the regular expression's CASE_INSENSITIVE did (İ is no I, nor K the Kelvin sign k). */
    private boolean same(char a, char b) {
        return a == b || ignoreCase && a < 128 && b < 128 && Character.toLowerCase(a) == Character.toLowerCase(b);
    }
}
