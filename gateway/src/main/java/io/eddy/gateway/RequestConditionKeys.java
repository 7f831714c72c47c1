package io.eddy.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.eddy.model.AttributeValue;
import io.eddy.model.AttributeValueJson;
import io.eddy.model.SecondaryIndex;
import io.eddy.model.TableMetadata;
import io.eddy.model.TableOptions.Tag;
import io.eddy.model.expression.ConditionExpressionParser;
import io.eddy.model.partiql.Statement;
import io.eddy.model.partiql.WhereKeys;
import io.eddy.model.query.KeyConditionExpressions;
import io.eddy.model.query.KeyOperator;
import io.eddy.model.query.KeyTerm;
import io.eddy.model.query.QuerySchema;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The condition keys of an access to a table, for IAM conditions (fine-grained access control):
 * the table's tags ({@code aws:ResourceTag/<key>}), the request's Select, ReturnValues and
 * ReturnConsumedCapacity ({@code dynamodb:Select}, ...), the partition key values of the items
 * it names ({@code dynamodb:LeadingKeys}) and the attributes it names ({@code dynamodb:Attributes},
 * {@link RequestAttributes}). Keys are lower case, as IAM compares them. A key Eddy cannot work out
 * for a request (the Attributes of a PartiQL statement, the LeadingKeys of one that scans) is
 * {@code unknown}: a condition on it refuses, whatever its statement (an Allow does not apply, a Deny does).
 */
final class RequestConditionKeys {

    static final String LEADING_KEYS = "dynamodb:leadingkeys";
    static final String ATTRIBUTES = "dynamodb:attributes";
    static final String ENCLOSING_OPERATION = "dynamodb:enclosingoperation";
    static final String RESOURCE_TAG = "aws:resourcetag/";
    static final String REQUEST_TAG = "aws:requesttag/";
    static final String TAG_KEYS = "aws:tagkeys";

    /** The keys of one access: their values, and those that cannot be known. */
    record Keys(Map<String, List<String>> values, Set<String> unknown) {
        static final Keys NONE = new Keys(Map.of(), Set.of());
    }

    /** {@code keys}, worked out once, the first time they are asked for: most requests meet no condition on them. */
    static java.util.function.Supplier<Keys> lazily(java.util.function.Supplier<Keys> keys) {
        return new java.util.function.Supplier<>() {
            private Keys worked;

            @Override
            public Keys get() {
                if (worked == null) worked = keys.get();
                return worked;
            }
        };
    }

    /**
     * The keys of an access made as part of a transaction: {@code dynamodb:EnclosingOperation} names
     * it (TransactWriteItems, TransactGetItems or ExecuteTransaction); other accesses have none.
     */
    static java.util.function.Supplier<Keys> enclosedBy(String operation, java.util.function.Supplier<Keys> keys) {
        return lazily(() -> {
            Keys inner = keys.get();
            Map<String, List<String>> values = new HashMap<>(inner.values());
            values.put(ENCLOSING_OPERATION, List.of(operation));
            return new Keys(values, inner.unknown());
        });
    }

    private final NodeContext node;

    RequestConditionKeys(NodeContext node) {
        this.node = node;
    }

    /**
     * The keys of an access to {@code table} (a name or an ARN): {@code items} are the Key or Item
     * maps it names (null: the request names no items, as a Scan); {@code request} carries its
     * Select, ReturnValues and ReturnConsumedCapacity; {@code named} is what names its attributes
     * (the request, or its table's or action's part of it; null for an action without
     * dynamodb:Attributes); {@code read}: a read of items, whose Select has a value even when the
     * request sends none. An item without a partition key value makes LeadingKeys unknown, so that
     * no malformed item slips past a condition on them.
     */
    Keys of(String table, List<JsonNode> items, JsonNode request, JsonNode named, boolean read) {
        Optional<TableMetadata> metadata = find(table);
        Map<String, List<String>> values = common(metadata, request);
        Set<String> unknown = new HashSet<>();
        addAttributes(values, unknown, named);
        if (read) addDefaultSelect(values, named == null ? request : named);
        if (items == null) return new Keys(values, unknown);
        // No such table (yet): the operation refuses it, and until then its items' keys are not known.
        if (metadata.isEmpty()) return new Keys(values, with(unknown, LEADING_KEYS));
        String partition = metadata.get().keySchema().partitionKey().name();
        List<String> leading = new ArrayList<>();
        for (JsonNode item : items) {
            Optional<String> value = item == null ? Optional.empty() : scalar(item.get(partition));
            if (value.isEmpty()) return new Keys(values, with(unknown, LEADING_KEYS));
            leading.add(value.get());
        }
        values.put(LEADING_KEYS, List.copyOf(leading));
        return new Keys(values, unknown);
    }

    /**
     * dynamodb:Attributes of {@code named}, absent when it names none (as a bare Scan); unknown when
     * it does not parse (the operation refuses it).
     */
    private static void addAttributes(Map<String, List<String>> values, Set<String> unknown, JsonNode named) {
        if (named == null) return;
        if (returnsItemOnFailure(named)) {
            unknown.add(ATTRIBUTES);
            return;
        }
        try {
            Set<String> names = RequestAttributes.of(named);
            if (!names.isEmpty()) values.put(ATTRIBUTES, List.copyOf(names));
        } catch (RuntimeException invalid) {
            unknown.add(ATTRIBUTES);
        }
    }

    /**
     * Whether a write (or a transaction's part, or a statement) asks for the whole item back when
     * its condition fails (ReturnValuesOnConditionCheckFailure ALL_OLD): no condition key says so,
     * so its Attributes are unknown and an allow-list of attributes refuses it.
     */
    private static boolean returnsItemOnFailure(JsonNode named) {
        return named.isObject() && "ALL_OLD".equals(named.path("ReturnValuesOnConditionCheckFailure").asText(null));
    }

    /**
     * A read's dynamodb:Select when it sends none: what the read returns, as DynamoDB defaults it
     * (SPECIFIC_ATTRIBUTES for a projection, ALL_PROJECTED_ATTRIBUTES for an index, ALL_ATTRIBUTES
     * otherwise; GetItem and BatchGetItem, which have no Select, the same way). Without it, an
     * allow-list of attributes with {@code StringEqualsIfExists dynamodb:Select SPECIFIC_ATTRIBUTES}
     * would let a read without a projection return whole items.
     */
    private static void addDefaultSelect(Map<String, List<String>> values, JsonNode read) {
        if (values.containsKey("dynamodb:select") || read == null) return;
        values.put("dynamodb:select", List.of(defaultSelect(read.has("ProjectionExpression") || read.has("AttributesToGet"),
                read.has("IndexName"))));
    }

    /** What a read without a Select returns: SPECIFIC_ATTRIBUTES with a projection, ALL_PROJECTED_ATTRIBUTES from an index. */
    private static String defaultSelect(boolean projection, boolean index) {
        return projection ? "SPECIFIC_ATTRIBUTES" : index ? "ALL_PROJECTED_ATTRIBUTES" : "ALL_ATTRIBUTES";
    }

    private static Set<String> with(Set<String> unknown, String key) {
        Set<String> all = new HashSet<>(unknown);
        all.add(key);
        return all;
    }

    /**
     * The keys of a Query: its LeadingKeys are the partition key value its key condition names, of
     * the table or the index; unknown when there is no one such value (a multi-attribute partition
     * key, a key condition that does not name it).
     */
    Keys ofQuery(String table, JsonNode request) {
        Optional<TableMetadata> metadata = find(table);
        Map<String, List<String>> values = common(metadata, request);
        Set<String> unknown = new HashSet<>();
        addAttributes(values, unknown, request);
        addDefaultSelect(values, request);
        if (metadata.isEmpty()) return new Keys(values, with(unknown, LEADING_KEYS));
        String indexName = request.path("IndexName").asText(null);
        Optional<SecondaryIndex> index = indexName == null ? Optional.empty() : metadata.get().options().index(indexName);
        QuerySchema schema = index.map(i -> QuerySchema.of(i, metadata.get().keySchema()))
                .orElseGet(() -> QuerySchema.of(metadata.get().keySchema()));
        if (schema.partitionKeys().size() != 1) return new Keys(values, with(unknown, LEADING_KEYS));
        String partition = schema.partitionKeys().get(0).name();
        try {
            RequestBody body = new RequestBody(request);
            String expression = body.string("KeyConditionExpression");
            List<KeyTerm> terms = expression != null
                    ? KeyConditionExpressions.terms(ConditionExpressionParser.parse(expression, "KeyConditionExpression", body.expressionAttributes()))
                    : ConditionMapParameter.keyTerms(body.struct("KeyConditions"));
            for (KeyTerm term : terms) {
                if (term.attribute().equals(partition) && term.operator() == KeyOperator.EQ && term.values().size() == 1) {
                    Optional<String> value = scalar(term.values().get(0));
                    if (value.isPresent()) {
                        values.put(LEADING_KEYS, List.of(value.get()));
                        return new Keys(values, unknown);
                    }
                }
            }
        } catch (RuntimeException invalid) {
            // Not a valid key condition: the operation refuses it; until then its LeadingKeys are unknown.
        }
        return new Keys(values, with(unknown, LEADING_KEYS));
    }

    /**
     * The keys of a PartiQL statement's access (its parameters bound): LeadingKeys are the partition
     * key value of the item an INSERT, UPDATE, DELETE or EXISTS names, and the values a SELECT's
     * WHERE pins the table's or index's partition key to (as it reads them: {@code =}, {@code IN},
     * an OR of those); unknown for a SELECT that scans. Its Attributes are those it names
     * ({@link RequestAttributes#of(Statement)}); a SELECT has the Select of what it
     * returns, as a Query would (SPECIFIC_ATTRIBUTES for a projection, ALL_PROJECTED_ATTRIBUTES from an
     * index, ALL_ATTRIBUTES otherwise), and an UPDATE or DELETE with RETURNING the ReturnValues it
     * asks for; a Select or ReturnValues member sent with the request names nothing. {@code part} is
     * the statement's element of the request (the request itself for ExecuteStatement), whose
     * ReturnValuesOnConditionCheckFailure ALL_OLD makes Attributes unknown.
     */
    Keys ofStatement(Statement statement, JsonNode part, JsonNode request) {
        Optional<TableMetadata> metadata = find(statement.table());
        Map<String, List<String>> values = common(metadata, request);
        values.remove("dynamodb:select");
        values.remove("dynamodb:returnvalues");
        Set<String> unknown = new HashSet<>();
        Set<String> names = RequestAttributes.of(statement);
        if (returnsItemOnFailure(part)) unknown.add(ATTRIBUTES);
        else if (!names.isEmpty()) values.put(ATTRIBUTES, List.copyOf(names));
        Statement.Returning returning = statement instanceof Statement.Update update ? update.returning()
                : statement instanceof Statement.Delete delete ? delete.returning() : Statement.Returning.NONE;
        if (returning != Statement.Returning.NONE) values.put("dynamodb:returnvalues", List.of(returning.returnValues()));
        // An EXISTS returns nothing of the item, as a ConditionCheck does not.
        if (statement instanceof Statement.Select select) {
            values.put("dynamodb:select", List.of(defaultSelect(select.projection().isPresent(), select.index().isPresent())));
        }
        Optional<List<String>> leading = metadata.flatMap(table -> leadingKeys(statement, table));
        if (leading.isPresent()) values.put(LEADING_KEYS, leading.get());
        else unknown.add(LEADING_KEYS);
        return new Keys(values, unknown);
    }

    private static Optional<List<String>> leadingKeys(Statement statement, TableMetadata table) {
        String partition = table.keySchema().partitionKey().name();
        try {
            if (statement instanceof Statement.Insert insert) {
                AttributeValue value = insert.item().get(partition);
                return value == null ? Optional.empty() : scalar(value).map(List::of);
            }
            io.eddy.model.expression.Condition itemWhere = statement instanceof Statement.Update update ? update.where()
                    : statement instanceof Statement.Delete delete ? delete.where() : null;
            if (itemWhere != null) return scalar(WhereKeys.itemKey(itemWhere, table.keySchema()).get(partition)).map(List::of);
            Statement.Select select = statement instanceof Statement.Exists exists ? exists.select() : (Statement.Select) statement;
            Optional<SecondaryIndex> index = select.index().flatMap(name -> table.options().index(name));
            if (select.index().isPresent() && index.isEmpty()) return Optional.empty();
            QuerySchema schema = index.map(i -> QuerySchema.of(i, table.keySchema())).orElseGet(() -> QuerySchema.of(table.keySchema()));
            if (schema.partitionKeys().size() != 1) return Optional.empty();
            Optional<List<List<KeyTerm>>> reads = WhereKeys.partitionReads(select.where(), schema);
            if (reads.isEmpty()) return Optional.empty();
            String key = schema.partitionKeys().get(0).name();
            List<String> leading = new ArrayList<>();
            for (List<KeyTerm> read : reads.get()) {
                Optional<String> value = read.stream().filter(term -> term.attribute().equals(key) && term.operator() == KeyOperator.EQ)
                        .findFirst().flatMap(term -> scalar(term.values().get(0)));
                if (value.isEmpty()) return Optional.empty();
                leading.add(value.get());
            }
            return Optional.of(List.copyOf(leading));
        } catch (RuntimeException invalid) {
            return Optional.empty(); // a statement the operation refuses (an incomplete key, too many partitions)
        }
    }

    /** The table's tags and the request's parameters. */
    private static Map<String, List<String>> common(Optional<TableMetadata> table, JsonNode request) {
        Map<String, List<String>> values = new HashMap<>();
        table.ifPresent(found -> addTags(values, found));
        addParameters(values, request);
        return values;
    }

    private Optional<TableMetadata> find(String table) {
        try {
            return node.find(table);
        } catch (RuntimeException invalid) {
            return Optional.empty(); // an ARN that names no table: the operation refuses it
        }
    }

    private static void addTags(Map<String, List<String>> values, TableMetadata table) {
        // IAM compares key names without regard to case; tags Env and env are both values of aws:ResourceTag/env.
        for (Tag tag : table.options().tags()) {
            values.merge(RESOURCE_TAG + tag.key().toLowerCase(Locale.ROOT), List.of(tag.value()),
                    (a, b) -> java.util.stream.Stream.concat(a.stream(), b.stream()).toList());
        }
    }

    private static void addParameters(Map<String, List<String>> values, JsonNode request) {
        if (request == null) return;
        for (String parameter : List.of("Select", "ReturnValues", "ReturnConsumedCapacity")) {
            JsonNode value = request.get(parameter);
            if (value != null && value.isTextual()) values.put("dynamodb:" + parameter.toLowerCase(Locale.ROOT), List.of(value.asText()));
        }
    }

    /**
     * The keys of an access that sets or removes tags: CreateTable's and TagResource's Tags give
     * {@code aws:RequestTag/<key>} and {@code aws:TagKeys}, UntagResource's TagKeys give
     * {@code aws:TagKeys}. Only those operations: a member another operation ignores names nothing.
     *
     * @param member {@code Tags} or {@code TagKeys}
     */
    static java.util.function.Supplier<Keys> withRequestTags(JsonNode request, String member, java.util.function.Supplier<Keys> keys) {
        return lazily(() -> {
            Keys inner = keys.get();
            Map<String, List<String>> values = new HashMap<>(inner.values());
            List<String> tagKeys = new ArrayList<>();
            for (JsonNode tag : request.path(member)) {
                if (member.equals("TagKeys")) {
                    if (tag.isTextual()) tagKeys.add(tag.asText());
                    continue;
                }
                if (!tag.path("Key").isTextual() || !tag.path("Value").isTextual()) continue;
                tagKeys.add(tag.get("Key").asText());
                values.merge(REQUEST_TAG + tag.get("Key").asText().toLowerCase(Locale.ROOT), List.of(tag.get("Value").asText()),
                        (a, b) -> java.util.stream.Stream.concat(a.stream(), b.stream()).toList());
            }
            if (!tagKeys.isEmpty()) values.put(TAG_KEYS, List.copyOf(tagKeys));
            return new Keys(values, inner.unknown());
        });
    }

    /** A key attribute's value as IAM compares it: the string, the number in DynamoDB's canonical text, the base64. */
    private static Optional<String> scalar(JsonNode value) {
        if (value == null || !value.isObject()) return Optional.empty();
        try {
            return scalar(AttributeValueJson.read(value));
        } catch (RuntimeException invalid) {
            return Optional.empty();
        }
    }

    /** A key attribute's value as text: the string, the number in its canonical form, the bytes in base64. */
    static Optional<String> scalar(AttributeValue value) {
        if (value instanceof AttributeValue.StringValue s) return Optional.of(s.value());
        if (value instanceof AttributeValue.NumberValue n) return Optional.of(n.canonical());
        if (value instanceof AttributeValue.BinaryValue b) return Optional.of(b.value().toBase64());
        return Optional.empty();
    }
}
