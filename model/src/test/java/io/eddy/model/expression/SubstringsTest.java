package io.eddy.model.expression;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.model.Bytes;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SubstringsTest {

    @Test
    void agreesWithStringContainsOnRandomText() {
        Random random = new Random(7);
        for (int i = 0; i < 100_000; i++) {
            String text = random(random, random.nextInt(12));
            String part = random(random, random.nextInt(5));
            assertEquals(text.contains(part), Substrings.contains(text, part), text + " / " + part);
            assertEquals(text.contains(part), Substrings.contains(bytes(text), bytes(part)), text + " / " + part);
        }
    }

    @Test
    void theWorstCaseOfANaiveSearchIsAnswered() {
        // 12 s with a naive search, inside the partition evaluating the condition.
        String text = "a".repeat(400_000);
        String part = "a".repeat(199_999) + "b";
        assertFalse(Substrings.contains(text, part));
        assertFalse(Substrings.contains(bytes(text), bytes(part)));
        assertTrue(Substrings.contains(text + "b", part));
    }

    private static String random(Random random, int length) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < length; i++) s.append("aab".charAt(random.nextInt(3)));
        return s.toString();
    }

    private static Bytes bytes(String text) {
        return Bytes.of(text.getBytes(StandardCharsets.UTF_8));
    }
}
