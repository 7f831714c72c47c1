package io.eddy.model.expression;

import io.eddy.model.Bytes;
import java.util.function.IntUnaryOperator;

/**
 * contains() on strings and binaries, in time linear in their lengths (Knuth–Morris–Pratt). A
 * naive search costs the product of the lengths in the worst case: contains() of a 200 KB value in
 * a 400 KB attribute took 12 s, inside the partition that evaluates the condition.
 */
final class Substrings {
    private Substrings() {}

    /** Whether {@code text} holds {@code part} (UTF-16 units: the same as code points for well-formed strings). */
    static boolean contains(String text, String part) {
        return contains(text.length(), text::charAt, part.length(), part::charAt);
    }

    static boolean contains(Bytes bytes, Bytes part) {
        return contains(bytes.length(), bytes::get, part.length(), part::get);
    }

    private static boolean contains(int length, IntUnaryOperator at, int partLength, IntUnaryOperator partAt) {
        if (partLength == 0) return true;
        if (partLength > length) return false;
        // fallback[i]: the length of the longest proper prefix of part[0..i] that is also its suffix.
        int[] fallback = new int[partLength];
        for (int i = 1, k = 0; i < partLength; i++) {
            int c = partAt.applyAsInt(i);
            while (k > 0 && c != partAt.applyAsInt(k)) k = fallback[k - 1];
            if (c == partAt.applyAsInt(k)) k++;
            fallback[i] = k;
        }
        for (int i = 0, k = 0; i < length; i++) {
            int c = at.applyAsInt(i);
            while (k > 0 && c != partAt.applyAsInt(k)) k = fallback[k - 1];
            if (c == partAt.applyAsInt(k)) k++;
            if (k == partLength) return true;
        }
        return false;
    }
}
