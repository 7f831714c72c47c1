package io.eddy.gateway;

import io.eddy.model.AttributeType;
import io.eddy.model.DynamoException;
import io.eddy.model.KeySchema;
import io.eddy.model.StreamHistory;
import io.eddy.model.TableMetadata;
import io.eddy.model.TableOptions;
import io.eddy.model.VectorIndex;
import io.eddy.model.TableOptions.OnDemandThroughput;
import io.eddy.model.TableOptions.Tag;
import io.eddy.model.TableTags;
import io.eddy.model.TableMetadata.AttributeDefinition;
import io.eddy.model.TableMetadata.BillingMode;
import io.eddy.model.TableMetadata.Throughput;
import java.time.Instant;
import io.eddy.model.SecondaryIndex;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/** CreateTable: key schema, secondary indexes and billing validated as DynamoDB does; the catalog makes it durable. */
final class CreateTableOperation implements Operation {

    /** DynamoDB's upper bound on provisioned units in a request. */
    static final long MAX_CAPACITY_UNITS = 1_000_000_000_000L;
    static final List<String> TABLE_CLASSES = List.of("STANDARD", "STANDARD_INFREQUENT_ACCESS");

    /** DynamoDB's refusal of a TableClass it does not have, in its words (ScyllaDB's tests, run against it). */
    static void checkTableClass(String tableClass) {
        if (tableClass != null && !TABLE_CLASSES.contains(tableClass)) {
            throw DynamoException.validation("Invalid table-class parameter provided. Please try again with a valid table-class value: "
                    + TABLE_CLASSES + ".");
        }
    }

    private final NodeContext node;

    CreateTableOperation(NodeContext node) {
        this.node = node;
    }

    @Override
    public CompletionStage<byte[]> handle(RequestBody request) {
        TableMetadata table = parse(request);
        return node.shards().createTable(table)
                .thenApply(created -> TableDescriptions.wrapped("TableDescription", created, node));
    }

    /** The table a CreateTable request describes, checked as DynamoDB checks it (a restore builds one too). */
    TableMetadata parse(RequestBody request) {
        String tableName = request.string("TableName");
        List<RequestBody> definitions = request.structList("AttributeDefinitions", "AttributeDefinition");
        List<RequestBody> keySchema = request.structList("KeySchema", "KeySchemaElement");
        RequestBody throughput = request.struct("ProvisionedThroughput");
        BillingModeParameter billingMode = BillingModeParameter.read(request);
        String tableClass = request.string("TableClass");
        boolean deletionProtection = Boolean.TRUE.equals(request.bool("DeletionProtectionEnabled"));
        OnDemandThroughput onDemand = OnDemandParameters.read(request);
        TableOptions.WarmThroughput warm = WarmThroughputs.read(request);
        List<Tag> tags = TagParameters.read(request);
        List<IndexDefinitions.Definition> localIndexes = IndexDefinitions.read(request, "LocalSecondaryIndexes", false);
        List<IndexDefinitions.Definition> globalIndexes = IndexDefinitions.read(request, "GlobalSecondaryIndexes", true);
        String resourcePolicy = request.string("ResourcePolicy");
        // Their members too, before any check: DynamoDB reads the whole request first.
        List<String> definitionNames = new ArrayList<>();
        List<String> definitionTypes = new ArrayList<>();
        for (RequestBody d : definitions == null ? List.<RequestBody>of() : definitions) {
            definitionNames.add(d.string("AttributeName"));
            definitionTypes.add(d.string("AttributeType"));
        }
        List<String> keyNames = new ArrayList<>();
        List<String> keyTypes = new ArrayList<>();
        for (RequestBody k : keySchema == null ? List.<RequestBody>of() : keySchema) {
            keyNames.add(k.string("AttributeName"));
            keyTypes.add(k.string("KeyType"));
        }
        Long read = throughput == null ? null : throughput.longValue("ReadCapacityUnits");
        Long write = throughput == null ? null : throughput.longValue("WriteCapacityUnits");

        // DynamoDB's words for a CreateTable without a TableName (captured, 2026), before any other check.
        if (tableName == null) throw DynamoException.validation("The parameter 'TableName' is required but was not present in the request");
        Constraints c = new Constraints();
        c.notNull("attributeDefinitions", definitions);
        for (int i = 0; i < definitionNames.size(); i++) {
            c.keyAttributeName("attributeDefinitions." + (i + 1) + ".member.attributeName", definitionNames.get(i));
            c.notNull("attributeDefinitions." + (i + 1) + ".member.attributeType", definitionTypes.get(i));
            c.oneOf("attributeDefinitions." + (i + 1) + ".member.attributeType", definitionTypes.get(i), List.of("B", "N", "S"));
        }
        c.validTableName("tableName", tableName);
        c.notNull("keySchema", keySchema);
        if (keySchema != null) {
            c.lengthAtLeast("keySchema", keySchema, 1);
            c.lengthAtMost("keySchema", keySchema, 2);
            for (int i = 0; i < keyNames.size(); i++) {
                c.keyAttributeName("keySchema." + (i + 1) + ".member.attributeName", keyNames.get(i));
                c.notNull("keySchema." + (i + 1) + ".member.keyType", keyTypes.get(i));
                c.oneOf("keySchema." + (i + 1) + ".member.keyType", keyTypes.get(i), List.of("HASH", "RANGE"));
            }
        }
        // DynamoDB reports the global indexes' violations before the local ones'.
        IndexDefinitions.constrain(c, "globalSecondaryIndexes", globalIndexes);
        IndexDefinitions.constrain(c, "localSecondaryIndexes", localIndexes);
        c.provisionedThroughput(throughput, read, write);
        billingMode.check(c);
        WarmThroughputs.constrain(c, "warmThroughput", warm);
        StreamSpecificationParameter streams = StreamSpecificationParameter.read(request);
        if (streams != null) streams.check(c);
        SseSpecificationParameter sse = SseSpecificationParameter.read(request, "SSESpecification");
        if (sse != null) sse.check(c);
        List<RequestBody> vectorDefinitions = VectorIndexDefinitions.read(request, c);
        if (vectorDefinitions != null && vectorDefinitions.isEmpty()) vectorDefinitions = null;
        c.throwIfAny();
        checkTableClass(tableClass);
        if (sse != null) sse.refuseKms();
        UnsupportedParameters.refuseInCreateTable(request);
        if (TableArns.isArn(tableName)) {
            // An ARN names the table to create; its name part must be a valid table name.
            tableName = node.catalogName(tableName);
            Constraints named = new Constraints();
            named.tableName("tableName", tableName);
            named.throwIfAny();
        }

        BillingMode mode = billingMode.requested().orElse(BillingMode.PROVISIONED);
        Throughput provisioned = billingThroughput(mode, throughput, read, write);
        Set<String> defined = new HashSet<>();
        for (String name : definitionNames) {
            if (!defined.add(name)) throw DynamoException.validation("Attribute Name is duplicated: " + name);
        }
        KeySchema schema = keySchema(keyNames, keyTypes, definitionNames, definitionTypes);
        boolean indexed = localIndexes != null || globalIndexes != null || vectorDefinitions != null;
        if (!indexed && keyNames.size() != definitionNames.size()) {
            throw DynamoException.invalidParameter("Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions");
        }
        List<AttributeDefinition> attributeDefinitions = new ArrayList<>();
        Map<String, AttributeType> definedTypes = new LinkedHashMap<>();
        for (int i = 0; i < definitionNames.size(); i++) {
            attributeDefinitions.add(new AttributeDefinition(definitionNames.get(i), AttributeType.valueOf(definitionTypes.get(i))));
            definedTypes.putIfAbsent(definitionNames.get(i), AttributeType.valueOf(definitionTypes.get(i)));
        }
        List<SecondaryIndex> indexes = new ArrayList<>();
        Set<String> indexNames = new HashSet<>();
        if (localIndexes != null) indexes.addAll(IndexDefinitions.localIndexes(localIndexes, schema, definedTypes, indexNames));
        if (globalIndexes != null) indexes.addAll(IndexDefinitions.globalIndexes(globalIndexes, definedTypes, mode, indexNames));
        List<VectorIndex> vectorIndexes = vectorDefinitions == null ? List.of()
                : VectorIndexDefinitions.indexes(vectorDefinitions, SecondaryIndex.Status.ACTIVE, mode, definedTypes, indexNames);
        VectorIndexDefinitions.checkVectorAttributes(vectorIndexes, schema, indexes);
        if (indexed) {
            IndexDefinitions.checkAllDefinitionsUsed(definitionNames, schema, indexes, vectorIndexes);
            IndexDefinitions.checkNonKeyAttributeTotal(indexes);
        }
        Instant now = Instant.now();
        TableOptions.ResourcePolicies policies = resourcePolicy == null ? TableOptions.ResourcePolicies.NONE
                : new TableOptions.ResourcePolicies(new TableOptions.ResourcePolicy(ResourcePolicyDocument.parse(resourcePolicy,
                        ResourcePolicyDocument.Kind.TABLE, node.accountId(), node.knownUser()).stored(),
                        Long.toString(now.toEpochMilli())), null);
        TableMetadata table = new TableMetadata(tableName, UUID.randomUUID(), schema, attributeDefinitions, mode, provisioned, now,
                mode == BillingMode.PAY_PER_REQUEST ? Optional.of(now) : Optional.empty(),
                TableMetadata.TableStatus.ACTIVE, node.partitionsPerTable(),
                options(mode, tableClass, deletionProtection, onDemand, tags)
                        .withStreams(streams == null ? StreamHistory.NONE : streams.forNewTable(now, node.streamShardLifetime()))
                        .withIndexes(indexes)
                        .withVectorIndexes(vectorIndexes)
                        .withResourcePolicies(policies));
        if (warm == null) return table;
        return table.withOptions(table.options().withWarmThroughput(WarmThroughputs.raised(WarmThroughputs.ofTable(table), warm)));
    }

    /** Deletion protection, table class, on-demand maxima and tags, checked as DynamoDB does. */
    private static TableOptions options(BillingMode mode, String tableClass, boolean deletionProtection,
                                        OnDemandThroughput onDemand, List<Tag> tags) {
        if (mode == BillingMode.PROVISIONED) OnDemandParameters.refuseForProvisioned(onDemand);
        OnDemandParameters.checkRange(onDemand, false);
        if (tags != null) TableTags.checkTags(tags);
        // A class named at creation is reported (TableClassSummary) even when it is STANDARD.
        TableOptions.TableClassChoice choice = tableClass == null ? TableOptions.TableClassChoice.NONE
                : new TableOptions.TableClassChoice(TableOptions.TableClass.valueOf(tableClass), null);
        return new TableOptions(deletionProtection, choice, onDemand, tags, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    static Throughput billingThroughput(BillingMode mode, RequestBody throughput, Long read, Long write) {
        if (mode == BillingMode.PAY_PER_REQUEST) {
            if (throughput != null) {
                throw DynamoException.invalidParameter("Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST");
            }
            return Throughput.ON_DEMAND;
        }
        if (throughput == null) {
            throw DynamoException.invalidParameter("ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED");
        }
        checkUnits(read, write);
        return Throughput.provisioned(read, write);
    }

    static void checkUnits(long read, long write) {
        if (read > MAX_CAPACITY_UNITS) throw DynamoException.validation("Given value " + read + " for ReadCapacityUnits is out of bounds");
        if (write > MAX_CAPACITY_UNITS) throw DynamoException.validation("Given value " + write + " for WriteCapacityUnits is out of bounds");
    }

    private static KeySchema keySchema(List<String> keyNames, List<String> keyTypes,
                                       List<String> definitionNames, List<String> definitionTypes) {
        if (keyNames.size() == 2) {
            if (!definitionNames.containsAll(keyNames) || keyNames.get(0).equals(keyNames.get(1)) && definitionNames.size() == 1) {
                throw DynamoException.validation("Invalid KeySchema: Some index key attribute have no definition");
            }
        } else if (!definitionNames.containsAll(keyNames)) {
            throw DynamoException.invalidParameter("Some index key attributes are not defined in AttributeDefinitions. Keys: ["
                    + String.join(", ", keyNames) + "], AttributeDefinitions: [" + String.join(", ", definitionNames) + "]");
        }
        if (keyNames.size() == 2 && keyNames.get(0).equals(keyNames.get(1))) {
            throw DynamoException.validation("Both the Hash Key and the Range Key element in the KeySchema have the same name");
        }
        if (!"HASH".equals(keyTypes.get(0))) {
            throw DynamoException.validation("Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
        }
        if (keyNames.size() == 2 && !"RANGE".equals(keyTypes.get(1))) {
            throw DynamoException.validation("Invalid KeySchema: The second KeySchemaElement is not a RANGE key type");
        }
        AttributeType hashType = AttributeType.valueOf(definitionTypes.get(definitionNames.indexOf(keyNames.get(0))));
        if (keyNames.size() == 1) return KeySchema.hash(keyNames.get(0), hashType);
        AttributeType rangeType = AttributeType.valueOf(definitionTypes.get(definitionNames.indexOf(keyNames.get(1))));
        return KeySchema.hashAndRange(keyNames.get(0), hashType, keyNames.get(1), rangeType);
    }
}
