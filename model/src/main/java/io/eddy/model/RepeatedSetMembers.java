package io.eddy.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/**
 * DynamoDB's refusals of a set with a member twice, in the words of its older request layer
 * (BatchWriteItem, Scan, the transactions, PartiQL: the members as written) and of its newer one
 * (GetItem, Query, the single-item writes: the distinct members met before the first repeat, in
 * the set's order, then the repeat, quoted), as the conformance suite captured them in 2026-10.
 */
public final class RepeatedSetMembers {
    private RepeatedSetMembers() {}

    private static final String INVALID = "One or more parameter values were invalid: ";

    /** ["b", "a", "b"]: older "[b, a, b]", newer "[\"a\", \"b\", \"b\"]". */
    public static DynamoException strings(List<String> members) {
        return DynamoException.validation(INVALID + "Input collection " + written(members) + " contains duplicates.",
                INVALID + "Input collection " + firstRepeat(members, members, AttributeValueOrder::compareUtf8, ", ")
                        + " contains duplicates.");
    }

    /** Numbers are not listed; the older layer gives the bare words. */
    public static DynamoException numbers() {
        return DynamoException.validation("Input collection contains duplicates", INVALID + "Input collection contains duplicates.");
    }

    /** Binaries listed by their base64 {@code texts}; DynamoDB's messages really have no space before "of". */
    public static DynamoException binaries(List<Bytes> members, List<String> texts) {
        return DynamoException.validation(INVALID + "Input collection " + written(texts) + "of type BS contains duplicates.",
                INVALID + "Input collection " + firstRepeat(members, texts, Bytes::compareTo, ",") + "of type BS contains duplicates.");
    }

    private static String written(List<String> texts) {
        return "[" + String.join(", ", texts) + "]";
    }

    private static <T> String firstRepeat(List<T> members, List<String> texts, Comparator<T> order, String separator) {
        TreeMap<T, String> seen = new TreeMap<>(order);
        String repeat = null;
        for (int i = 0; i < members.size() && repeat == null; i++) {
            if (seen.putIfAbsent(members.get(i), texts.get(i)) != null) repeat = texts.get(i);
        }
        List<String> listed = new ArrayList<>(seen.values());
        listed.add(repeat);
        return "[" + String.join(separator, listed.stream().map(text -> '"' + text + '"').toList()) + "]";
    }
}
