package io.eddy.gateway;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One statement of an IAM policy: of an access key's identity-based policy ({@code principals}
 * null: it speaks for the key it is configured for) or of a resource-based policy.
 *
 * @param allow        Effect Allow (else Deny)
 * @param principals   whom a resource-based statement is about; null in an identity-based policy
 * @param actions      the Action (or NotAction) patterns, matched without regard to case
 * @param resources    the Resource (or NotResource) patterns
 * @param conditions   all must hold for the statement to apply
 */
record PolicyStatement(boolean allow, Principals principals, List<Pattern> actions, boolean notAction,
                       List<Pattern> resources, boolean notResource, List<PolicyCondition> conditions) {

    /** What a policy says of a request: allowed, explicitly denied, or nothing. */
    enum Decision { ALLOW, DENY, NONE }

    /** Who sends a request: an access key of this node's account, as an IAM user. */
    record Caller(String accessKey, String accountId, String region) {
        String arn() {
            return "arn:aws:iam::" + accountId + ":user/" + accessKey;
        }

        String rootArn() {
            return "arn:aws:iam::" + accountId + ":root";
        }
    }

    /**
     * A resource-based statement's Principal (or NotPrincipal, {@code negated}): anyone ({@code *}),
     * or IAM ARNs (an account as its root ARN). Principals of other kinds (services) are kept and
     * never match a request.
     */
    record Principals(boolean anyone, Set<String> arns, boolean negated) {
        boolean matches(Caller caller, boolean allow) {
            // Same account: an Allow naming the account (its root) delegates to the users' own policies
            // and grants nothing by itself; a Deny naming it applies to every user of the account.
            boolean named = anyone || arns.contains(caller.arn()) || !allow && arns.contains(caller.rootArn());
            return named != negated;
        }
    }

    boolean applies(Caller caller, String action, String resource) {
        if (principals != null && !principals.matches(caller, allow)) return false;
        if (matchesAny(actions, action) == notAction) return false;
        if (matchesAny(resources, resource) == notResource) return false;
        for (PolicyCondition condition : conditions) {
            if (!condition.holds(caller)) return false;
        }
        return true;
    }

    /** What {@code statements} together say: an explicit Deny wins over any Allow. */
    static Decision decide(List<PolicyStatement> statements, Caller caller, String action, String resource) {
        Decision decision = Decision.NONE;
        for (PolicyStatement statement : statements) {
            if (!statement.applies(caller, action, resource)) continue;
            if (!statement.allow()) return Decision.DENY;
            decision = Decision.ALLOW;
        }
        return decision;
    }

    private static boolean matchesAny(List<Pattern> patterns, String value) {
        for (Pattern pattern : patterns) {
            if (pattern.matcher(value).matches()) return true;
        }
        return false;
    }

    /** IAM's wildcards: {@code *} any run of characters, {@code ?} any one. */
    static Pattern glob(String glob, boolean ignoreCase) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            if (c == '*') regex.append(".*");
            else if (c == '?') regex.append('.');
            else regex.append(Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL | (ignoreCase ? Pattern.CASE_INSENSITIVE : 0));
    }
}
