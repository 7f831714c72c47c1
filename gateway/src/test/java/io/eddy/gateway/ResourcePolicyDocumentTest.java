package io.eddy.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.eddy.gateway.PolicyStatement.Caller;
import io.eddy.gateway.PolicyStatement.Decision;
import io.eddy.gateway.ResourcePolicyDocument.Kind;
import io.eddy.model.DynamoException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Resource-based policy documents: IAM's canonical form, DynamoDB's refusals, and what they decide. */
class ResourcePolicyDocumentTest {

    private static final String ACCOUNT = "000000000000";
    private static final String MUSIC = "arn:aws:dynamodb:us-east-1:000000000000:table/Music";
    private static final String STREAM = MUSIC + "/stream/2026-12-03T00:00:00.000";

    private static PolicyStatement.Request request(Caller caller, String action, String resource) {
        return new PolicyStatement.Request(caller, action, resource, () -> RequestConditionKeys.Keys.NONE);
    }

    private static ResourcePolicyDocument parse(String document) {
        return ResourcePolicyDocument.parse(document.replace('\'', '"'), Kind.TABLE, ACCOUNT, Set.of("READER", "WRITER")::contains);
    }

    private static void refused(String message, String document) {
        refused(message, document, Kind.TABLE);
    }

    private static void refused(String message, String document, Kind kind) {
        DynamoException e = assertThrows(DynamoException.class,
                () -> ResourcePolicyDocument.parse(document.replace('\'', '"'), kind, ACCOUNT, Set.of("READER")::contains));
        assertEquals(message, e.getMessage());
    }

    @Test
    void keptInIamsCanonicalForm() {
        String sent = """
                {
                  'Statement': [ {
                    'Resource': ['%s'], 'Action': ['dynamodb:GetItem'], 'Principal': {'AWS': ['000000000000', 'arn:aws:iam::000000000000:root']},
                    'Effect': 'Allow', 'Sid': 'Read',
                    'Condition': {'StringEquals': {'aws:PrincipalAccount': ['000000000000']}}
                  }, {
                    'Effect': 'Deny', 'Principal': {'AWS': 'arn:aws:iam::000000000000:user/WRITER'},
                    'Action': ['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:GetItem'], 'Resource': ['%s/index/*', '%s']
                  } ],
                  'Version': '2012-10-17'
                }""".formatted(MUSIC, MUSIC, MUSIC);
        assertEquals(("{'Version':'2012-10-17','Statement':[{'Sid':'Read','Effect':'Allow','Principal':{'AWS':'arn:aws:iam::000000000000:root'},"
                        + "'Action':'dynamodb:GetItem','Resource':'" + MUSIC + "','Condition':{'StringEquals':{'aws:PrincipalAccount':'000000000000'}}},"
                        + "{'Effect':'Deny','Principal':{'AWS':'arn:aws:iam::000000000000:user/WRITER'},"
                        + "'Action':['dynamodb:Query','dynamodb:GetItem','dynamodb:GetItem'],'Resource':['" + MUSIC + "/index/*','" + MUSIC + "']}]}")
                        .replace('\'', '"'),
                parse(sent).stored());
        // The canonical form reads back as itself.
        assertEquals(parse(sent).stored(), parse(parse(sent).stored()).stored());
    }

    @Test
    void aPolicyWithoutVersionIsShownWithIamsDefaultButKeptWithout() {
        String stored = parse("{'Statement': {'Effect': 'Deny', 'Principal': '*', 'Action': 'dynamodb:*', 'Resource': '*'}}").stored();
        assertEquals("{'Statement':[{'Effect':'Deny','Principal':'*','Action':'dynamodb:*','Resource':'*'}]}".replace('\'', '"'), stored);
        assertEquals("{'Version':'2008-10-17','Statement':[{'Effect':'Deny','Principal':'*','Action':'dynamodb:*','Resource':'*'}]}"
                .replace('\'', '"'), ResourcePolicyDocument.rendered(stored));
        // So the shown document, sent again, is another document (as in DynamoDB).
        assertNotEquals(stored, parse(ResourcePolicyDocument.rendered(stored)).stored());
    }

    @Test
    void refusedWithDynamoDbsMessages() {
        String prefix = "One or more parameter values were invalid: Invalid policy document: ";
        refused(prefix + "This policy contains invalid Json", "{not json");
        refused(prefix + "This policy contains invalid Json", "");
        refused(prefix + "This policy contains invalid Json", "{} {}");
        refused(prefix + "Could not parse the policy: Statement is empty!", "{'Version': '2012-10-17', 'Statement': []}");
        refused(prefix + "Missing required field Resource",
                "{'Statement': [{'Effect': 'Allow', 'Principal': {'AWS': '000000000000'}, 'Action': 'dynamodb:GetItem'}]}");
        refused(prefix + "The Statement Ids in the policy are not unique", "{'Statement': ["
                + "{'Sid': 'a', 'Effect': 'Deny', 'Principal': '*', 'Action': 'dynamodb:GetItem', 'Resource': '*'},"
                + "{'Sid': 'a', 'Effect': 'Deny', 'Principal': '*', 'Action': 'dynamodb:PutItem', 'Resource': '*'}]}");
        refused("Resource-based policy grants unbounded access in one or more elements. Please revise the policy to ensure "
                + "least-privilege form of access",
                "{'Statement': [{'Effect': 'Allow', 'Principal': {'AWS': '*'}, 'Action': 'dynamodb:GetItem', 'Resource': '*'}]}");
        refused("Resource-based policy grants unbounded access in one or more elements. Please revise the policy to ensure "
                + "least-privilege form of access",
                "{'Statement': [{'Effect': 'Allow', 'Principal': '*', 'Action': 'dynamodb:GetItem', 'Resource': '*'}]}");
        refused("One or more parameter values were invalid: Invalid principal in policy document.",
                "{'Statement': [{'Effect': 'Allow', 'Principal': {'AWS': ['000000000000', '111111111111']}, 'Action': 'dynamodb:GetItem', 'Resource': '*'}]}");
        refused("One or more parameter values were invalid: Invalid principal in policy document.",
                "{'Statement': [{'Effect': 'Allow', 'Principal': {'AWS': 'arn:aws:iam::000000000000:user/NOBODY'}, 'Action': 'dynamodb:GetItem', 'Resource': '*'}]}");
        refused(prefix + "Syntax errors in policy.",
                "{'Statement': [{'Effect': 'Allow', 'Principal': '000000000000', 'Action': 'dynamodb:GetItem', 'Resource': '*'}]}");
        refused(prefix + "The following action names are invalid: \"dynamodb:GetRecords\", \"dynamodb:DescribeStream\"",
                "{'Statement': [{'Effect': 'Allow', 'Principal': {'AWS': '000000000000'}, 'Action': ['dynamodb:GetItem', 'dynamodb:GetRecords',"
                        + " 'dynamodb:DescribeStream'], 'Resource': '*'}]}");
        refused(prefix + "The relative-id \"table/Music/stream/2026-12-03T00:00:00.000\" is invalid for ARN \"" + STREAM + "\"",
                "{'Statement': [{'Effect': 'Allow', 'Principal': {'AWS': '000000000000'}, 'Action': 'dynamodb:GetItem', 'Resource': '" + STREAM + "'}]}");
        refused(prefix + "The following action names are invalid: \"dynamodb:GetItem\"",
                "{'Statement': [{'Effect': 'Allow', 'Principal': {'AWS': '000000000000'}, 'Action': 'dynamodb:GetItem', 'Resource': '" + STREAM + "'}]}",
                Kind.STREAM);
        refused(prefix + "Condition key aws:SourceIp takes IpAddress or NotIpAddress",
                "{'Statement': [{'Effect': 'Deny', 'Principal': '*', 'Action': 'dynamodb:GetItem', 'Resource': '*',"
                        + " 'Condition': {'StringEquals': {'aws:SourceIp': ['10.0.0.1']}}}]}");
        refused(prefix + "Condition key dynamodb:Attributes takes ForAllValues: or ForAnyValue: in Eddy",
                "{'Statement': [{'Effect': 'Deny', 'Principal': '*', 'Action': 'dynamodb:GetItem', 'Resource': '*',"
                        + " 'Condition': {'StringEquals': {'dynamodb:Attributes': ['a']}}}]}");
        refused(prefix + "Condition key dynamodb:LeadingKeys takes ForAllValues: or ForAnyValue: in Eddy",
                "{'Statement': [{'Effect': 'Deny', 'Principal': '*', 'Action': 'dynamodb:GetItem', 'Resource': '*',"
                        + " 'Condition': {'StringEquals': {'dynamodb:LeadingKeys': ['a']}}}]}");
        refused("One or more parameter values were invalid: Maximum policy size of 20480 bytes exceeded",
                "{'Statement': [{'Effect': 'Deny', 'Principal': '*', 'Action': 'dynamodb:GetItem', 'Resource': '*'}]}" + " ".repeat(20480));
    }

    @Test
    void moreRefusals() {
        String prefix = "One or more parameter values were invalid: Invalid policy document: ";
        // A field twice is not read as its last value.
        refused(prefix + "This policy contains invalid Json",
                "{'Statement': [{'Effect': 'Deny', 'Effect': 'Allow', 'Principal': {'AWS': '000000000000'}, 'Action': 'dynamodb:GetItem', 'Resource': '*'}]}");
        // IAM takes NotPrincipal with Deny only.
        refused(prefix + "Syntax errors in policy.",
                "{'Statement': [{'Effect': 'Allow', 'NotPrincipal': {'AWS': '000000000000'}, 'Action': 'dynamodb:GetItem', 'Resource': '*',"
                        + " 'Condition': {'StringEquals': {'aws:PrincipalAccount': '000000000000'}}}]}");
        refused(prefix + "Policy variable ${aws:PrincipalTag/team} is not supported by Eddy",
                "{'Version': '2012-10-17', 'Statement': [{'Effect': 'Deny', 'Principal': '*', 'Action': 'dynamodb:GetItem', 'Resource': '*',"
                        + " 'Condition': {'StringNotEquals': {'aws:username': '${aws:PrincipalTag/team}'}}}]}");
        refused("Resource-based policy grants unbounded access in one or more elements. Please revise the policy to ensure "
                        + "least-privilege form of access",
                "{'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Principal': '*', 'Action': 'dynamodb:GetItem', 'Resource': '*',"
                        + " 'Condition': {'ArnLike': {'aws:PrincipalArn': '${aws:PrincipalArn}'}}}]}");
        refused(prefix + "Condition value a of NumericLessThan is not a number",
                "{'Statement': [{'Effect': 'Deny', 'Principal': '*', 'Action': 'dynamodb:GetItem', 'Resource': '*',"
                        + " 'Condition': {'NumericLessThan': {'aws:EpochTime': ['a']}}}]}");
        refused(prefix + "Condition value tomorrow of DateLessThan is not a date",
                "{'Statement': [{'Effect': 'Deny', 'Principal': '*', 'Action': 'dynamodb:GetItem', 'Resource': '*',"
                        + " 'Condition': {'DateLessThan': {'aws:CurrentTime': ['tomorrow']}}}]}");
        refused(prefix + "Condition operator IpAddress takes aws:SourceIp in Eddy",
                "{'Statement': [{'Effect': 'Deny', 'Principal': '*', 'Action': 'dynamodb:GetItem', 'Resource': '*',"
                        + " 'Condition': {'IpAddress': {'aws:username': ['10.0.0.0/8']}}}]}");
        // Literals only: ".:" and "...:1" would be looked up as host names; an IPv4-mapped range's prefix counts from bit 96.
        for (String range : List.of("10.0.0.0/33", "10.0.0/8", "256.0.0.1", "example.com", "::1/129", "10.0.0.0/", "10.0.0.0/-1",
                ".:", "...:1", "fe80::1%2", "::ffff:10.0.0.0/8", "::ffff:10.0.0.0/129")) {
            refused(prefix + "Condition value " + range + " of NotIpAddress is not an IP address or CIDR range",
                    "{'Statement': [{'Effect': 'Deny', 'Principal': '*', 'Action': 'dynamodb:GetItem', 'Resource': '*',"
                            + " 'Condition': {'NotIpAddress': {'aws:SourceIp': ['" + range + "']}}}]}");
        }
        refused(prefix + "Policy variable ${aws:SourceIp} is not supported by Eddy",
                "{'Version': '2012-10-17', 'Statement': [{'Effect': 'Deny', 'Principal': '*', 'Action': 'dynamodb:GetItem', 'Resource': '*',"
                        + " 'Condition': {'StringNotEquals': {'aws:username': '${aws:SourceIp}'}}}]}");
        refused(prefix + "Condition operator BinaryEquals is not supported by Eddy",
                "{'Statement': [{'Effect': 'Deny', 'Principal': '*', 'Action': 'dynamodb:GetItem', 'Resource': '*',"
                        + " 'Condition': {'BinaryEquals': {'aws:username': ['QUJD']}}}]}");
        refused(prefix + "Syntax errors in policy.",
                "{'Statement': [{'Effect': 'Deny', 'Principal': '*', 'Action': 'dynamodb:GetItem', 'Resource': '*', 'Resource': null}]}"
                        .replace(", 'Resource': null", ", 'NotResource': '*'"));
        refused(prefix + "Missing required field Principal", "{'Statement': [{'Effect': 'Deny', 'Action': 'dynamodb:GetItem', 'Resource': '*'}]}");
        refused(prefix + "Syntax errors in policy.",
                "{'Statement': [{'Effect': 'Deny', 'Principal': '*', 'Action': null, 'Resource': '*'}]}");
        refused(prefix + "The policy must contain a valid version string",
                "{'Version': '2020-01-01', 'Statement': [{'Effect': 'Deny', 'Principal': '*', 'Action': 'dynamodb:GetItem', 'Resource': '*'}]}");
    }

    @Test
    void aStoredPolicyReadsBackWhateverItsLength() {
        // Each account id becomes its root ARN: the canonical form may pass the size limit the sent one met.
        StringBuilder statements = new StringBuilder();
        int i = 0;
        while (statements.length() < ResourcePolicyDocument.MAX_BYTES - 300) {
            if (i > 0) statements.append(',');
            statements.append("{'Sid':'s").append(i++).append("','Effect':'Deny','Principal':{'AWS':'000000000000'},'Action':'dynamodb:Scan','Resource':'*'}");
        }
        String stored = parse("{'Statement':[" + statements + "]}").stored();
        org.junit.jupiter.api.Assertions.assertTrue(stored.length() > ResourcePolicyDocument.MAX_BYTES, String.valueOf(stored.length()));
        assertEquals(Decision.DENY, ResourcePolicyDocument.ofStored(stored, Kind.TABLE, ACCOUNT)
                .decide(request(new Caller("READER", ACCOUNT, "us-east-1", "127.0.0.1", false), "dynamodb:Scan", MUSIC)));
    }

    @Test
    void negatedElementsAndConditions() {
        ResourcePolicyDocument policy = parse("""
                {'Version': '2012-10-17', 'Statement': [
                  {'Effect': 'Deny', 'NotPrincipal': {'AWS': ['arn:aws:iam::000000000000:user/READER', '000000000000']},
                   'Action': 'dynamodb:DeleteTable', 'Resource': '*'},
                  {'Effect': 'Deny', 'NotPrincipal': {'AWS': 'arn:aws:iam::000000000000:user/WRITER'}, 'Action': 'dynamodb:UpdateTable', 'Resource': '*'},
                  {'Effect': 'Deny', 'Principal': '*', 'NotAction': ['dynamodb:Get*', 'dynamodb:Query', 'dynamodb:DeleteTable', 'dynamodb:UpdateTable'],
                   'NotResource': '%s/index/*', 'Condition': {'StringNotEqualsIfExists': {'aws:username': 'WRITER'}}},
                  {'Effect': 'Deny', 'Principal': '*', 'Action': 'dynamodb:GetItem', 'Resource': '*', 'Condition': {'Null': {'aws:username': 'true'}}},
                  {'Effect': 'Deny', 'Principal': '*', 'Action': 'dynamodb:Query', 'Resource': '*',
                   'Condition': {'ArnLike': {'aws:PrincipalArn': 'arn:aws:iam::*:user/READ*'}, 'Bool': {'aws:SecureTransport': 'false'}}}
                ]}""".formatted(MUSIC));
        Caller reader = new Caller("READER", ACCOUNT, "us-east-1", "127.0.0.1", false);
        Caller writer = new Caller("WRITER", ACCOUNT, "us-east-1", "127.0.0.1", false);
        // NotPrincipal spares a user only when the user and the account are both listed.
        assertEquals(Decision.NONE, policy.decide(request(reader, "dynamodb:DeleteTable", MUSIC)));
        assertEquals(Decision.DENY, policy.decide(request(writer, "dynamodb:DeleteTable", MUSIC)));
        assertEquals(Decision.DENY, policy.decide(request(writer, "dynamodb:UpdateTable", MUSIC)));
        // NotAction, NotResource, IfExists.
        assertEquals(Decision.DENY, policy.decide(request(reader, "dynamodb:PutItem", MUSIC)));
        assertEquals(Decision.NONE, policy.decide(request(reader, "dynamodb:PutItem", MUSIC + "/index/byYear")));
        assertEquals(Decision.NONE, policy.decide(request(writer, "dynamodb:PutItem", MUSIC)));
        // Every request has a user name: Null true does not hold.
        assertEquals(Decision.NONE, policy.decide(request(writer, "dynamodb:GetItem", MUSIC)));
        assertEquals(Decision.DENY, policy.decide(request(reader, "dynamodb:Query", MUSIC)));
        assertEquals(Decision.NONE, policy.decide(request(writer, "dynamodb:Query", MUSIC)));
    }

    private static PolicyStatement.Request request(Caller caller, String action, Map<String, List<String>> keys, String... unknown) {
        return new PolicyStatement.Request(caller, action, MUSIC, () -> new RequestConditionKeys.Keys(keys, Set.of(unknown)));
    }

    @Test
    void fineGrainedConditions() {
        String allowOwnItems = "{'Effect': 'Allow', 'Principal': {'AWS': ['arn:aws:iam::000000000000:user/READER', "
                + "'arn:aws:iam::000000000000:user/WRITER']}, 'Action': ['dynamodb:GetItem', 'dynamodb:PartiQLSelect'], 'Resource': '" + MUSIC
                + "', 'Condition': {'ForAllValues:StringEquals': {'dynamodb:LeadingKeys': ['${aws:username}']}}}";
        ResourcePolicyDocument policy = parse("{'Version': '2012-10-17', 'Statement': [" + allowOwnItems + ","
                + "{'Effect': 'Deny', 'Principal': '*', 'Action': 'dynamodb:Query', 'Resource': '*',"
                + " 'Condition': {'StringNotEqualsIfExists': {'dynamodb:Select': 'COUNT'}, 'StringEquals': {'aws:ResourceTag/Tier': 'secret'}}},"
                + "{'Effect': 'Deny', 'Principal': '*', 'Action': 'dynamodb:PartiQLDelete', 'Resource': '*',"
                + " 'Condition': {'ForAnyValue:StringEquals': {'dynamodb:LeadingKeys': 'WRITER'}}}]}");
        Caller reader = new Caller("READER", ACCOUNT, "us-east-1", "127.0.0.1", false);
        String leading = RequestConditionKeys.LEADING_KEYS;
        assertEquals(Decision.ALLOW, policy.decide(request(reader, "dynamodb:GetItem", Map.of(leading, List.of("READER")))));
        assertEquals(Decision.NONE, policy.decide(request(reader, "dynamodb:GetItem", Map.of(leading, List.of("WRITER")))));
        assertEquals(Decision.NONE, policy.decide(request(reader, "dynamodb:GetItem", Map.of(leading, List.of("READER", "WRITER")))));
        // IAM's ForAllValues holds of no values at all.
        assertEquals(Decision.ALLOW, policy.decide(request(reader, "dynamodb:GetItem", Map.of())));
        // What Eddy cannot know of a request refuses: an Allow does not apply, a Deny does.
        assertEquals(Decision.NONE, policy.decide(request(reader, "dynamodb:PartiQLSelect", Map.of(), leading)));
        assertEquals(Decision.DENY, policy.decide(request(reader, "dynamodb:PartiQLDelete", Map.of(), leading)));
        assertEquals(Decision.DENY, policy.decide(request(reader, "dynamodb:PartiQLDelete", Map.of(leading, List.of("x", "WRITER")))));
        assertEquals(Decision.NONE, policy.decide(request(reader, "dynamodb:PartiQLDelete", Map.of(leading, List.of("x")))));
        // A table's tags, and a parameter that may be absent.
        String tier = RequestConditionKeys.RESOURCE_TAG + "tier";
        assertEquals(Decision.DENY, policy.decide(request(reader, "dynamodb:Query", Map.of(tier, List.of("secret")))));
        assertEquals(Decision.NONE, policy.decide(request(reader, "dynamodb:Query", Map.of(tier, List.of("secret"), "dynamodb:select", List.of("COUNT")))));
        assertEquals(Decision.NONE, policy.decide(request(reader, "dynamodb:Query", Map.of(tier, List.of("public")))));
        assertEquals(Decision.NONE, policy.decide(request(reader, "dynamodb:Query", Map.of())));

        // IfExists holds of an absent key, with a set operator too.
        ResourcePolicyDocument ifExists = parse("{'Version': '2012-10-17', 'Statement': [{'Effect': 'Deny', 'Principal': '*',"
                + " 'Action': 'dynamodb:Scan', 'Resource': '*', 'Condition': {'ForAnyValue:StringEqualsIfExists': {'dynamodb:LeadingKeys': 'x'}}}]}");
        assertEquals(Decision.DENY, ifExists.decide(request(reader, "dynamodb:Scan", Map.of())));
        assertEquals(Decision.NONE, ifExists.decide(request(reader, "dynamodb:Scan", Map.of(leading, List.of("y")))));
        // In a Like pattern, ${*} and what a variable stands for are text, not wildcards.
        ResourcePolicyDocument like = parse("{'Version': '2012-10-17', 'Statement': [{'Effect': 'Deny', 'Principal': '*',"
                + " 'Action': 'dynamodb:Scan', 'Resource': '*', 'Condition': {'ForAnyValue:StringLike': {'dynamodb:LeadingKeys': '${aws:username}-${*}*'}}}]}");
        assertEquals(Decision.DENY, like.decide(request(reader, "dynamodb:Scan", Map.of(leading, List.of("READER-*x")))));
        assertEquals(Decision.NONE, like.decide(request(reader, "dynamodb:Scan", Map.of(leading, List.of("READER-x")))));
        assertEquals(Decision.NONE, like.decide(request(new Caller("R.*", ACCOUNT, "us-east-1", "127.0.0.1", false), "dynamodb:Scan",
                Map.of(leading, List.of("READER-*x")))));

        // Before Version 2012-10-17, a variable is text.
        ResourcePolicyDocument old = parse("{'Version': '2008-10-17', 'Statement': [" + allowOwnItems + "]}");
        assertEquals(Decision.NONE, old.decide(request(reader, "dynamodb:GetItem", Map.of(leading, List.of("READER")))));
        assertEquals(Decision.ALLOW, old.decide(request(reader, "dynamodb:GetItem", Map.of(leading, List.of("${aws:username}")))));
    }

    @Test
    void decidesAsIamDoesWithinOneAccount() {
        ResourcePolicyDocument policy = parse("""
                {'Version': '2012-10-17', 'Statement': [
                  {'Effect': 'Allow', 'Principal': {'AWS': 'arn:aws:iam::000000000000:user/READER'}, 'Action': 'dynamodb:Get*', 'Resource': '%s'},
                  {'Effect': 'Allow', 'Principal': {'AWS': '000000000000'}, 'Action': 'dynamodb:PutItem', 'Resource': '%s'},
                  {'Effect': 'Deny', 'Principal': {'AWS': '000000000000'}, 'Action': 'dynamodb:Query', 'Resource': '%s/index/*'},
                  {'Effect': 'Deny', 'Principal': '*', 'Action': 'dynamodb:Scan', 'Resource': '*',
                   'Condition': {'StringEquals': {'aws:username': 'WRITER'}}}
                ]}""".formatted(MUSIC, MUSIC, MUSIC));
        Caller reader = new Caller("READER", ACCOUNT, "us-east-1", "127.0.0.1", false);
        Caller writer = new Caller("WRITER", ACCOUNT, "us-east-1", "127.0.0.1", false);
        assertEquals(Decision.ALLOW, policy.decide(request(reader, "dynamodb:GetItem", MUSIC)));
        assertEquals(Decision.NONE, policy.decide(request(writer, "dynamodb:GetItem", MUSIC)));
        // Naming the account in an Allow grants nothing by itself; in a Deny it speaks for every user.
        assertEquals(Decision.NONE, policy.decide(request(reader, "dynamodb:PutItem", MUSIC)));
        assertEquals(Decision.DENY, policy.decide(request(reader, "dynamodb:Query", MUSIC + "/index/byYear")));
        assertEquals(Decision.NONE, policy.decide(request(reader, "dynamodb:Query", MUSIC)));
        assertEquals(Decision.DENY, policy.decide(request(writer, "dynamodb:Scan", MUSIC)));
        assertEquals(Decision.NONE, policy.decide(request(reader, "dynamodb:Scan", MUSIC)));
    }
    @Test
    void sourceIpRangesOfEitherFamily() {
        // AWS's own example: a range allowed but for one address of it; and an IPv6 range, with a single address as its /128.
        ResourcePolicyDocument policy = parse("""
                {'Version': '2012-10-17', 'Statement': [
                  {'Effect': 'Allow', 'Principal': {'AWS': 'arn:aws:iam::000000000000:user/READER'}, 'Action': 'dynamodb:GetItem',
                   'Resource': '%s', 'Condition': {'IpAddress': {'aws:SourceIp': ['198.51.100.0/24', '2001:db8:1234::/48', '::1',
                                 'fe80::/10']},
                                 'NotIpAddress': {'aws:SourceIp': '198.51.100.188/32'}}},
                  {'Effect': 'Deny', 'Principal': '*', 'Action': 'dynamodb:PutItem', 'Resource': '*',
                   'Condition': {'NotIpAddress': {'aws:SourceIp': ['10.0.0.0/8', '192.168.128.0/17']}}}
                ]}""".formatted(MUSIC));
        java.util.function.Function<String, Caller> from = ip -> new Caller("READER", ACCOUNT, "us-east-1", ip, false);
        assertEquals(Decision.ALLOW, policy.decide(request(from.apply("198.51.100.7"), "dynamodb:GetItem", MUSIC)));
        assertEquals(Decision.NONE, policy.decide(request(from.apply("198.51.100.188"), "dynamodb:GetItem", MUSIC)));
        assertEquals(Decision.NONE, policy.decide(request(from.apply("198.51.101.7"), "dynamodb:GetItem", MUSIC)));
        assertEquals(Decision.ALLOW, policy.decide(request(from.apply("2001:db8:1234:ffff::9"), "dynamodb:GetItem", MUSIC)));
        assertEquals(Decision.NONE, policy.decide(request(from.apply("2001:db8:1235::9"), "dynamodb:GetItem", MUSIC)));
        assertEquals(Decision.ALLOW, policy.decide(request(from.apply("0:0:0:0:0:0:0:1"), "dynamodb:GetItem", MUSIC)));
        // An IPv4 client on an IPv6 socket is compared as its IPv4 address; a link-local one's zone is not part of it.
        assertEquals(Decision.ALLOW, policy.decide(request(from.apply("::ffff:198.51.100.9"), "dynamodb:GetItem", MUSIC)));
        assertEquals(Decision.ALLOW, policy.decide(request(from.apply("fe80:0:0:0:0:0:0:1%2"), "dynamodb:GetItem", MUSIC)));
        // An IPv4-mapped range is its IPv4 range.
        ResourcePolicyDocument mapped = parse("{'Statement': [{'Effect': 'Deny', 'Principal': '*', 'Action': 'dynamodb:Scan', 'Resource': '*',"
                + " 'Condition': {'IpAddress': {'aws:SourceIp': '::ffff:203.0.113.0/120'}}}]}");
        assertEquals(Decision.DENY, mapped.decide(request(from.apply("203.0.113.77"), "dynamodb:Scan", MUSIC)));
        assertEquals(Decision.NONE, mapped.decide(request(from.apply("203.0.114.77"), "dynamodb:Scan", MUSIC)));
        // A prefix that does not end on a byte.
        assertEquals(Decision.NONE, policy.decide(request(from.apply("192.168.200.1"), "dynamodb:PutItem", MUSIC)));
        assertEquals(Decision.DENY, policy.decide(request(from.apply("192.168.100.1"), "dynamodb:PutItem", MUSIC)));
        assertEquals(Decision.NONE, policy.decide(request(from.apply("10.255.0.1"), "dynamodb:PutItem", MUSIC)));
        assertEquals(Decision.DENY, policy.decide(request(from.apply("11.0.0.1"), "dynamodb:PutItem", MUSIC)));
        // An address not known: IpAddress does not hold, NotIpAddress does (IAM's rule for a key not present).
        assertEquals(Decision.NONE, policy.decide(request(from.apply(null), "dynamodb:GetItem", MUSIC)));
        assertEquals(Decision.DENY, policy.decide(request(from.apply(null), "dynamodb:PutItem", MUSIC)));
        // An address is no bound on who the principal is (DynamoDB's Block Public Access); aws:UserId is.
        String anyoneFrom = "{'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Principal': '*', 'Action': 'dynamodb:GetItem',"
                + " 'Resource': '*', 'Condition': {'IpAddress': {'aws:SourceIp': '10.0.0.0/8'}%s}}]}";
        refused("Resource-based policy grants unbounded access in one or more elements. Please revise the policy to ensure "
                + "least-privilege form of access", anyoneFrom.formatted(""));
        parse(anyoneFrom.formatted(", 'StringEquals': {'aws:UserId': 'READER'}"));
        // A wildcard of a Like or ARN operator bounds nothing.
        refused("Resource-based policy grants unbounded access in one or more elements. Please revise the policy to ensure "
                + "least-privilege form of access", anyoneFrom.formatted(", 'StringLike': {'aws:UserId': '?*'}"));
        refused("Resource-based policy grants unbounded access in one or more elements. Please revise the policy to ensure "
                + "least-privilege form of access", anyoneFrom.formatted(", 'ArnEquals': {'aws:PrincipalArn': 'arn:aws:iam::*:user/*'}"));
        // ArnEquals takes IAM's wildcards, as ArnLike does.
        ResourcePolicyDocument arns = parse("{'Statement': [{'Effect': 'Deny', 'Principal': '*', 'Action': 'dynamodb:Scan', 'Resource': '*',"
                + " 'Condition': {'ArnEquals': {'aws:PrincipalArn': 'arn:aws:iam::000000000000:user/READ?R'}}}]}");
        assertEquals(Decision.DENY, arns.decide(request(from.apply("10.0.0.1"), "dynamodb:Scan", MUSIC)));
        assertEquals(Decision.NONE, arns.decide(request(new Caller("WRITER", ACCOUNT, "us-east-1", "10.0.0.1", false), "dynamodb:Scan", MUSIC)));
    }
}
