package io.eddy.gateway;

import io.eddy.model.AttributeType;
import io.eddy.model.DynamoException;
import io.eddy.model.IndexProjection;
import io.eddy.model.VectorIndex;
import io.eddy.model.KeySchema;
import io.eddy.model.KeySchema.KeyAttribute;
import io.eddy.model.SecondaryIndex;
import io.eddy.model.TableMetadata.BillingMode;
import io.eddy.model.TableOptions.OnDemandThroughput;
import io.eddy.model.TableOptions.WarmThroughput;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Secondary index definitions as CreateTable (LocalSecondaryIndexes, GlobalSecondaryIndexes) and
 * UpdateTable (GlobalSecondaryIndexUpdates' Create) send them: read (a wrong JSON type is a
 * SerializationException), checked against their member constraints, then against the table's
 * attribute definitions and key schema with DynamoDB's messages, in DynamoDB's order.
 */
final class IndexDefinitions {

    private IndexDefinitions() {}

    /** Most NonKeyAttributes one index may list, and all indexes of a table together. */
    static final int MAX_NON_KEY_ATTRIBUTES = 20;
    static final int MAX_NON_KEY_ATTRIBUTES_PER_TABLE = 100;
    /** A global index's key schema: up to four partition and four sort key attributes. */
    private static final int MAX_GLOBAL_KEY_SCHEMA = 2 * SecondaryIndex.MAX_KEY_ATTRIBUTES;

    /** One index definition as sent; members absent from the request are null. */
    record Definition(boolean global, String indexName, List<String> keyNames, List<String> keyTypes,
                      boolean keySchemaSent, boolean projectionSent, String projectionType, List<String> nonKeyAttributes,
                      RequestBody throughput, Long read, Long write, OnDemandThroughput onDemand, WarmThroughput warm) {}

    /** The definitions in {@code field} (a list of index structures); null when absent. */
    static List<Definition> read(RequestBody request, String field, boolean global) {
        List<RequestBody> indexes = request.structList(field, global ? "GlobalSecondaryIndex" : "LocalSecondaryIndex");
        if (indexes == null) return null;
        List<Definition> definitions = new ArrayList<>(indexes.size());
        for (RequestBody index : indexes) definitions.add(read(index, global));
        return definitions;
    }

    /** One index structure (an element of the lists, or a GlobalSecondaryIndexUpdate's Create). */
    static Definition read(RequestBody index, boolean global) {
        String name = index.string("IndexName");
        List<RequestBody> keySchema = index.structList("KeySchema", "KeySchemaElement");
        List<String> keyNames = new ArrayList<>();
        List<String> keyTypes = new ArrayList<>();
        if (keySchema != null) {
            for (RequestBody element : keySchema) {
                keyNames.add(element.string("AttributeName"));
                keyTypes.add(element.string("KeyType"));
            }
        }
        RequestBody projection = index.struct("Projection");
        String projectionType = projection == null ? null : projection.string("ProjectionType");
        List<String> nonKeyAttributes = projection == null ? null : projection.stringList("NonKeyAttributes");
        RequestBody throughput = global ? index.struct("ProvisionedThroughput") : null;
        Long read = throughput == null ? null : throughput.longValue("ReadCapacityUnits");
        Long write = throughput == null ? null : throughput.longValue("WriteCapacityUnits");
        OnDemandThroughput onDemand = global ? OnDemandParameters.read(index) : null;
        return new Definition(global, name, keyNames, keyTypes, keySchema != null, projection != null, projectionType,
                nonKeyAttributes, throughput, read, write, onDemand, global ? WarmThroughputs.read(index) : null);
    }

    /** The member constraints of each definition, reported at {@code path} (e.g. "globalSecondaryIndexes"). */
    static void constrain(Constraints c, String path, List<Definition> definitions) {
        if (definitions == null) return;
        for (int i = 0; i < definitions.size(); i++) constrain(c, path + "." + (i + 1) + ".member", definitions.get(i));
    }

    static void constrain(Constraints c, String member, Definition d) {
        c.notNull(member + ".indexName", d.indexName());
        c.tableName(member + ".indexName", d.indexName());
        if (!d.keySchemaSent()) {
            c.notNull(member + ".keySchema", null);
        } else {
            c.lengthAtLeast(member + ".keySchema", d.keyNames(), 1);
            c.lengthAtMost(member + ".keySchema", d.keyNames(), d.global() ? MAX_GLOBAL_KEY_SCHEMA : 2);
            for (int k = 0; k < d.keyNames().size(); k++) {
                String element = member + ".keySchema." + (k + 1) + ".member";
                c.keyAttributeName(element + ".attributeName", d.keyNames().get(k));
                c.notNull(element + ".keyType", d.keyTypes().get(k));
                c.oneOf(element + ".keyType", d.keyTypes().get(k), List.of("HASH", "RANGE"));
            }
        }
        if (!d.projectionSent()) {
            c.notNull(member + ".projection", null);
        } else {
            c.oneOf(member + ".projection.projectionType", d.projectionType(), List.of("ALL", "INCLUDE", "KEYS_ONLY"));
            constrainNonKeyAttributes(c, member + ".projection.nonKeyAttributes", d.nonKeyAttributes());
        }
        if (d.throughput() != null) c.provisionedThroughput(member + ".provisionedThroughput", d.read(), d.write());
        WarmThroughputs.constrain(c, member + ".warmThroughput", d.warm());
    }

    /**
     * The local indexes of a new table, checked as DynamoDB does (in its order).
     *
     * @param definitions the table's attribute definitions, name to type
     */
    static List<SecondaryIndex> localIndexes(List<Definition> indexes, KeySchema table, Map<String, AttributeType> definitions,
                                             Set<String> namesSeen) {
        if (indexes.isEmpty()) throw DynamoException.invalidParameter("List of LocalSecondaryIndexes is empty");
        if (table.sortKey().isEmpty()) {
            throw DynamoException.invalidParameter("Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex");
        }
        List<SecondaryIndex> result = new ArrayList<>();
        for (Definition index : indexes) {
            checkKeysDefined(index, definitions);
            if (index.keyNames().size() == 2 && index.keyNames().get(0).equals(index.keyNames().get(1))) {
                throw DynamoException.validation("Both the Hash Key and the Range Key element in the KeySchema have the same name");
            }
            if (!"HASH".equals(index.keyTypes().get(0))) {
                throw DynamoException.validation("Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
            }
            if (index.keyNames().size() == 2 && !"RANGE".equals(index.keyTypes().get(1))) {
                throw DynamoException.validation("Invalid KeySchema: The second KeySchemaElement is not a RANGE key type");
            }
            if (index.keyNames().size() != 2) {
                throw DynamoException.invalidParameter("Index KeySchema does not have a range key for index: " + index.indexName());
            }
            String tableHash = table.partitionKey().name();
            if (!index.keyNames().get(0).equals(tableHash)) {
                throw DynamoException.invalidParameter("Index KeySchema does not have the same leading hash key as table KeySchema "
                        + "for index: " + index.indexName() + ". index hash key: " + index.keyNames().get(0)
                        + ", table hash key: " + tableHash);
            }
            IndexProjection projection = projection(index);
            checkUniqueName(index, namesSeen);
            result.add(new SecondaryIndex(index.indexName(), UUID.randomUUID(), SecondaryIndex.Kind.LOCAL,
                    List.of(attribute(index.keyNames().get(0), definitions)), List.of(attribute(index.keyNames().get(1), definitions)),
                    projection, SecondaryIndex.Status.ACTIVE, null, null));
        }
        if (indexes.size() > SecondaryIndex.MAX_LOCAL) {
            throw DynamoException.invalidParameter("Number of LocalSecondaryIndexes exceeds per-table limit of " + SecondaryIndex.MAX_LOCAL);
        }
        return result;
    }

    /** The global indexes of a new table, checked as DynamoDB does (in its order). */
    static List<SecondaryIndex> globalIndexes(List<Definition> indexes, Map<String, AttributeType> definitions, BillingMode mode,
                                              Set<String> namesSeen) {
        if (indexes.isEmpty()) throw DynamoException.invalidParameter("List of GlobalSecondaryIndexes is empty");
        List<SecondaryIndex> result = new ArrayList<>();
        for (Definition index : indexes) {
            SecondaryIndex built = globalIndex(index, definitions, mode, SecondaryIndex.Status.ACTIVE, false);
            checkUniqueName(index, namesSeen);
            result.add(built);
        }
        if (indexes.size() > SecondaryIndex.MAX_GLOBAL) {
            throw DynamoException.invalidParameter("GlobalSecondaryIndex count exceeds the per-table limit of " + SecondaryIndex.MAX_GLOBAL);
        }
        return result;
    }

    /**
     * One global index: its key schema (one to four partition attributes, then up to four sort
     * attributes), projection and throughput.
     *
     * @param update whether UpdateTable creates it (its throughput messages differ from CreateTable's)
     */
    static SecondaryIndex globalIndex(Definition index, Map<String, AttributeType> definitions, BillingMode mode,
                                      SecondaryIndex.Status status, boolean update) {
        checkKeysDefined(index, definitions);
        List<String> names = index.keyNames();
        if (names.size() == 2 && names.get(0).equals(names.get(1))) {
            throw DynamoException.validation("Both the Hash Key and the Range Key element in the KeySchema have the same name");
        }
        if (new HashSet<>(names).size() != names.size()) {
            throw DynamoException.validation("The KeySchema contains multiple key attributes with the same name");
        }
        if (!"HASH".equals(index.keyTypes().get(0))) {
            throw DynamoException.validation("Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
        }
        List<KeyAttribute> partition = new ArrayList<>();
        List<KeyAttribute> sort = new ArrayList<>();
        for (int k = 0; k < names.size(); k++) {
            boolean hash = "HASH".equals(index.keyTypes().get(k));
            if (hash && !sort.isEmpty()) {
                throw DynamoException.invalidParameter("All HASH key attributes must precede RANGE key attributes in the KeySchema");
            }
            (hash ? partition : sort).add(attribute(names.get(k), definitions));
        }
        if (partition.size() > SecondaryIndex.MAX_KEY_ATTRIBUTES) {
            throw DynamoException.invalidParameter("The KeySchema exceeds the maximum allowed number of HASH key attributes");
        }
        if (sort.size() > SecondaryIndex.MAX_KEY_ATTRIBUTES) {
            throw DynamoException.invalidParameter("The KeySchema exceeds the maximum allowed number of RANGE key attributes");
        }
        IndexProjection projection = projection(index);
        SecondaryIndex.IndexThroughput throughput = null;
        if (mode == BillingMode.PAY_PER_REQUEST) {
            if (index.throughput() != null) {
                throw DynamoException.invalidParameter(update
                        ? "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified for index: " + index.indexName()
                                + " when BillingMode is PAY_PER_REQUEST"
                        : "ProvisionedThroughput should not be specified for index: " + index.indexName()
                                + " when BillingMode is PAY_PER_REQUEST");
            }
        } else {
            if (index.throughput() == null) {
                throw DynamoException.invalidParameter("ProvisionedThroughput " + (update ? "must be" : "is not") + " specified for index: "
                        + index.indexName());
            }
            CreateTableOperation.checkUnits(index.read(), index.write());
            throughput = new SecondaryIndex.IndexThroughput(index.read(), index.write());
            OnDemandParameters.refuseForProvisioned(index.onDemand());
        }
        OnDemandParameters.checkRange(index.onDemand(), false);
        SecondaryIndex created = new SecondaryIndex(index.indexName(), UUID.randomUUID(), SecondaryIndex.Kind.GLOBAL, partition, sort,
                projection, status, throughput, index.onDemand());
        if (index.warm() == null) return created;
        return created.withWarmThroughput(WarmThroughputs.raised(WarmThroughputs.ofIndex(mode, created), index.warm()));
    }

    /** Every attribute definition must be used by a key schema once the table has indexes. */
    static void checkAllDefinitionsUsed(List<String> definitionNames, KeySchema table, List<SecondaryIndex> indexes,
                                        List<VectorIndex> vectorIndexes) {
        List<String> used = new ArrayList<>();
        used.add(table.partitionKey().name());
        table.sortKey().ifPresent(sort -> used.add(sort.name()));
        for (SecondaryIndex index : indexes) {
            for (KeyAttribute attribute : index.keyAttributes()) if (!used.contains(attribute.name())) used.add(attribute.name());
        }
        for (VectorIndex index : vectorIndexes) {
            for (VectorIndex.SearchAttribute attribute : index.searchSchema()) if (!used.contains(attribute.name())) used.add(attribute.name());
        }
        if (!used.containsAll(definitionNames)) {
            throw DynamoException.invalidParameter("Some AttributeDefinitions are not used. AttributeDefinitions: ["
                    + String.join(", ", definitionNames) + "], keys used: [" + String.join(", ", used) + "]");
        }
    }

    /**
     * A projection's NonKeyAttributes: 1 to 20 names of 1 to 255 characters each (a longer name is
     * refused: ScyllaDB's tests, run against DynamoDB), reported at {@code path}.
     */
    static void constrainNonKeyAttributes(Constraints c, String path, List<String> names) {
        c.lengthAtLeast(path, names, 1);
        c.lengthAtMost(path, names, MAX_NON_KEY_ATTRIBUTES);
        for (int i = 0; names != null && i < names.size(); i++) {
            c.stringLengthAtLeast(path + "." + (i + 1) + ".member", names.get(i), 1);
            c.stringLengthAtMost(path + "." + (i + 1) + ".member", names.get(i), 255);
        }
    }

    /** At most 100 NonKeyAttributes over all the table's indexes, an attribute counted once per index. */
    static void checkNonKeyAttributeTotal(List<SecondaryIndex> indexes) {
        int total = indexes.stream().mapToInt(index -> index.projection().nonKeyAttributes().size()).sum();
        if (total > MAX_NON_KEY_ATTRIBUTES_PER_TABLE) {
            throw DynamoException.invalidParameter("The sum of NonKeyAttributes across all secondary indexes exceeds the limit of "
                    + MAX_NON_KEY_ATTRIBUTES_PER_TABLE);
        }
    }

    private static void checkKeysDefined(Definition index, Map<String, AttributeType> definitions) {
        if (!definitions.keySet().containsAll(index.keyNames())) {
            throw DynamoException.invalidParameter("Some index key attributes are not defined in AttributeDefinitions. Keys: ["
                    + String.join(", ", index.keyNames()) + "], AttributeDefinitions: [" + String.join(", ", definitions.keySet()) + "]");
        }
    }

    private static IndexProjection projection(Definition index) {
        return projection(index.projectionType(), index.nonKeyAttributes());
    }

    /** A Projection's type and NonKeyAttributes as sent, checked with DynamoDB's messages. */
    static IndexProjection projection(String type, List<String> nonKeyAttributes) {
        if (type == null) throw DynamoException.invalidParameter("Unknown ProjectionType: null");
        if (nonKeyAttributes != null && !type.equals("INCLUDE")) {
            throw DynamoException.invalidParameter("ProjectionType is " + type + ", but NonKeyAttributes is specified");
        }
        if (nonKeyAttributes == null && type.equals("INCLUDE")) {
            throw DynamoException.invalidParameter("ProjectionType is INCLUDE, but NonKeyAttributes is not specified");
        }
        Set<String> seen = new HashSet<>();
        for (String attribute : nonKeyAttributes == null ? List.<String>of() : nonKeyAttributes) {
            if (!seen.add(attribute)) throw DynamoException.invalidParameter("Duplicate element in NonKeyAttributes: " + attribute);
        }
        return new IndexProjection(IndexProjection.ProjectionType.valueOf(type), nonKeyAttributes);
    }

    private static void checkUniqueName(Definition index, Set<String> namesSeen) {
        checkUniqueName(index.indexName(), namesSeen);
    }

    /** Index names are unique among a table's indexes of every kind. */
    static void checkUniqueName(String indexName, Set<String> namesSeen) {
        if (!namesSeen.add(indexName)) throw DynamoException.invalidParameter("Duplicate index name: " + indexName);
    }

    private static KeyAttribute attribute(String name, Map<String, AttributeType> definitions) {
        return new KeyAttribute(name, definitions.get(name));
    }
}
