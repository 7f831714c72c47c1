package io.eddy.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigUtil;
import io.eddy.model.DynamoException;
import io.eddy.model.ErrorCode;
import io.eddy.model.partiql.Statement;
import io.eddy.streams.DynamoStreams;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What each access key may do, as an identity-based IAM policy of Allow statements says it:
 * {@code eddy.auth.permissions { KEY = [ { actions = ["dynamodb:GetItem"], resources = ["arn:aws:dynamodb:*:*:table/Music"] } ] }}.
 * A request is allowed when some statement of its key allows each access it needs
 * ({@link #accesses}); {@code *} and {@code ?} are IAM's wildcards (actions match without regard
 * to case). A key with no permissions configured may do anything,
 * so configuring credentials alone changes nothing. Otherwise AccessDeniedException, with IAM's
 * message.
 */
final class AccessPolicy {

    /** An Allow statement: the actions and the resources it allows them on. */
    record Allow(List<Pattern> actions, List<Pattern> resources) {
        boolean allows(String action, String resource) {
            return actions.stream().anyMatch(p -> p.matcher(action).matches()) && resources.stream().anyMatch(p -> p.matcher(resource).matches());
        }
    }

    private final Map<String, List<Allow>> byKey;
    private final String region;
    private final String accountId;

    AccessPolicy(Map<String, List<Allow>> byKey, String region, String accountId) {
        this.byKey = Map.copyOf(byKey);
        this.region = region;
        this.accountId = accountId;
    }

    /** The policy {@code eddy.auth.permissions} describes; null when it names no key. */
    static AccessPolicy of(Config permissions, String region, String accountId) {
        if (permissions.isEmpty()) return null;
        Map<String, List<Allow>> byKey = new HashMap<>();
        for (String key : permissions.root().keySet()) {
            List<Allow> statements = new ArrayList<>();
            for (Config statement : permissions.getConfigList(ConfigUtil.joinPath(key))) {
                for (String field : statement.root().keySet()) {
                    if (!List.of("effect", "actions", "resources").contains(field)) {
                        throw new IllegalArgumentException("eddy.auth.permissions." + key + ": unknown field " + field);
                    }
                }
                if (statement.hasPath("effect") && !statement.getString("effect").equals("Allow")) {
                    throw new IllegalArgumentException("eddy.auth.permissions." + key + ": only Allow statements are supported, not "
                            + statement.getString("effect"));
                }
                statements.add(new Allow(patterns(statement.getStringList("actions"), true), patterns(statement.getStringList("resources"), false)));
            }
            byKey.put(key, statements);
        }
        return new AccessPolicy(byKey, region, accountId);
    }

    private static List<Pattern> patterns(List<String> globs, boolean ignoreCase) {
        List<Pattern> patterns = new ArrayList<>();
        for (String glob : globs) {
            StringBuilder regex = new StringBuilder();
            for (char c : glob.toCharArray()) {
                if (c == '*') regex.append(".*");
                else if (c == '?') regex.append('.');
                else regex.append(Pattern.quote(String.valueOf(c)));
            }
            patterns.add(Pattern.compile(regex.toString(), Pattern.DOTALL | (ignoreCase ? Pattern.CASE_INSENSITIVE : 0)));
        }
        return patterns;
    }

    /** An action on a resource, as IAM authorizes a request: a request may need several. */
    record Access(String action, String resource) {}

    /** @throws DynamoException AccessDeniedException when the key may not perform an action the request needs */
    void check(String accessKey, String operation, JsonNode request) {
        List<Allow> statements = byKey.get(accessKey);
        if (statements == null) return;
        for (Access access : accesses(operation, request)) {
            if (statements.stream().noneMatch(allow -> allow.allows(access.action(), access.resource()))) {
                throw new DynamoException(ErrorCode.AccessDeniedException, "User: arn:aws:iam::" + accountId + ":user/" + accessKey
                        + " is not authorized to perform: " + access.action() + " on resource: " + access.resource()
                        + " because no identity-based policy allows the " + access.action() + " action");
            }
        }
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
        if (request == null || !request.isObject()) return List.of(new Access(action, "*"));
        List<Access> accesses = new ArrayList<>();
        switch (operation) {
            case "TransactWriteItems", "TransactGetItems" -> {
                for (JsonNode item : request.path("TransactItems")) {
                    item.fields().forEachRemaining(part -> addTable(accesses, "dynamodb:" + itemAction(part.getKey()),
                            part.getValue().path("TableName"), null));
                }
                return accesses;
            }
            case "ExecuteStatement" -> {
                addStatement(accesses, request);
                return accesses;
            }
            case "BatchExecuteStatement", "ExecuteTransaction" -> {
                for (JsonNode statement : request.path(operation.equals("ExecuteTransaction") ? "TransactStatements" : "Statements")) {
                    addStatement(accesses, statement);
                }
                return accesses;
            }
            case "BatchGetItem", "BatchWriteItem" ->
                    request.path("RequestItems").fieldNames().forEachRemaining(table -> addTable(accesses, action, textNode(table), null));
            case "Query", "Scan" -> addTable(accesses, action, request.path("TableName"), request.path("IndexName"));
            case "RestoreTableFromBackup", "RestoreTableToPointInTime" -> {
                addArn(accesses, action, request.path("BackupArn"));
                addTable(accesses, action, request.path("SourceTableArn"), null);
                addTable(accesses, action, request.path("SourceTableName"), null);
                for (String targetAction : RESTORE_TARGET_ACTIONS) addTable(accesses, targetAction, request.path("TargetTableName"), null);
            }
            case "GetRecords" -> {
                if (request.path("ShardIterator").isTextual()) {
                    DynamoStreams.streamArnOf(request.path("ShardIterator").asText()).ifPresent(arn -> accesses.add(new Access(action, arn)));
                }
            }
            case "ListStreams" -> {
                // Not scoped to a resource in IAM: "*".
            }
            default -> {
                addTable(accesses, action, request.path("TableName"), null);
                for (String field : List.of("BackupArn", "ResourceArn", "StreamArn")) addArn(accesses, action, request.path(field));
            }
        }
        return accesses.isEmpty() ? List.of(new Access(action, "*")) : accesses;
    }

    /** What DynamoDB's documentation asks on a restore's target table: read and write. */
    private static final List<String> RESTORE_TARGET_ACTIONS = List.of("dynamodb:BatchWriteItem", "dynamodb:DeleteItem",
            "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:Scan", "dynamodb:UpdateItem");

    private static String itemAction(String part) {
        return part.equals("ConditionCheck") ? "ConditionCheckItem" : part + "Item";
    }

    private static void addArn(List<Access> accesses, String action, JsonNode arn) {
        if (arn.isTextual()) accesses.add(new Access(action, arn.asText()));
    }

    private void addTable(List<Access> accesses, String action, JsonNode table, JsonNode index) {
        if (!table.isTextual()) return;
        String arn = table.asText().startsWith("arn:") ? table.asText() : TableArns.arn(region, accountId, table.asText());
        // A read of an index is authorized on the index, as IAM does.
        accesses.add(new Access(action, index != null && index.isTextual() ? arn + "/index/" + index.asText() : arn));
    }

    /** The access a PartiQL statement needs; one that does not parse needs none, and is refused by its operation. */
    private void addStatement(List<Access> accesses, JsonNode request) {
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
        addTable(accesses, action, textNode(statement.table()), index);
    }

    private static JsonNode textNode(String text) {
        return Json.MAPPER.getNodeFactory().textNode(text);
    }
}
