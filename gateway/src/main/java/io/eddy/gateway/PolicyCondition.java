package io.eddy.gateway;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * One condition of a policy statement: {@code "Condition": {"<operator>": {"<key>": <values>}}}.
 * Eddy evaluates the string, numeric, date, ARN, IP address, Bool and Null operators (with IAM's {@code IfExists}, and
 * {@code ForAllValues:} / {@code ForAnyValue:} for keys of several values) on the global keys it
 * knows of a request ({@link #GLOBAL_KEYS}) and DynamoDB's ({@link RequestConditionKeys}); a
 * policy naming another operator or key is refused rather than stored and misread. With
 * {@code variables} (a policy of Version 2012-10-17, or a configured one), {@code ${aws:username}}
 * and the like in the values stand for the request's.
 *
 * @param key      the key's name in lower case (IAM compares them without regard to case)
 * @param patterns the values as IAM wildcard patterns, for the Like operators without variables; null otherwise
 */
record PolicyCondition(SetOperator set, Operator operator, boolean ifExists, String key, List<String> values, boolean variables,
                       List<IamGlob> patterns) {

    /** The operators Eddy evaluates, by IAM's names. */
    enum Operator {
        StringEquals, StringNotEquals, StringEqualsIgnoreCase, StringNotEqualsIgnoreCase, StringLike, StringNotLike,
        NumericEquals, NumericNotEquals, NumericLessThan, NumericLessThanEquals, NumericGreaterThan, NumericGreaterThanEquals,
        DateEquals, DateNotEquals, DateLessThan, DateLessThanEquals, DateGreaterThan, DateGreaterThanEquals,
        ArnEquals, ArnNotEquals, ArnLike, ArnNotLike, IpAddress, NotIpAddress, Bool, Null;

        /** An operator that requires the key not to match: IAM takes it as holding when the key is absent. */
        boolean negated() {
            return switch (this) {
                case StringNotEquals, StringNotEqualsIgnoreCase, StringNotLike, NumericNotEquals, DateNotEquals, ArnNotEquals,
                     ArnNotLike, NotIpAddress -> true;
                default -> false;
            };
        }

        boolean numeric() {
            return name().startsWith("Numeric");
        }

        boolean date() {
            return name().startsWith("Date");
        }

        boolean ip() {
            return this == IpAddress || this == NotIpAddress;
        }

        /** An operator whose values may hold IAM's wildcards: the Like ones, and the ARN ones (ArnEquals takes them too). */
        boolean like() {
            return switch (this) {
                case StringLike, StringNotLike, ArnEquals, ArnNotEquals, ArnLike, ArnNotLike -> true;
                default -> false;
            };
        }
    }

    /** How a key of several values is compared: each value, any value, or (NONE) the one value. */
    enum SetOperator { NONE, FOR_ALL_VALUES, FOR_ANY_VALUE }

    private static final String SOURCE_IP = "aws:sourceip";

    /**
     * The global condition keys Eddy knows of every request, by IAM's lower-case name. Eddy's users
     * are its access keys, so a key is both a user's name and its id.
     */
    private static final Map<String, Function<PolicyStatement.Caller, String>> GLOBAL_KEYS = Map.of(
            "aws:principalarn", PolicyStatement.Caller::arn,
            "aws:principalaccount", PolicyStatement.Caller::accountId,
            "aws:principaltype", caller -> "User",
            "aws:username", PolicyStatement.Caller::accessKey,
            "aws:userid", PolicyStatement.Caller::accessKey,
            "aws:requestedregion", PolicyStatement.Caller::region,
            SOURCE_IP, PolicyStatement.Caller::sourceIp,
            "aws:securetransport", caller -> Boolean.toString(caller.secureTransport()),
            "aws:currenttime", caller -> java.time.Instant.now().toString(),
            "aws:epochtime", caller -> Long.toString(java.time.Instant.now().getEpochSecond()));

    private static final List<String> DYNAMODB_KEYS = List.of(RequestConditionKeys.LEADING_KEYS, RequestConditionKeys.ATTRIBUTES,
            RequestConditionKeys.ENCLOSING_OPERATION, "dynamodb:select", "dynamodb:returnvalues", "dynamodb:returnconsumedcapacity");
    /** The variables that stand for a character: {@code ${*}} is a literal *, even in a Like pattern. */
    private static final List<String> CHARACTER_VARIABLES = List.of("*", "?", "$");

    /**
     * The condition as a policy states it, or the refusal of an operator, key or variable Eddy does
     * not evaluate; {@code trusted}: a stored policy, read as it was accepted.
     */
    static PolicyCondition of(String operator, String key, List<String> values, boolean variables, boolean trusted) {
        SetOperator set = operator.startsWith("ForAllValues:") ? SetOperator.FOR_ALL_VALUES
                : operator.startsWith("ForAnyValue:") ? SetOperator.FOR_ANY_VALUE : SetOperator.NONE;
        String single = set == SetOperator.NONE ? operator : operator.substring(operator.indexOf(':') + 1);
        boolean ifExists = single.endsWith("IfExists");
        String base = ifExists ? single.substring(0, single.length() - "IfExists".length()) : single;
        Operator known = java.util.Arrays.stream(Operator.values()).filter(o -> o.name().equals(base)).findFirst()
                .filter(o -> !(o == Operator.Null && (ifExists || set != SetOperator.NONE)))
                .orElseThrow(() -> ResourcePolicyDocument.invalid("Condition operator " + operator + " is not supported by Eddy"));
        String lower = key.toLowerCase(Locale.ROOT);
        boolean tag = lower.startsWith(RequestConditionKeys.RESOURCE_TAG) && lower.length() > RequestConditionKeys.RESOURCE_TAG.length()
                || lower.startsWith(RequestConditionKeys.REQUEST_TAG) && lower.length() > RequestConditionKeys.REQUEST_TAG.length()
                || lower.equals(RequestConditionKeys.TAG_KEYS);
        if (!GLOBAL_KEYS.containsKey(lower) && !DYNAMODB_KEYS.contains(lower) && !tag) {
            throw ResourcePolicyDocument.invalid("Condition key " + key + " is not supported by Eddy");
        }
        boolean multiValued = lower.equals(RequestConditionKeys.LEADING_KEYS) || lower.equals(RequestConditionKeys.ATTRIBUTES)
                || lower.equals(RequestConditionKeys.TAG_KEYS);
        if (multiValued && set == SetOperator.NONE && known != Operator.Null) {
            // A key of several values: which of them a single-valued operator would compare is not IAM's to guess either.
            throw ResourcePolicyDocument.invalid("Condition key " + key + " takes ForAllValues: or ForAnyValue: in Eddy");
        }
        if (known.ip() != lower.equals(SOURCE_IP) && known != Operator.Null) {
            // IAM compares an address only as one, and IP ranges only with addresses.
            throw ResourcePolicyDocument.invalid(known.ip() ? "Condition operator " + operator + " takes aws:SourceIp in Eddy"
                    : "Condition key " + key + " takes IpAddress or NotIpAddress");
        }
        if (known.ip()) {
            for (String value : values) {
                if (IpRange.parse(value).isEmpty()) {
                    throw ResourcePolicyDocument.invalid("Condition value " + value + " of " + operator + " is not an IP address or CIDR range");
                }
            }
        }
        if (known.numeric() || known.date()) {
            for (String value : values) {
                if (known.numeric() ? number(value).isEmpty() : instant(value).isEmpty()) {
                    throw ResourcePolicyDocument.invalid("Condition value " + value + " of " + operator + " is not a "
                            + (known.numeric() ? "number" : "date"));
                }
            }
        }
        boolean substituted = variables && values.stream().anyMatch(value -> value.contains("${"));
        if (substituted && !trusted) {
            for (String value : values) {
                for (String name : variableNames(value)) {
                    // A variable without a value would silently make a negated operator hold.
                    // aws:SourceIp is an address, compared only by the IP operators, which take no variables.
                    String variable = name.toLowerCase(Locale.ROOT);
                    if (!CHARACTER_VARIABLES.contains(name) && (!GLOBAL_KEYS.containsKey(variable) || variable.equals(SOURCE_IP))) {
                        throw ResourcePolicyDocument.invalid("Policy variable ${" + name + "} is not supported by Eddy");
                    }
                }
            }
        }
        return new PolicyCondition(set, known, ifExists, lower, List.copyOf(values), substituted,
                known.like() && !substituted ? PolicyStatement.patterns(values, false) : null);
    }

    /** Whether the condition holds for the request; empty when it names a key Eddy cannot know for it. */
    Optional<Boolean> holds(PolicyStatement.Request request) {
        Function<PolicyStatement.Caller, String> global = GLOBAL_KEYS.get(key);
        List<String> actual;
        if (global != null) {
            String value = global.apply(request.caller());
            actual = value == null ? null : List.of(value);
        } else {
            RequestConditionKeys.Keys keys = request.keys().get();
            if (keys.unknown().contains(key)) return Optional.empty();
            actual = keys.values().get(key);
        }
        if (operator == Operator.Null) return Optional.of(values.stream().anyMatch(v -> v.equalsIgnoreCase(actual == null ? "true" : "false")));
        if (actual == null) {
            return Optional.of(switch (set) {
                case NONE -> ifExists || operator.negated();
                case FOR_ALL_VALUES -> true;
                case FOR_ANY_VALUE -> ifExists;
            });
        }
        // A single-valued operator over a key of several values (tags Env and env) cannot be decided.
        if (set == SetOperator.NONE && actual.size() > 1) return Optional.empty();
        // A value that is no number (date) cannot be compared as one: a Not operator must not hold on it.
        if ((operator.numeric() && actual.stream().anyMatch(value -> number(value).isEmpty()))
                || (operator.date() && actual.stream().anyMatch(value -> instant(value).isEmpty()))) {
            return Optional.empty();
        }
        // The Like operators read only the patterns, the others only the text.
        List<String> expected = variables && !operator.like() ? substituted(request.caller(), false).stream().map(Substituted::text).toList()
                : values;
        List<IamGlob> like = !operator.like() ? List.of() : patterns != null ? patterns
                : substituted(request.caller(), true).stream().map(Substituted::glob).toList();
        return Optional.of(switch (set) {
            case NONE -> !actual.isEmpty() && matches(actual.get(0), expected, like);
            case FOR_ALL_VALUES -> actual.stream().allMatch(value -> matches(value, expected, like));
            case FOR_ANY_VALUE -> actual.stream().anyMatch(value -> matches(value, expected, like));
        });
    }

    private boolean matches(String actual, List<String> expected, List<IamGlob> like) {
        return switch (operator) {
            case StringEquals -> expected.contains(actual);
            case StringNotEquals -> !expected.contains(actual);
            case StringEqualsIgnoreCase -> expected.stream().anyMatch(actual::equalsIgnoreCase);
            case StringNotEqualsIgnoreCase -> expected.stream().noneMatch(actual::equalsIgnoreCase);
            case StringLike, ArnEquals, ArnLike -> like.stream().anyMatch(pattern -> pattern.matches(actual));
            case StringNotLike, ArnNotEquals, ArnNotLike -> like.stream().noneMatch(pattern -> pattern.matches(actual));
            case Bool -> expected.stream().anyMatch(actual::equalsIgnoreCase);
            case IpAddress -> inRange(actual, expected);
            case NotIpAddress -> !inRange(actual, expected);
            case NumericEquals, NumericLessThan, NumericLessThanEquals, NumericGreaterThan, NumericGreaterThanEquals ->
                    compares(number(actual), expected, PolicyCondition::number);
            case NumericNotEquals -> !compares(number(actual), expected, PolicyCondition::number);
            case DateEquals, DateLessThan, DateLessThanEquals, DateGreaterThan, DateGreaterThanEquals ->
                    compares(instant(actual), expected, PolicyCondition::instant);
            case DateNotEquals -> !compares(instant(actual), expected, PolicyCondition::instant);
            case Null -> throw new IllegalStateException("answered by holds");
        };
    }

    /**
     * Whether the key's value stands in the operator's relation to any of the values (for the Not
     * operators: equals any). A value that is not a number (a date) matches nothing, as in IAM.
     */
    private <T extends Comparable<? super T>> boolean compares(Optional<T> actual, List<String> expected,
                                                               Function<String, Optional<T>> parse) {
        if (actual.isEmpty()) return false;
        for (String value : expected) {
            Optional<T> bound = parse.apply(value);
            if (bound.isEmpty()) continue;
            int order = actual.get().compareTo(bound.get());
            boolean holds = switch (operator) {
                case NumericEquals, NumericNotEquals, DateEquals, DateNotEquals -> order == 0;
                case NumericLessThan, DateLessThan -> order < 0;
                case NumericLessThanEquals, DateLessThanEquals -> order <= 0;
                case NumericGreaterThan, DateGreaterThan -> order > 0;
                case NumericGreaterThanEquals, DateGreaterThanEquals -> order >= 0;
                default -> false;
            };
            if (holds) return true;
        }
        return false;
    }

    private static boolean inRange(String address, List<String> ranges) {
        return ranges.stream().anyMatch(range -> IpRange.parse(range).map(r -> r.contains(address)).orElse(false));
    }

    private static Optional<java.math.BigDecimal> number(String text) {
        try {
            return Optional.of(new java.math.BigDecimal(text.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * A date as IAM takes one: W3C's ISO 8601 (a year, a year and month, a date, or a date and time
     * with a zone) or epoch seconds (any other run of digits).
     */
    private static Optional<java.time.Instant> instant(String text) {
        String trimmed = text.trim();
        if (trimmed.matches("\\d{4}")) trimmed += "-01-01";
        else if (trimmed.matches("\\d{4}-\\d{2}")) trimmed += "-01";
        if (trimmed.matches("-?\\d+")) {
            try {
                return Optional.of(java.time.Instant.ofEpochSecond(Long.parseLong(trimmed)));
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        }
        try {
            return Optional.of(java.time.OffsetDateTime.parse(trimmed).toInstant());
        } catch (java.time.format.DateTimeParseException e) {
            try {
                return Optional.of(java.time.LocalDate.parse(trimmed).atStartOfDay(java.time.ZoneOffset.UTC).toInstant());
            } catch (java.time.format.DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }

    /**
     * A value with its variables replaced: as text, and ({@code like}) as a pattern in which only the
     * policy's own wildcards are wildcards.
     */
    private record Substituted(String text, IamGlob glob) {}

    /**
     * The values with IAM's policy variables replaced by the request's (the global keys, and
     * {@code ${*}}, {@code ${?}}, {@code ${$}} for those characters). A value naming a variable
     * without a value (only in a stored policy) matches nothing.
     */
    private List<Substituted> substituted(PolicyStatement.Caller caller, boolean like) {
        List<Substituted> result = new ArrayList<>();
        for (String value : values) {
            StringBuilder out = new StringBuilder();
            IamGlob.Builder glob = like ? new IamGlob.Builder() : null;
            boolean known = true;
            int at = 0;
            while (known) {
                int start = value.indexOf("${", at);
                int end = start < 0 ? -1 : value.indexOf('}', start);
                String text = value.substring(at, end < 0 ? value.length() : start);
                out.append(text);
                if (glob != null) glob.wildcards(text);
                if (end < 0) break;
                String name = value.substring(start + 2, end);
                Function<PolicyStatement.Caller, String> global = GLOBAL_KEYS.get(name.toLowerCase(Locale.ROOT));
                String replacement = CHARACTER_VARIABLES.contains(name) ? name : global != null ? global.apply(caller) : null;
                if (replacement == null) {
                    known = false;
                } else {
                    out.append(replacement);
                    if (glob != null) glob.literal(replacement);
                }
                at = end + 1;
            }
            if (known) result.add(new Substituted(out.toString(), glob == null ? null : glob.build(false)));
        }
        return result;
    }

    private static List<String> variableNames(String value) {
        List<String> names = new ArrayList<>();
        for (int start = value.indexOf("${"); start >= 0; start = value.indexOf("${", start + 2)) {
            int end = value.indexOf('}', start);
            if (end < 0) break;
            names.add(value.substring(start + 2, end));
        }
        return names;
    }
}
