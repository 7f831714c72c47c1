package io.eddy.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class IamGlobTest {

    @Test
    void agreesWithTheRegularExpressionItReplaces() {
        Random random = new Random(11);
        for (int i = 0; i < 100_000; i++) {
            // Non-ASCII letters whose case the regex did not fold, and characters beyond the BMP, which its '.' took whole.
            String glob = random(random, random.nextInt(7), List.of("a", "B", "*", "?", "\u00e9", "\u0130", "\u212a", "k"));
            String value = random(random, random.nextInt(9), List.of("a", "b", "A", "B", "\u00c9", "\u00e9", "i", "I", "K", "k",
                    "\ud83d\ude00", "\ud83d\ude01"));
            boolean ignoreCase = random.nextBoolean();
            assertEquals(regex(glob, ignoreCase).matcher(value).matches(), IamGlob.of(glob, ignoreCase).matches(value),
                    glob + " / " + value + " / " + ignoreCase);
        }
    }

    @Test
    void aVariablesValueIsTakenLiterally() {
        IamGlob glob = new IamGlob.Builder().wildcards("user/").literal("a*b?").wildcards("/*").build(false);
        assertTrue(glob.matches("user/a*b?/anything"));
        assertFalse(glob.matches("user/axxbc/anything"));
    }

    @Test
    void manyStarsOnALongValueAreAnswered() {
        // A backtracking regex took over a minute for five stars on 200 characters.
        assertFalse(IamGlob.of("*a".repeat(50) + "*b", false).matches("a".repeat(2048)));
        assertTrue(IamGlob.of("*a".repeat(50) + "*b", false).matches("a".repeat(2048) + "b"));
    }

    private static Pattern regex(String glob, boolean ignoreCase) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            if (c == '*') regex.append(".*");
            else if (c == '?') regex.append('.');
            else regex.append(Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL | (ignoreCase ? Pattern.CASE_INSENSITIVE : 0));
    }

    private static String random(Random random, int length, List<String> alphabet) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < length; i++) s.append(alphabet.get(random.nextInt(alphabet.size())));
        return s.toString();
    }
}
