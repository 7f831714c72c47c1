package io.eddy.gateway;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * One condition of a policy statement: {@code "Condition": {"<operator>": {"<key>": <values>}}}.
 * Eddy evaluates the string, ARN, Bool and Null operators (with IAM's {@code IfExists}, and
 * {@code ForAllValues:} / {@code ForAnyValue:} for keys of several values) on the global keys it
 * knows of a request ({@link #GLOBAL_KEYS}) and DynamoDB's ({@link RequestConditionKeys}); a
 * policy naming another operator or key is refused rather than stored and misread. With
 * {@code variables} (a policy of Version 2012-10-17), {@code ${aws:username}} and the like in
 * the values stand for the request's.
 *
 * @param patterns the values as IAM wildcard patterns, for the Like operators (null: made per request, from variables)
 */
record PolicyCondition(SetOperator set, Operator operator, boolean ifExists, String key, List<String> values, boolean variables,
                       List<Pattern> patterns) {

    /** The operators Eddy evaluates, by IAM's names. */
    enum Operator {
        StringEquals, StringNotEquals, StringEqualsIgnoreCase, StringNotEqualsIgnoreCase, StringLike, StringNotLike,
        ArnEquals, ArnNotEquals, ArnLike, ArnNotLike, Bool, Null;

        /** An operator that requires the key not to match: IAM takes it as holding when the key is absent. */
        boolean negated() {
            return switch (this) {
                case StringNotEquals, StringNotEqualsIgnoreCase, StringNotLike, ArnNotEquals, ArnNotLike -> true;
                default -> false;
            };
        }
    }

    /** How a key of several values is compared: each value, any value, or (NONE) the one value. */
    enum SetOperator { NONE, FOR_ALL_VALUES, FOR_ANY_VALUE }

    /**
     * The global condition keys Eddy knows of every request, by IAM's lower-case name (keys are
     * case-insensitive). Eddy's users are its access keys, so a key is both a user's name and its id.
     */
    private static final Map<String, Function<PolicyStatement.Caller, String>> GLOBAL_KEYS = Map.of(
            "aws:principalarn", PolicyStatement.Caller::arn,
            "aws:principalaccount", PolicyStatement.Caller::accountId,
            "aws:principaltype", caller -> "User",
            "aws:username", PolicyStatement.Caller::accessKey,
            "aws:userid", PolicyStatement.Caller::accessKey,
            "aws:requestedregion", PolicyStatement.Caller::region,
            // Eddy serves plain HTTP.
            "aws:securetransport", caller -> "false");

    private static final List<String> DYNAMODB_KEYS = List.of(RequestConditionKeys.LEADING_KEYS, "dynamodb:select", "dynamodb:returnvalues",
            "dynamodb:returnconsumedcapacity");

    /** The condition as a policy states it, or the refusal of an operator or key Eddy does not evaluate. */
    static PolicyCondition of(String operator, String key, List<String> values, boolean variables) {
        SetOperator set = operator.startsWith("ForAllValues:") ? SetOperator.FOR_ALL_VALUES
                : operator.startsWith("ForAnyValue:") ? SetOperator.FOR_ANY_VALUE : SetOperator.NONE;
        String single = set == SetOperator.NONE ? operator : operator.substring(operator.indexOf(':') + 1);
        boolean ifExists = single.endsWith("IfExists");
        String base = ifExists ? single.substring(0, single.length() - "IfExists".length()) : single;
        Operator known = java.util.Arrays.stream(Operator.values()).filter(o -> o.name().equals(base)).findFirst()
                .filter(o -> !(o == Operator.Null && (ifExists || set != SetOperator.NONE)))
                .orElseThrow(() -> ResourcePolicyDocument.invalid("Condition operator " + operator + " is not supported by Eddy"));
        String lower = key.toLowerCase(Locale.ROOT);
        boolean tag = lower.startsWith(RequestConditionKeys.RESOURCE_TAG) && lower.length() > RequestConditionKeys.RESOURCE_TAG.length();
        if (!GLOBAL_KEYS.containsKey(lower) && !DYNAMODB_KEYS.contains(lower) && !tag) {
            throw ResourcePolicyDocument.invalid("Condition key " + key + " is not supported by Eddy");
        }
        if (lower.equals(RequestConditionKeys.LEADING_KEYS) && set == SetOperator.NONE && known != Operator.Null) {
            // A key of several values: which of them a single-valued operator would compare is not IAM's to guess either.
            throw ResourcePolicyDocument.invalid("Condition key " + key + " takes ForAllValues: or ForAnyValue: in Eddy");
        }
        boolean substituted = variables && values.stream().anyMatch(value -> value.contains("${"));
        return new PolicyCondition(set, known, ifExists, key, List.copyOf(values), variables,
                substituted ? null : PolicyStatement.patterns(values, false));
    }

    /** Whether the condition holds for the request; empty when it names a key Eddy cannot know for it. */
    Optional<Boolean> holds(PolicyStatement.Request request) {
        String lower = key.toLowerCase(Locale.ROOT);
        if (request.keys().unknown().contains(lower)) return Optional.empty();
        Function<PolicyStatement.Caller, String> global = GLOBAL_KEYS.get(lower);
        List<String> actual = global != null ? List.of(global.apply(request.caller())) : request.keys().values().get(lower);
        if (operator == Operator.Null) return Optional.of(values.stream().anyMatch(v -> v.equalsIgnoreCase(actual == null ? "true" : "false")));
        if (actual == null) {
            return Optional.of(switch (set) {
                case NONE -> ifExists || operator.negated();
                case FOR_ALL_VALUES -> true;
                case FOR_ANY_VALUE -> false;
            });
        }
        List<String> expected = variables ? substituted(request.caller()) : values;
        List<Pattern> like = patterns != null ? patterns : PolicyStatement.patterns(expected, false);
        return Optional.of(switch (set) {
            case NONE -> !actual.isEmpty() && matches(actual.get(0), expected, like);
            case FOR_ALL_VALUES -> actual.stream().allMatch(value -> matches(value, expected, like));
            case FOR_ANY_VALUE -> actual.stream().anyMatch(value -> matches(value, expected, like));
        });
    }

    private boolean matches(String actual, List<String> expected, List<Pattern> like) {
        return switch (operator) {
            case StringEquals, ArnEquals -> expected.contains(actual);
            case StringNotEquals, ArnNotEquals -> !expected.contains(actual);
            case StringEqualsIgnoreCase -> expected.stream().anyMatch(actual::equalsIgnoreCase);
            case StringNotEqualsIgnoreCase -> expected.stream().noneMatch(actual::equalsIgnoreCase);
            case StringLike, ArnLike -> like.stream().anyMatch(pattern -> pattern.matcher(actual).matches());
            case StringNotLike, ArnNotLike -> like.stream().noneMatch(pattern -> pattern.matcher(actual).matches());
            case Bool -> expected.stream().anyMatch(actual::equalsIgnoreCase);
            case Null -> throw new IllegalStateException("answered by holds");
        };
    }

    /**
     * The values with IAM's policy variables replaced: the global keys ({@code ${aws:username}}),
     * and {@code ${*}}, {@code ${?}}, {@code ${$}} for those characters. A value naming a variable
     * Eddy does not know matches nothing, as IAM treats one without a value.
     */
    private List<String> substituted(PolicyStatement.Caller caller) {
        List<String> result = new ArrayList<>();
        for (String value : values) {
            StringBuilder out = new StringBuilder();
            boolean known = true;
            int at = 0;
            while (known) {
                int start = value.indexOf("${", at);
                int end = start < 0 ? -1 : value.indexOf('}', start);
                if (end < 0) {
                    out.append(value, at, value.length());
                    break;
                }
                out.append(value, at, start);
                String name = value.substring(start + 2, end);
                Function<PolicyStatement.Caller, String> global = GLOBAL_KEYS.get(name.toLowerCase(Locale.ROOT));
                if (List.of("*", "?", "$").contains(name)) out.append(name);
                else if (global != null) out.append(global.apply(caller));
                else known = false;
                at = end + 1;
            }
            if (known) result.add(out.toString());
        }
        return result;
    }
}
