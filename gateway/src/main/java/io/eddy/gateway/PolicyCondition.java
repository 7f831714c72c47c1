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
 */
record PolicyCondition(String operator, boolean ifExists, String key, List<String> values) {

    /** The condition keys Eddy knows of every request, by IAM's lower-case name (keys are case-insensitive). */
    private static final Map<String, Function<PolicyStatement.Caller, String>> KEYS = Map.of(
            "aws:principalarn", PolicyStatement.Caller::arn,
            "aws:principalaccount", PolicyStatement.Caller::accountId,
            "aws:principaltype", caller -> "User",
            "aws:username", PolicyStatement.Caller::accessKey,
            "aws:userid", PolicyStatement.Caller::accessKey,
            "aws:requestedregion", PolicyStatement.Caller::region,
            // Eddy serves plain HTTP.
            "aws:securetransport", caller -> "false");

    private static final List<String> OPERATORS = List.of("StringEquals", "StringNotEquals", "StringEqualsIgnoreCase",
            "StringNotEqualsIgnoreCase", "StringLike", "StringNotLike", "ArnEquals", "ArnNotEquals", "ArnLike", "ArnNotLike",
            "Bool", "Null");

    /** The condition as a policy states it, or the refusal of an operator or key Eddy does not evaluate. */
    static PolicyCondition of(String operator, String key, List<String> values) {
        boolean ifExists = operator.endsWith("IfExists") && !operator.equals("IfExists");
        String base = ifExists ? operator.substring(0, operator.length() - "IfExists".length()) : operator;
        if (!OPERATORS.contains(base) || ifExists && base.equals("Null")) {
            throw ResourcePolicyDocument.invalid("Condition operator " + operator + " is not supported by Eddy");
        }
        if (!KEYS.containsKey(key.toLowerCase(Locale.ROOT))) {
            throw ResourcePolicyDocument.invalid("Condition key " + key + " is not supported by Eddy");
        }
        return new PolicyCondition(base, ifExists, key, List.copyOf(values));
    }

    boolean holds(PolicyStatement.Caller caller) {
        String actual = KEYS.get(key.toLowerCase(Locale.ROOT)).apply(caller);
        if (operator.equals("Null")) return values.stream().anyMatch(v -> v.equalsIgnoreCase(actual == null ? "true" : "false"));
        if (actual == null) return ifExists;
        return switch (operator) {
            case "StringEquals", "ArnEquals" -> values.contains(actual);
            case "StringNotEquals", "ArnNotEquals" -> !values.contains(actual);
            case "StringEqualsIgnoreCase" -> values.stream().anyMatch(actual::equalsIgnoreCase);
            case "StringNotEqualsIgnoreCase" -> values.stream().noneMatch(actual::equalsIgnoreCase);
            case "StringLike", "ArnLike" -> likeAny(actual);
            case "StringNotLike", "ArnNotLike" -> !likeAny(actual);
            case "Bool" -> values.stream().anyMatch(actual::equalsIgnoreCase);
            default -> throw new IllegalStateException(operator);
        };
    }

    private boolean likeAny(String actual) {
        for (String value : values) {
            Pattern pattern = PolicyStatement.glob(value, false);
            if (pattern.matcher(actual).matches()) return true;
        }
        return false;
    }
}
