package io.eddy.gateway;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One statement of an IAM policy: of an access key's identity-based policy ({@code principals}
 * null: it speaks for the key it is configured for) or of a resource-based policy.
 *
 * @param allow      Effect Allow (else Deny)
 * @param principals whom a resource-based statement is about; null in an identity-based policy
 * @param actions    Action (or NotAction), matched without regard to case
 * @param resources  Resource (or NotResource)
 * @param conditions all must hold for the statement to apply
 */
record PolicyStatement(boolean allow, Principals principals, Match actions, Match resources, List<PolicyCondition> conditions) {

    /** What a policy says of a request: allowed, explicitly denied, or nothing. */
    enum Decision { ALLOW, DENY, NONE }

    /**
     * What a policy is asked about: who does which action on which resource, and the access's
     * condition keys (worked out only when a condition asks for one of them).
     */
    record Request(Caller caller, String action, String resource, java.util.function.Supplier<RequestConditionKeys.Keys> keys) {}

    /**
     * Who sends a request: an access key of this node's account, as an IAM user, from the address
     * {@code sourceIp} (null when not known), over HTTPS or not ({@code secureTransport}).
     */
    record Caller(String accessKey, String accountId, String region, String sourceIp, boolean secureTransport) {
        String arn() {
            return userArn(accountId, accessKey);
        }

        String rootArn() {
            return PolicyStatement.rootArn(accountId);
        }
    }

    /** An access key as an IAM user of the account. */
    static String userArn(String accountId, String accessKey) {
        return "arn:aws:iam::" + accountId + ":user/" + accessKey;
    }

    /** The account itself, as IAM names it in a principal. */
    static String rootArn(String accountId) {
        return "arn:aws:iam::" + accountId + ":root";
    }

    /** IAM's wildcard patterns of an element, or of its Not form ({@code negated}: it matches what they do not). */
    record Match(List<IamGlob> patterns, boolean negated) {
        boolean matches(String value) {
            for (IamGlob pattern : patterns) {
                if (pattern.matches(value)) return !negated;
            }
            return negated;
        }
    }

    /**
     * A resource-based statement's Principal (or NotPrincipal, {@code negated}): anyone ({@code *}),
     * or IAM ARNs (an account as its root ARN). Principals of other kinds (services) are kept and
     * never match a request.
     */
    record Principals(boolean anyone, Set<String> arns, boolean negated) {
        boolean matches(Caller caller, boolean allow) {
            if (negated) {
                // IAM checks a NotPrincipal against the user and against its account: a user is spared
                // only when both are listed.
                return !(anyone || arns.contains(caller.arn()) && arns.contains(caller.rootArn()));
            }
            // Same account: an Allow naming the account (its root) delegates to the users' own policies
            // and grants nothing by itself; a Deny naming it applies to every user of the account.
            return anyone || arns.contains(caller.arn()) || !allow && arns.contains(caller.rootArn());
        }
    }

    /** A statement of a key's own policy (the configuration's): actions on resources, when the conditions hold. */
    static PolicyStatement identity(boolean allow, List<String> actions, List<String> resources, List<PolicyCondition> conditions) {
        return new PolicyStatement(allow, null, new Match(patterns(actions, true), false), new Match(patterns(resources, false), false),
                conditions);
    }

    boolean applies(Request request) {
        if (principals != null && !principals.matches(request.caller(), allow)) return false;
        if (!actions.matches(request.action()) || !resources.matches(request.resource())) return false;
        for (PolicyCondition condition : conditions) {
            Optional<Boolean> holds = condition.holds(request);
            // A condition on what Eddy cannot know of the request refuses: an Allow does not apply, a Deny does.
            if (holds.isEmpty() && allow || holds.isPresent() && !holds.get()) return false;
        }
        return true;
    }

    /** What {@code statements} together say: an explicit Deny wins over any Allow. */
    static Decision decide(List<PolicyStatement> statements, Request request) {
        Decision decision = Decision.NONE;
        for (PolicyStatement statement : statements) {
            if (!statement.applies(request)) continue;
            if (!statement.allow()) return Decision.DENY;
            decision = Decision.ALLOW;
        }
        return decision;
    }

    static List<IamGlob> patterns(List<String> globs, boolean ignoreCase) {
        return globs.stream().map(glob -> IamGlob.of(glob, ignoreCase)).toList();
    }
}
