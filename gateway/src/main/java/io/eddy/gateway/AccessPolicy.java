package io.eddy.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import io.eddy.model.DynamoException;
import io.eddy.model.ErrorCode;
import io.eddy.model.TableMetadata;
import io.eddy.model.TableOptions.ResourcePolicy;
import io.eddy.model.partiql.Statement;
import io.eddy.shards.TableRegistry;
import io.eddy.streams.DynamoStreams;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Who may do what, as IAM decides it within one account: each access key's identity-based policy
 * ({@code eddy.auth.permissions { KEY = [ { effect = "Deny", actions = ["dynamodb:DeleteTable"], resources = ["*"] } ] }},
 * Allow when no effect is given) and the resource-based policies attached to the tables and streams
 * a request names (PutResourcePolicy). Each access a request needs ({@link #accesses}) is refused
 * when either policy denies it explicitly, and allowed when either allows it. A key with no
 * permissions configured is allowed everything its resources' policies do not deny, so configuring
 * credentials alone changes nothing. {@code *} and {@code ?} are IAM's wildcards (actions match
 * without regard to case). A refusal is AccessDeniedException, with IAM's message.
 */
final class AccessPolicy {

    private final Map<String, List<PolicyStatement>> byKey;
    private final String region;
    private final String accountId;
    private final TableRegistry tables;
    private final RequestConditionKeys conditionKeys;
    /** Attached documents parsed once, by their stored text; few, since policies are few. */
    private final Map<String, ResourcePolicyDocument> parsed = new ConcurrentHashMap<>();

    private final boolean secureTransport;
    private final List<IpRange> trustedProxies;

    AccessPolicy(Map<String, List<PolicyStatement>> byKey, NodeContext node, boolean secureTransport, List<IpRange> trustedProxies) {
        this.byKey = Map.copyOf(byKey);
        this.secureTransport = secureTransport;
        this.trustedProxies = List.copyOf(trustedProxies);
        this.region = node.region();
        this.accountId = node.accountId();
        this.tables = node.shards().tables();
        this.conditionKeys = new RequestConditionKeys(node);
    }

    /** The policy {@code eddy.auth.permissions} describes, with the resource-based policies of the node's tables. */
    /**
     * The configured permissions; {@code secureTransport}: the node serves HTTPS (aws:SecureTransport);
     * {@code trustedProxies}: the proxies whose X-Forwarded-For gives aws:SourceIp ({@link ClientAddress}).
     */
    static AccessPolicy of(Config permissions, NodeContext node, boolean secureTransport, List<IpRange> trustedProxies) {
        Map<String, List<PolicyStatement>> byKey = new HashMap<>();
        for (String key : permissions.root().keySet()) {
            List<PolicyStatement> statements = new ArrayList<>();
            for (Config statement : permissions.getConfigList(ConfigUtil.joinPath(key))) {
                for (String field : statement.root().keySet()) {
                    if (!List.of("effect", "actions", "resources", "conditions").contains(field)) {
                        throw new IllegalArgumentException("eddy.auth.permissions." + key + ": unknown field " + field);
                    }
                }
                String effect = statement.hasPath("effect") ? statement.getString("effect") : "Allow";
                if (!List.of("Allow", "Deny").contains(effect)) {
                    throw new IllegalArgumentException("eddy.auth.permissions." + key + ": effect is Allow or Deny, not " + effect);
                }
                List<PolicyCondition> conditions = statement.hasPath("conditions") ? conditions(key, statement.getObject("conditions"))
                        : List.of();
                statements.add(PolicyStatement.identity(effect.equals("Allow"), statement.getStringList("actions"),
                        statement.getStringList("resources"), conditions));
            }
            byKey.put(key, statements);
        }
        return new AccessPolicy(byKey, node, secureTransport, trustedProxies);
    }

    /** {@code conditions { "ForAllValues:StringEquals" { "dynamodb:LeadingKeys" = ["${aws:username}"] } }}, policy variables included. */
    private static List<PolicyCondition> conditions(String key, ConfigObject conditions) {
        List<PolicyCondition> parsed = new ArrayList<>();
        try {
            for (Map.Entry<String, ConfigValue> operator : conditions.entrySet()) {
                if (!(operator.getValue() instanceof ConfigObject keys)) throw new IllegalArgumentException(operator.getKey() + " is not an object");
                for (Map.Entry<String, ConfigValue> condition : keys.entrySet()) {
                    Object value = condition.getValue().unwrapped();
                    List<?> given = value instanceof List<?> list ? list : java.util.Collections.singletonList(value);
                    if (given.stream().anyMatch(v -> v == null || v instanceof Map || v instanceof List)) {
                        throw new IllegalArgumentException(condition.getKey() + " takes a string or a list of strings");
                    }
                    List<String> values = given.stream().map(String::valueOf).toList();
                    if (values.isEmpty()) throw new IllegalArgumentException(condition.getKey() + " has no values");
                    parsed.add(PolicyCondition.of(operator.getKey(), condition.getKey(), values, true, false));
                }
            }
        } catch (DynamoException | IllegalArgumentException e) {
            throw new IllegalArgumentException("eddy.auth.permissions." + key + ": " + e.getMessage(), e);
        }
        return parsed;
    }

    /**
     * The policy attached to a table, or to a stream: a deleted table's stream stays readable for a
     * day (retired tables keep their settings), and its policy with it.
     */
    private Optional<ResourcePolicy> attached(PolicyResource resource) {
        if (resource.streamLabel() == null) return tables.find(resource.tableName()).flatMap(table -> table.options().resourcePolicies().of(null));
        for (TableMetadata table : tables.liveAndRetired(resource.tableName())) {
            if (table.options().streams().withLabel(resource.streamLabel()).isPresent()) {
                return table.options().resourcePolicies().of(resource.streamLabel());
            }
        }
        return Optional.empty();
    }

    /** An action on a resource, with the condition keys of that access, as IAM authorizes a request: a request may need several. */
    record Access(String action, String resource, Supplier<RequestConditionKeys.Keys> keys) {}

    private static final Supplier<RequestConditionKeys.Keys> NO_KEYS = () -> RequestConditionKeys.Keys.NONE;

    /**
     * @param peer         the TCP peer's address (null when not known)
     * @param forwardedFor the request's X-Forwarded-For, read only when {@code peer} is a trusted proxy
     * @throws DynamoException AccessDeniedException when the key may not perform an action the request needs
     */
    void check(String accessKey, String peer, String forwardedFor, String operation, JsonNode request) {
        PolicyStatement.Caller caller = caller(accessKey, peer, forwardedFor);
        for (Access access : accesses(operation, request)) {
            String refusal = refusal(caller, access, resourcePolicy(access.resource()));
            if (refusal != null) throw denied(caller, access, refusal);
        }
        if (operation.equals("PutResourcePolicy")) checkLockout(caller, request);
    }

    /**
     * An admin API call's action on a resource ({@link AdminHttpHandler}): the key's own statements
     * decide, and for DynamoDB's actions the resource's policy too (Eddy's own actions, {@code eddy:*},
     * are no resource policy's to grant).
     *
     * @throws DynamoException AccessDeniedException when the key may not
     */
    void checkAdmin(String accessKey, String peer, String forwardedFor, String action, String resource) {
        PolicyStatement.Caller caller = caller(accessKey, peer, forwardedFor);
        // The table's tags, for aws:ResourceTag conditions.
        Access access = new Access(action, resource, arnKeys(resource, null));
        String refusal = refusal(caller, access, action.startsWith("dynamodb:") ? resourcePolicy(resource) : null);
        if (refusal != null) throw denied(caller, access, refusal);
    }

    private PolicyStatement.Caller caller(String accessKey, String peer, String forwardedFor) {
        return new PolicyStatement.Caller(accessKey, accountId, region, ClientAddress.resolve(peer, forwardedFor, trustedProxies),
                secureTransport);
    }

    private static DynamoException denied(PolicyStatement.Caller caller, Access access, String refusal) {
        return new DynamoException(ErrorCode.AccessDeniedException, "User: " + caller.arn() + " is not authorized to perform: "
                + access.action() + " on resource: " + access.resource() + " " + refusal);
    }

    /** Why IAM refuses the access (the end of its message), or null when it allows it. */
    private String refusal(PolicyStatement.Caller caller, Access access, ResourcePolicyDocument resourcePolicy) {
        PolicyStatement.Request asked = new PolicyStatement.Request(caller, access.action(), access.resource(), access.keys());
        List<PolicyStatement> identity = byKey.get(caller.accessKey());
        PolicyStatement.Decision byIdentity = identity == null ? PolicyStatement.Decision.ALLOW : PolicyStatement.decide(identity, asked);
        PolicyStatement.Decision byResource = resourcePolicy == null ? PolicyStatement.Decision.NONE : resourcePolicy.decide(asked);
        if (byIdentity == PolicyStatement.Decision.DENY) return "with an explicit deny in an identity-based policy";
        if (byResource == PolicyStatement.Decision.DENY) return "with an explicit deny in a resource-based policy";
        if (byIdentity == PolicyStatement.Decision.ALLOW || byResource == PolicyStatement.Decision.ALLOW) return null;
        return "because no identity-based policy allows the " + access.action() + " action";
    }

    /**
     * PutResourcePolicy refuses a policy that would refuse the caller the next PutResourcePolicy on
     * the resource, unless ConfirmRemoveSelfResourceAccess. A request the operation refuses anyway
     * (an ARN or a policy that is not valid, a resource that is not there, another revision than
     * expected) is left to it, so that it gets that answer.
     */
    private void checkLockout(PolicyStatement.Caller caller, JsonNode request) {
        if (request == null || request.path("ConfirmRemoveSelfResourceAccess").asBoolean(false)) return;
        ResourcePolicyDocument next;
        PolicyResource resource;
        try {
            resource = PolicyResource.of(request.path("ResourceArn").asText(null), region, accountId);
            next = ResourcePolicyDocument.parse(request.path("Policy").asText(""), resource.kind(), accountId, user -> true);
        } catch (DynamoException invalid) {
            return;
        }
        Optional<TableMetadata> table = tables.find(resource.tableName());
        if (table.isEmpty() || resource.streamLabel() != null && table.get().options().streams().withLabel(resource.streamLabel()).isEmpty()) {
            return;
        }
        Optional<ResourcePolicy> current = table.get().options().resourcePolicies().of(resource.streamLabel());
        if (!AttachedPolicies.expected(request.path("ExpectedRevisionId").asText(null), current)) return;
        Access nextPut = new Access("dynamodb:PutResourcePolicy", resource.arn(), arnKeys(resource.arn(), request));
        if (refusal(caller, nextPut, next) != null) {
            throw new DynamoException(ErrorCode.AccessDeniedException,
                    "The new resource policy will not allow you to update the resource policy in the future.");
        }
    }

    /** The policy attached to the table or stream whose policy governs {@code resource}; null for none. */
    private ResourcePolicyDocument resourcePolicy(String resource) {
        Optional<PolicyResource> governing = PolicyResource.governing(resource, region, accountId);
        if (governing.isEmpty()) return null;
        Optional<ResourcePolicy> policy = attached(governing.get());
        if (policy.isEmpty()) return null;
        String stored = policy.get().document();
        if (parsed.size() > 1024) parsed.clear();
        return parsed.computeIfAbsent(governing.get().kind() + stored,
                key -> ResourcePolicyDocument.ofStored(stored, governing.get().kind(), accountId));
    }

    /**
     * What the request needs, as IAM authorizes the operation (only the fields the operation takes
     * count: a field it ignores names nothing): {@code dynamodb:<Operation>} on each resource it
     * names ({@code *} when it names none), except that
     * <ul>
     *   <li>a transaction needs its parts' actions (PutItem, UpdateItem, DeleteItem,
     *       ConditionCheckItem, GetItem), and PartiQL PartiQLSelect, PartiQLInsert, PartiQLUpdate or
     *       PartiQLDelete, on each table (or index) — and nothing when nothing parses, which the
     *       operation refuses;</li>
     *   <li>Query and Scan of an index need the action on the index;</li>
     *   <li>a restore needs its action on its source (the backup, or the table) and the item
     *       actions on its target, as DynamoDB's documentation says;</li>
     *   <li>GetRecords needs its action on the stream its iterator reads.</li>
     * </ul>
     */
    List<Access> accesses(String operation, JsonNode request) {
        String action = "dynamodb:" + operation;
        if (request == null || !request.isObject()) return List.of(new Access(action, "*", NO_KEYS));
        List<Access> accesses = new ArrayList<>();
        switch (operation) {
            case "TransactWriteItems", "TransactGetItems" -> {
                for (JsonNode item : request.path("TransactItems")) {
                    item.fields().forEachRemaining(part -> {
                        // The field the part acts on: a Put's Item, every other part's Key (a spare field names nothing).
                        JsonNode named = part.getValue().get(part.getKey().equals("Put") ? "Item" : "Key");
                        addTable(accesses, "dynamodb:" + itemAction(part.getKey()), part.getValue().path("TableName"), null,
                                RequestConditionKeys.enclosedBy(operation, keys(part.getValue().path("TableName"),
                                        java.util.Collections.singletonList(named), request, part.getValue(), part.getKey().equals("Get"))));
                    });
                }
                return accesses;
            }
            case "ExecuteStatement" -> {
                addStatement(accesses, request, request, null);
                return accesses;
            }
            case "BatchExecuteStatement", "ExecuteTransaction" -> {
                for (JsonNode statement : request.path(operation.equals("ExecuteTransaction") ? "TransactStatements" : "Statements")) {
                    addStatement(accesses, statement, request, operation.equals("ExecuteTransaction") ? operation : null);
                }
                return accesses;
            }
            case "BatchGetItem", "BatchWriteItem" -> request.path("RequestItems").fields().forEachRemaining(table -> {
                List<JsonNode> named = new ArrayList<>();
                if (operation.equals("BatchGetItem")) {
                    table.getValue().path("Keys").forEach(named::add);
                } else {
                    for (JsonNode write : table.getValue()) {
                        // As the operation reads a write: the request that is an object (a null one is absent).
                        JsonNode put = write.get("PutRequest");
                        named.add(put != null && put.isObject() ? put.get("Item") : write.path("DeleteRequest").get("Key"));
                    }
                }
                addTable(accesses, action, textNode(table.getKey()), null,
                        keys(textNode(table.getKey()), named, request, table.getValue(), operation.equals("BatchGetItem")));
            });
            case "Query" -> addTable(accesses, action, request.path("TableName"), request.path("IndexName"),
                    request.path("TableName").isTextual()
                            ? RequestConditionKeys.lazily(() -> conditionKeys.ofQuery(request.path("TableName").asText(), request)) : NO_KEYS);
            case "SearchVectors" -> addTable(accesses, action, request.path("TableName"), request.path("IndexName"),
                    tableKeys(request.path("TableName"), request));
            case "Scan" -> addTable(accesses, action, request.path("TableName"), request.path("IndexName"),
                    keys(request.path("TableName"), null, request, request, true));
            case "UpdateContributorInsights", "DescribeContributorInsights" -> addTable(accesses, action,
                    request.path("TableName"), request.path("IndexName"), tableKeys(request.path("TableName"), request));
            case "CreateTable" -> {
                addTable(accesses, action, request.path("TableName"), null, RequestConditionKeys.withRequestTags(request, "Tags",
                        tableKeys(request.path("TableName"), request)));
                // A table created with a policy attaches it: that needs PutResourcePolicy too, as in DynamoDB.
                if (request.has("ResourcePolicy")) {
                    addTable(accesses, "dynamodb:PutResourcePolicy", request.path("TableName"), null,
                            tableKeys(request.path("TableName"), request));
                }
            }
            case "RestoreTableFromBackup", "RestoreTableToPointInTime" -> {
                addArn(accesses, action, request.path("BackupArn"), request);
                addTable(accesses, action, request.path("SourceTableArn"), null, tableKeys(request.path("SourceTableArn"), request));
                addTable(accesses, action, request.path("SourceTableName"), null, tableKeys(request.path("SourceTableName"), request));
                for (String targetAction : RESTORE_TARGET_ACTIONS) {
                    addTable(accesses, targetAction, request.path("TargetTableName"), null, NO_KEYS);
                }
            }
            case "GetRecords" -> {
                if (request.path("ShardIterator").isTextual()) {
                    DynamoStreams.streamArnOf(request.path("ShardIterator").asText())
                            .ifPresent(arn -> accesses.add(new Access(action, arn, arnKeys(arn, request))));
                }
            }
            case "TagResource", "UntagResource" -> {
                JsonNode arn = request.path("ResourceArn");
                if (arn.isTextual()) {
                    accesses.add(new Access(action, arn.asText(), RequestConditionKeys.withRequestTags(request,
                            operation.equals("TagResource") ? "Tags" : "TagKeys", arnKeys(arn.asText(), request))));
                }
            }
            case "CreateGlobalTable", "UpdateGlobalTable", "DescribeGlobalTable", "DescribeGlobalTableSettings",
                 "UpdateGlobalTableSettings" -> {
                // A global table's ARN names no region.
                JsonNode name = request.path("GlobalTableName");
                if (name.isTextual()) accesses.add(new Access(action, "arn:aws:dynamodb::" + accountId + ":global-table/" + name.asText(), NO_KEYS));
                // Those that would change the global table's tables act on this region's table too, as IAM lists them.
                if (!operation.startsWith("Describe")) {
                    addTable(accesses, action, name, null, tableKeys(name, request));
                }
            }
            case "EnableKinesisStreamingDestination", "DisableKinesisStreamingDestination", "UpdateKinesisStreamingDestination",
                 "DescribeKinesisStreamingDestination", "DescribeTableReplicaAutoScaling", "UpdateTableReplicaAutoScaling" ->
                    // On the table: the StreamArn is a Kinesis stream's, which IAM authorizes by Kinesis's own actions.
                    addTable(accesses, action, request.path("TableName"), null, tableKeys(request.path("TableName"), request));
            case "UpdateTable" -> {
                addTable(accesses, action, request.path("TableName"), null, tableKeys(request.path("TableName"), request));
                addReplicaUpdates(accesses, request);
            }
            case "ExportTableToPointInTime" -> {
                // The table the export reads: its TableArn's, in this region whatever region the ARN names (as the export
                // takes it), so a policy on this region's table governs it.
                JsonNode table = request.path("TableArn");
                JsonNode local = table.isTextual() ? TableArns.Parts.of(table.asText()).filter(parts -> parts.ours(accountId))
                        .flatMap(TableArns.Parts::tableName).<JsonNode>map(TextNode::valueOf).orElse(table) : table;
                addTable(accesses, action, local, null, tableKeys(local, request));
            }
            case "ImportTable" -> {
                JsonNode table = request.path("TableCreationParameters").path("TableName");
                addTable(accesses, action, table, null, tableKeys(table, request));
            }
            case "DescribeExport" -> addArn(accesses, action, request.path("ExportArn"), request);
            case "DescribeImport" -> addArn(accesses, action, request.path("ImportArn"), request);
            case "ListStreams", "ListContributorInsights", "ListGlobalTables" -> {
                // Not scoped to a resource in IAM: "*".
            }
            default -> {
                // The single-item operations name one item: its partition key is the access's LeadingKeys.
                JsonNode item = operation.equals("PutItem") ? request.path("Item") : request.path("Key");
                boolean single = List.of("GetItem", "PutItem", "UpdateItem", "DeleteItem").contains(operation);
                addTable(accesses, action, request.path("TableName"), null,
                        keys(request.path("TableName"), single ? List.of(item) : null, request, single ? request : null,
                                operation.equals("GetItem")));
                for (String field : List.of("BackupArn", "ResourceArn", "StreamArn")) addArn(accesses, action, request.path(field), request);
            }
        }
        return accesses.isEmpty() ? List.of(new Access(action, "*", NO_KEYS)) : accesses;
    }

    /**
     * The condition keys of an access to {@code table} naming {@code items} (null: none), whose
     * attributes {@code named} names (null: an action without dynamodb:Attributes), a {@code read} of
     * items or not; none when no table is named.
     */
    private Supplier<RequestConditionKeys.Keys> keys(JsonNode table, List<JsonNode> items, JsonNode request, JsonNode named, boolean read) {
        return table.isTextual() ? RequestConditionKeys.lazily(() -> conditionKeys.of(table.asText(), items, request, named, read)) : NO_KEYS;
    }

    /** The condition keys of an access to {@code table} that names no items and no attributes. */
    private Supplier<RequestConditionKeys.Keys> tableKeys(JsonNode table, JsonNode request) {
        return keys(table, null, request, null, false);
    }

    /** The condition keys of an access to a resource named by ARN: a table's or a stream's carries the table's tags. */
    private Supplier<RequestConditionKeys.Keys> arnKeys(String arn, JsonNode request) {
        return PolicyResource.governing(arn, region, accountId)
                .map(resource -> RequestConditionKeys.lazily(() -> conditionKeys.of(resource.tableName(), null, request, null, false)))
                .orElse(NO_KEYS);
    }

    /** What DynamoDB's documentation asks on a restore's target table: read and write. */
    private static final List<String> RESTORE_TARGET_ACTIONS = List.of("dynamodb:BatchWriteItem", "dynamodb:DeleteItem",
            "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:Scan", "dynamodb:UpdateItem");
    /** Needed in the region of a replica that UpdateTable's ReplicaUpdates creates, or deletes (DynamoDB's V2gt_IAM). */
    private static final List<String> REPLICA_CREATE_ACTIONS = List.of("dynamodb:CreateTable", "dynamodb:CreateTableReplica",
            "dynamodb:Scan", "dynamodb:Query", "dynamodb:UpdateItem", "dynamodb:PutItem", "dynamodb:GetItem", "dynamodb:DeleteItem",
            "dynamodb:BatchWriteItem");
    private static final List<String> REPLICA_DELETE_ACTIONS = List.of("dynamodb:DeleteTable", "dynamodb:DeleteTableReplica");

    private static String itemAction(String part) {
        return part.equals("ConditionCheck") ? "ConditionCheckItem" : part + "Item";
    }

    /**
     * What a replica made or deleted in another region needs there (the table of that region's ARN),
     * as DynamoDB's global tables document it, besides UpdateTable here.
     */
    private void addReplicaUpdates(List<Access> accesses, JsonNode request) {
        JsonNode named = request.path("TableName");
        if (!named.isTextual()) return;
        String table = TableArns.Parts.of(named.asText()).flatMap(TableArns.Parts::tableName).orElse(named.asText());
        for (JsonNode update : request.path("ReplicaUpdates")) {
            boolean create = update.has("Create");
            JsonNode region = update.path(create ? "Create" : "Delete").path("RegionName");
            if (!region.isTextual()) continue;
            for (String needed : create ? REPLICA_CREATE_ACTIONS : REPLICA_DELETE_ACTIONS) {
                accesses.add(new Access(needed, TableArns.arn(region.asText(), accountId, table), NO_KEYS));
            }
        }
    }

    private void addArn(List<Access> accesses, String action, JsonNode arn, JsonNode request) {
        if (arn.isTextual()) accesses.add(new Access(action, arn.asText(), arnKeys(arn.asText(), request)));
    }

    private void addTable(List<Access> accesses, String action, JsonNode table, JsonNode index, Supplier<RequestConditionKeys.Keys> keys) {
        if (!table.isTextual()) return;
        String arn = table.asText().startsWith("arn:") ? table.asText() : TableArns.arn(region, accountId, table.asText());
        // A read of an index is authorized on the index, as IAM does.
        accesses.add(new Access(action, index != null && index.isTextual() ? arn + "/index/" + index.asText() : arn, keys));
    }

    /**
     * The access a PartiQL statement needs; one that does not parse needs none, and is refused by its operation.
     *
     * @param request   the statement's element of {@code whole} (or {@code whole} itself, for ExecuteStatement)
     * @param enclosing the transaction the statement is part of (its dynamodb:EnclosingOperation), or null
     */
    private void addStatement(List<Access> accesses, JsonNode request, JsonNode whole, String enclosing) {
        if (!request.path("Statement").isTextual()) return;
        Statement statement;
        try {
            statement = PartiqlRequests.parse(new RequestBody(request));
        } catch (RuntimeException unparsable) {
            return; // the operation answers it with its ValidationException, having read nothing
        }
        // An EXISTS (a transaction's condition) reads, as a SELECT does.
        Statement.Select select = statement instanceof Statement.Exists exists ? exists.select()
                : statement instanceof Statement.Select read ? read : null;
        String action = "dynamodb:PartiQL" + (select != null ? "Select" : statement.getClass().getSimpleName());
        JsonNode index = select != null && select.index().isPresent() ? textNode(select.index().get()) : null;
        Supplier<RequestConditionKeys.Keys> keys = RequestConditionKeys.lazily(() -> conditionKeys.ofStatement(statement, request, whole));
        addTable(accesses, action, textNode(statement.table()), index, enclosing == null ? keys : RequestConditionKeys.enclosedBy(enclosing, keys));
    }

    private static JsonNode textNode(String text) {
        return Json.MAPPER.getNodeFactory().textNode(text);
    }
}
