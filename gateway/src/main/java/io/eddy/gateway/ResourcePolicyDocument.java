package io.eddy.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eddy.model.DynamoException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A resource-based policy (PutResourcePolicy, CreateTable's ResourcePolicy) of a table or of one of
 * its streams: checked as DynamoDB checks one, kept in IAM's canonical form (minified, its elements
 * in IAM's order, a list of one value written as the value, an account id as its root ARN), and
 * evaluated for requests. The canonical form decides whether a second Put changes anything.
 */
final class ResourcePolicyDocument {

    static final int MAX_BYTES = 20480;
    /** IAM's Version for a policy that names none; GetResourcePolicy shows it. */
    static final String DEFAULT_VERSION = "2008-10-17";

    /** What a policy is attached to. */
    enum Kind { TABLE, STREAM }

    private static final Set<String> VERSIONS = Set.of("2008-10-17", "2012-10-17");
    private static final List<String> STATEMENT_FIELDS = List.of("Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction",
            "Resource", "NotResource", "Condition");
    private static final List<String> PRINCIPAL_TYPES = List.of("AWS", "Service", "Federated", "CanonicalUser");

    /** The actions a stream's policy may name; a table's may name every other DynamoDB action (and these three on itself). */
    private static final Set<String> STREAM_ACTIONS = lowerCase(List.of("DescribeStream", "GetRecords", "GetShardIterator",
            "GetResourcePolicy", "PutResourcePolicy", "DeleteResourcePolicy"));
    private static final Set<String> TABLE_ACTIONS = lowerCase(List.of("BatchGetItem", "BatchWriteItem", "ConditionCheckItem",
            "CreateBackup", "CreateTable", "CreateTableReplica", "DeleteItem", "DeleteResourcePolicy", "DeleteTable", "DeleteTableReplica",
            "DescribeContinuousBackups", "DescribeContributorInsights", "DescribeExport", "DescribeKinesisStreamingDestination",
            "DescribeTable", "DescribeTableReplicaAutoScaling", "DescribeTimeToLive", "DisableKinesisStreamingDestination",
            "EnableKinesisStreamingDestination", "ExportTableToPointInTime", "GetItem", "GetResourcePolicy", "ImportTable",
            "ListTagsOfResource", "PartiQLDelete", "PartiQLInsert", "PartiQLSelect", "PartiQLUpdate", "PutItem", "PutResourcePolicy",
            "Query", "RestoreTableFromBackup", "RestoreTableToPointInTime", "Scan", "SearchVectors", "TagResource", "UntagResource",
            "UpdateContinuousBackups", "UpdateContributorInsights", "UpdateGlobalTable", "UpdateGlobalTableSettings", "UpdateItem",
            "UpdateKinesisStreamingDestination", "UpdateTable", "UpdateTableReplicaAutoScaling", "UpdateTimeToLive"));

    // A field twice (an Effect Deny, then Allow) is refused, not read as the last one.
    private static final ObjectReader READER = Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final List<PolicyStatement> statements;
    private final String stored;

    private ResourcePolicyDocument(List<PolicyStatement> statements, String stored) {
        this.statements = List.copyOf(statements);
        this.stored = stored;
    }

    /**
     * The policy a request sends, checked; {@code knownUser} says whether an IAM user (an access key)
     * exists.
     *
     * @throws DynamoException ValidationException with DynamoDB's message for what is wrong
     */
    static ResourcePolicyDocument parse(String document, Kind kind, String accountId, Predicate<String> knownUser) {
        if (document.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw DynamoException.invalidParameter("Maximum policy size of " + MAX_BYTES + " bytes exceeded");
        }
        return read(document, new Parser(kind, accountId, knownUser, false));
    }

    /**
     * A policy as {@link #stored()} keeps it: checked when it was attached, so only read. Its
     * canonical form may be longer than what was sent, and its users may be gone since.
     */
    static ResourcePolicyDocument ofStored(String stored, Kind kind, String accountId) {
        return read(stored, new Parser(kind, accountId, user -> true, true));
    }

    private static ResourcePolicyDocument read(String document, Parser parser) {
        JsonNode root;
        try {
            root = document.isBlank() ? null : READER.readTree(document);
        } catch (JsonProcessingException e) {
            root = null;
        }
        if (root == null || !root.isObject()) throw invalid("This policy contains invalid Json");
        return parser.document((ObjectNode) root);
    }

    /** The canonical document, as kept: without a Version when the request named none. */
    String stored() {
        return stored;
    }

    /** The document GetResourcePolicy answers: the stored one, with IAM's default Version when it names none. */
    static String rendered(String stored) {
        try {
            ObjectNode document = (ObjectNode) READER.readTree(stored);
            if (document.has("Version")) return stored;
            ObjectNode withVersion = NODES.objectNode().put("Version", DEFAULT_VERSION);
            withVersion.setAll(document);
            return Json.MAPPER.writeValueAsString(withVersion);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored policy that is not JSON", e);
        }
    }

    PolicyStatement.Decision decide(PolicyStatement.Request request) {
        return PolicyStatement.decide(statements, request);
    }

    /** "Invalid policy document: ...", as DynamoDB prefixes what IAM finds wrong with a policy. */
    static DynamoException invalid(String detail) {
        return DynamoException.invalidParameter("Invalid policy document: " + detail);
    }

    private static DynamoException syntaxError() {
        return invalid("Syntax errors in policy.");
    }

    private static Set<String> lowerCase(List<String> actions) {
        Set<String> names = new HashSet<>();
        for (String action : actions) names.add("dynamodb:" + action.toLowerCase(Locale.ROOT));
        return Set.copyOf(names);
    }

    /** Reads one document into statements and its canonical form; {@code trusted}: one it has read before. */
    private record Parser(Kind kind, String accountId, Predicate<String> knownUser, boolean trusted) {

        ResourcePolicyDocument document(ObjectNode root) {
            for (Map.Entry<String, JsonNode> field : root.properties()) {
                if (!List.of("Version", "Id", "Statement").contains(field.getKey())) throw syntaxError();
            }
            ObjectNode canonical = NODES.objectNode();
            JsonNode version = root.get("Version");
            if (version != null) {
                if (!version.isTextual() || !VERSIONS.contains(version.asText())) {
                    throw invalid("The policy must contain a valid version string");
                }
                canonical.set("Version", version);
            }
            JsonNode id = root.get("Id");
            if (id != null) {
                if (!id.isTextual()) throw syntaxError();
                canonical.set("Id", id);
            }
            JsonNode statementNode = root.get("Statement");
            if (statementNode == null) throw invalid("Missing required field Statement");
            List<JsonNode> sent = new ArrayList<>();
            if (statementNode.isArray()) statementNode.forEach(sent::add);
            else sent.add(statementNode);
            if (sent.isEmpty()) throw invalid("Could not parse the policy: Statement is empty!");
            List<PolicyStatement> statements = new ArrayList<>();
            ArrayNode canonicalStatements = canonical.putArray("Statement");
            Set<String> sids = new HashSet<>();
            for (JsonNode statement : sent) {
                if (!statement.isObject()) throw syntaxError();
                JsonNode sid = statement.get("Sid");
                if (sid != null && !sid.isTextual()) throw syntaxError();
                if (sid != null && !sids.add(sid.asText())) throw invalid("The Statement Ids in the policy are not unique");
                ObjectNode out = canonicalStatements.addObject();
                // Policy variables (${aws:username}) are IAM's from Version 2012-10-17 on; before, they are text.
                statements.add(statement((ObjectNode) statement, out, version != null && version.asText().equals("2012-10-17")));
            }
            try {
                return new ResourcePolicyDocument(statements, Json.MAPPER.writeValueAsString(canonical));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }

        private PolicyStatement statement(ObjectNode statement, ObjectNode out, boolean variables) {
            for (Map.Entry<String, JsonNode> field : statement.properties()) {
                if (!STATEMENT_FIELDS.contains(field.getKey())) throw syntaxError();
            }
            if (statement.has("Sid")) out.set("Sid", statement.get("Sid"));
            JsonNode effect = statement.get("Effect");
            if (effect == null) throw invalid("Missing required field Effect");
            if (!effect.isTextual() || !List.of("Allow", "Deny").contains(effect.asText())) throw syntaxError();
            boolean allow = effect.asText().equals("Allow");
            out.set("Effect", effect);

            String principalField = exactlyOne(statement, "Principal", "NotPrincipal");
            PolicyStatement.Principals principals = principals(statement.get(principalField), principalField.equals("NotPrincipal"), out,
                    principalField);

            String actionField = exactlyOne(statement, "Action", "NotAction");
            List<String> actions = strings(statement.get(actionField));
            checkActions(actions);
            out.set(actionField, canonicalList(actions));

            String resourceField = exactlyOne(statement, "Resource", "NotResource");
            List<String> resources = strings(statement.get(resourceField));
            for (String resource : resources) checkResource(resource);
            out.set(resourceField, canonicalList(resources));

            List<PolicyCondition> conditions = conditions(statement.get("Condition"), out, variables);
            // IAM takes NotPrincipal with Deny only. One kept before Eddy refused it grants nothing.
            if (allow && principals.negated()) {
                if (!trusted) throw syntaxError();
                principals = new PolicyStatement.Principals(false, Set.of(), false);
            }
            if (allow && principals.anyone() && !restrictsPrincipal(conditions) && !trusted) {
                throw DynamoException.validation("Resource-based policy grants unbounded access in one or more elements. "
                        + "Please revise the policy to ensure least-privilege form of access");
            }
            return new PolicyStatement(allow, principals,
                    new PolicyStatement.Match(PolicyStatement.patterns(actions, true), actionField.equals("NotAction")),
                    new PolicyStatement.Match(PolicyStatement.patterns(resources, false), resourceField.equals("NotResource")), conditions);
        }

        /** The one of the two fields the statement has; both is a syntax error, neither a missing field. */
        private static String exactlyOne(ObjectNode statement, String field, String negated) {
            if (statement.has(field) && statement.has(negated)) throw syntaxError();
            if (statement.has(negated)) return negated;
            if (!statement.has(field)) throw invalid("Missing required field " + field);
            return field;
        }

        private PolicyStatement.Principals principals(JsonNode principal, boolean negated, ObjectNode out, String field) {
            if (principal.isTextual()) {
                if (!principal.asText().equals("*")) throw syntaxError();
                out.put(field, "*");
                return new PolicyStatement.Principals(true, Set.of(), negated);
            }
            if (!principal.isObject() || principal.isEmpty()) throw syntaxError();
            ObjectNode canonical = out.putObject(field);
            boolean anyone = false;
            Set<String> arns = new LinkedHashSet<>();
            for (String type : PRINCIPAL_TYPES) {
                if (!principal.has(type)) continue;
                Set<String> values = new LinkedHashSet<>();
                for (String value : strings(principal.get(type))) {
                    if (type.equals("AWS")) {
                        if (value.equals("*")) anyone = true;
                        else value = userOrAccount(value);
                        arns.add(value);
                    }
                    values.add(value);
                }
                canonical.set(type, canonicalList(List.copyOf(values)));
            }
            for (Map.Entry<String, JsonNode> type : principal.properties()) {
                if (!PRINCIPAL_TYPES.contains(type.getKey())) throw syntaxError();
            }
            return new PolicyStatement.Principals(anyone, arns, negated);
        }

        /** An AWS principal as IAM keeps it: this account (its root ARN) or one of its users; Eddy has no other. */
        private String userOrAccount(String value) {
            String root = PolicyStatement.rootArn(accountId);
            if (value.equals(accountId) || value.equals(root)) return root;
            String userPrefix = PolicyStatement.userArn(accountId, "");
            if (value.startsWith(userPrefix) && value.length() > userPrefix.length()) {
                String user = value.substring(userPrefix.length());
                if (knownUser.test(user)) return value;
            }
            throw DynamoException.invalidParameter("Invalid principal in policy document.");
        }

        private void checkActions(List<String> actions) {
            Set<String> allowed = kind == Kind.TABLE ? TABLE_ACTIONS : STREAM_ACTIONS;
            List<String> invalid = new ArrayList<>();
            for (String action : actions) {
                if (action.equals("*")) continue;
                boolean wildcard = action.indexOf('*') >= 0 || action.indexOf('?') >= 0;
                String lower = action.toLowerCase(Locale.ROOT);
                if (!lower.startsWith("dynamodb:") || !wildcard && !allowed.contains(lower)) invalid.add("\"" + action + "\"");
            }
            if (!invalid.isEmpty()) throw invalid("The following action names are invalid: " + String.join(", ", invalid));
        }

        private void checkResource(String resource) {
            if (resource.equals("*")) return;
            String[] parts = resource.split(":", 6);
            if (!resource.startsWith("arn:") || parts.length < 6) {
                throw invalid("Resource " + resource + " must be in ARN format or \"*\".");
            }
            String relative = parts[5];
            if (!parts[2].equals("dynamodb") || relative.indexOf('*') >= 0 || relative.indexOf('?') >= 0) return;
            boolean stream = relative.contains("/stream/");
            if (stream != (kind == Kind.STREAM)) {
                throw invalid("The relative-id \"" + relative + "\" is invalid for ARN \"" + resource + "\"");
            }
        }

        private List<PolicyCondition> conditions(JsonNode condition, ObjectNode out, boolean variables) {
            if (condition == null) return List.of();
            if (!condition.isObject()) throw syntaxError();
            ObjectNode canonical = out.putObject("Condition");
            List<PolicyCondition> conditions = new ArrayList<>();
            for (Map.Entry<String, JsonNode> operator : condition.properties()) {
                if (!operator.getValue().isObject() || operator.getValue().isEmpty()) throw syntaxError();
                ObjectNode keys = canonical.putObject(operator.getKey());
                for (Map.Entry<String, JsonNode> key : operator.getValue().properties()) {
                    List<String> values = conditionValues(key.getValue());
                    conditions.add(PolicyCondition.of(operator.getKey(), key.getKey(), values, variables, trusted));
                    keys.set(key.getKey(), canonicalList(values));
                }
            }
            return conditions;
        }

        private static List<String> conditionValues(JsonNode node) {
            List<String> values = new ArrayList<>();
            if (node.isValueNode() && !node.isNull()) values.add(node.asText());
            else if (node.isArray() && !node.isEmpty()) {
                for (JsonNode value : node) {
                    if (!value.isValueNode() || value.isNull()) throw syntaxError();
                    values.add(value.asText());
                }
            } else {
                throw syntaxError();
            }
            return values;
        }

        /** The trusted keys of DynamoDB's Block Public Access that Eddy knows: a fixed value of one bounds the principal. */
        private static final Set<String> TRUSTED_KEYS = Set.of("aws:principalarn", "aws:principalaccount", "aws:userid");

        /** Whether a condition limits the statement to principals named by ARN, account or user id (so "*" is not everyone). */
        private static boolean restrictsPrincipal(List<PolicyCondition> conditions) {
            for (PolicyCondition condition : conditions) {
                String key = condition.key();
                boolean positive = !condition.operator().negated() && condition.operator() != PolicyCondition.Operator.Bool
                        && condition.operator() != PolicyCondition.Operator.Null;
                // A variable may stand for anything ("${*}", "${aws:PrincipalArn}"), and so may a Like operator's wildcard:
                // DynamoDB counts only values without either as a bound.
                boolean bounded = condition.values().stream().noneMatch(value -> value.contains("${")
                        || (condition.operator().like() ? value.contains("*") || value.contains("?") : value.equals("*")));
                if (positive && !condition.ifExists() && bounded && TRUSTED_KEYS.contains(key)) {
                    return true;
                }
            }
            return false;
        }

        private static List<String> strings(JsonNode node) {
            List<String> values = new ArrayList<>();
            if (node.isTextual()) values.add(node.asText());
            else if (node.isArray() && !node.isEmpty()) {
                for (JsonNode value : node) {
                    if (!value.isTextual()) throw syntaxError();
                    values.add(value.asText());
                }
            } else {
                throw syntaxError();
            }
            return values;
        }

        /** IAM's canonical form of a list: one value as the value itself, more in their order, duplicates kept. */
        private static JsonNode canonicalList(List<String> values) {
            if (values.size() == 1) return NODES.textNode(values.get(0));
            ArrayNode list = NODES.arrayNode();
            values.forEach(list::add);
            return list;
        }

    }
}
