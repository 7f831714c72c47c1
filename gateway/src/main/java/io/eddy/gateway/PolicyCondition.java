package io.eddy.gateway;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * One condition of a policy statement: {@code "Condition": {"<operator>": {"<key>": <values>}}}.
 * Eddy evaluates the string, ARN, Bool and Null operators (with IAM's {@code IfExists}) on the
 * global keys it knows of a request ({@link #KEYS}); a policy naming another operator or key is
 * refused rather than stored and misread.
 *
 * @param patterns the values as IAM wildcard patterns, for the Like operators
 */
record PolicyCondition(Operator operator, boolean ifExists, String key, List<String> values, List<Pattern> patterns) {

    /** The operators Eddy evaluates, by IAM's names. */
    enum Operator {
        StringEquals, StringNotEquals, StringEqualsIgnoreCase, StringNotEqualsIgnoreCase, StringLike, StringNotLike,
        ArnEquals, ArnNotEquals, ArnLike, ArnNotLike, Bool, Null
    }

    /**
     * The condition keys Eddy knows of every request, by IAM's lower-case name (keys are
     * case-insensitive). Eddy's users are its access keys, so a key is both a user's name and its id.
     */
    private static final Map<String, Function<PolicyStatement.Caller, String>> KEYS = Map.of(
            "aws:principalarn", PolicyStatement.Caller::arn,
            "aws:principalaccount", PolicyStatement.Caller::accountId,
            "aws:principaltype", caller -> "User",
            "aws:username", PolicyStatement.Caller::accessKey,
            "aws:userid", PolicyStatement.Caller::accessKey,
            "aws:requestedregion", PolicyStatement.Caller::region,
            // Eddy serves plain HTTP.
            "aws:securetransport", caller -> "false");

    /** The condition as a policy states it, or the refusal of an operator or key Eddy does not evaluate. */
    static PolicyCondition of(String operator, String key, List<String> values) {
        boolean ifExists = operator.endsWith("IfExists");
        String base = ifExists ? operator.substring(0, operator.length() - "IfExists".length()) : operator;
        Operator known = java.util.Arrays.stream(Operator.values()).filter(o -> o.name().equals(base)).findFirst()
                .filter(o -> !(ifExists && o == Operator.Null))
                .orElseThrow(() -> ResourcePolicyDocument.invalid("Condition operator " + operator + " is not supported by Eddy"));
        if (!KEYS.containsKey(key.toLowerCase(Locale.ROOT))) {
            throw ResourcePolicyDocument.invalid("Condition key " + key + " is not supported by Eddy");
        }
        return new PolicyCondition(known, ifExists, key, List.copyOf(values), PolicyStatement.patterns(values, false));
    }

    boolean holds(PolicyStatement.Caller caller) {
        String actual = KEYS.get(key.toLowerCase(Locale.ROOT)).apply(caller);
        if (operator == Operator.Null) return values.stream().anyMatch(v -> v.equalsIgnoreCase(actual == null ? "true" : "false"));
        if (actual == null) return ifExists;
        return switch (operator) {
            case StringEquals, ArnEquals -> values.contains(actual);
            case StringNotEquals, ArnNotEquals -> !values.contains(actual);
            case StringEqualsIgnoreCase -> values.stream().anyMatch(actual::equalsIgnoreCase);
            case StringNotEqualsIgnoreCase -> values.stream().noneMatch(actual::equalsIgnoreCase);
            case StringLike, ArnLike -> like(actual);
            case StringNotLike, ArnNotLike -> !like(actual);
            case Bool -> values.stream().anyMatch(actual::equalsIgnoreCase);
            case Null -> throw new IllegalStateException("answered above");
        };
    }

    private boolean like(String actual) {
        return patterns.stream().anyMatch(pattern -> pattern.matcher(actual).matches());
    }
}
