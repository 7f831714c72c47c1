package io.eddy.gateway;

import io.eddy.model.AttributeType;
import io.eddy.model.DynamoException;
import io.eddy.model.SecondaryIndex;
import io.eddy.model.TableMetadata.BillingMode;
import io.eddy.model.VectorIndex;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * CreateTable's VectorIndexes: read, checked against their member constraints, then against the
 * table (its attribute definitions, billing and other indexes) with DynamoDB's messages where its
 * documentation gives them.
 */
final class VectorIndexDefinitions {

    /** DynamoDB's words for a vector index on a provisioned table (captured from the service, 2026). */
    static final String PAY_PER_REQUEST_ONLY = "Vector indexes are only supported for PAY_PER_REQUEST tables";

    /** Two vector indexes of one attribute with different dimensions: CreateTable's words (the conformance suite, recorded in eu-west-2). */
    static DynamoException conflictingDimensions(String vectorAttribute) {
        return DynamoException.invalidParameter("Conflicting attribute definition for '" + vectorAttribute
                + "'. All VectorIndexes on the same vector attribute must use the same dimensions.");
    }

    /** UpdateTable's, which names the VectorAttribute (ScyllaDB's tests, run against DynamoDB; the full text is not known). */
    static DynamoException conflictingDimensionsOfAnUpdate(String vectorAttribute) {
        return DynamoException.invalidParameter("Conflicting attribute definition for '" + vectorAttribute
                + "'. All VectorIndexes on the same VectorAttribute must use the same Dimensions.");
    }

    private static final List<String> DISTANCE_FUNCTIONS = List.of("COSINE", "DOT_PRODUCT", "EUCLIDEAN");
    private static final List<String> ELEMENT_TYPES = List.of("HASH", "INLINE_FILTER");

    private VectorIndexDefinitions() {}

    /** The request's VectorIndexes structures, their members checked into {@code c}; null when absent. */
    static List<RequestBody> read(RequestBody request, Constraints c) {
        List<RequestBody> indexes = request.structList("VectorIndexes", "CreateVectorIndexAction");
        for (int i = 0; indexes != null && i < indexes.size(); i++) constrain(c, "vectorIndexes." + (i + 1) + ".member", indexes.get(i));
        return indexes;
    }

    /** One definition's members (a VectorIndexes element, or a VectorIndexUpdate's Create), reported under {@code member}. */
    static void constrain(Constraints c, String member, RequestBody index) {
        c.notNull(member + ".indexName", index.string("IndexName"));
        c.tableName(member + ".indexName", index.string("IndexName"));
        RequestBody vector = index.struct("VectorAttribute", "VectorAttributeDefinition");
        c.notNull(member + ".vectorAttribute", vector);
        if (vector != null) {
            String name = vector.string("AttributeName");
            c.notNull(member + ".vectorAttribute.attributeName", name);
            c.stringLengthAtLeast(member + ".vectorAttribute.attributeName", name, 1);
            c.stringLengthAtMost(member + ".vectorAttribute.attributeName", name, 255);
        }
        List<RequestBody> schema = index.structList("SearchSchema", "SearchSchemaElement");
        c.lengthAtLeast(member + ".searchSchema", schema, 1);
        for (int i = 0; schema != null && i < schema.size(); i++) {
            String element = member + ".searchSchema." + (i + 1) + ".member";
            c.notNull(element + ".attributeName", schema.get(i).string("AttributeName"));
            String type = schema.get(i).string("SearchSchemaElementType");
            c.notNull(element + ".searchSchemaElementType", type);
            c.oneOf(element + ".searchSchemaElementType", type, ELEMENT_TYPES);
        }
        RequestBody projection = index.struct("Projection");
        c.notNull(member + ".projection", projection);
        if (projection != null) {
            c.oneOf(member + ".projection.projectionType", projection.string("ProjectionType"), List.of("ALL", "INCLUDE", "KEYS_ONLY"));
            IndexDefinitions.constrainNonKeyAttributes(c, member + ".projection.nonKeyAttributes",
                    projection.stringList("NonKeyAttributes"));
        }
        Long dimensions = dimensions(index);
        c.notNull(member + ".dimensions", dimensions);
        c.atLeast(member + ".dimensions", dimensions, 1);
        String distance = index.string("DistanceFunction");
        c.notNull(member + ".distanceFunction", distance);
        c.oneOf(member + ".distanceFunction", distance, DISTANCE_FUNCTIONS);
    }

    /**
     * Dimensions, a whole number; one with a fraction is cut to its whole part, as DynamoDB takes
     * 6.7 for 6 (ScyllaDB's tests, run against it), where its other operations refuse a fraction.
     */
    private static Long dimensions(RequestBody index) {
        com.fasterxml.jackson.databind.JsonNode node = index.node("Dimensions");
        if (node != null && node.isFloatingPointNumber() && Double.isFinite(node.doubleValue())) return (long) node.doubleValue();
        return index.longValue("Dimensions");
    }

    /**
     * The vector indexes of a new table: at most five, on an on-demand table, each search schema
     * attribute defined in AttributeDefinitions, names unique among all the table's indexes; each
     * with a new id and {@code status} (CREATING for one added to a table that may have items).
     */
    static List<VectorIndex> indexes(List<RequestBody> definitions, SecondaryIndex.Status status, BillingMode mode,
                                     Map<String, AttributeType> definedTypes,
                                     Set<String> namesSeen) {
        if (definitions.size() > VectorIndex.MAX_PER_TABLE) {
            throw DynamoException.invalidParameter("VectorIndex count exceeds the per-table limit of " + VectorIndex.MAX_PER_TABLE);
        }
        if (mode != BillingMode.PAY_PER_REQUEST) {
            throw DynamoException.invalidParameter(PAY_PER_REQUEST_ONLY);
        }
        List<VectorIndex> indexes = new ArrayList<>();
        Map<String, Integer> dimensionsByAttribute = new HashMap<>();
        for (RequestBody definition : definitions) {
            String name = definition.string("IndexName");
            IndexDefinitions.checkUniqueName(name, namesSeen);
            long dimensions = dimensions(definition);
            if (dimensions > VectorIndex.MAX_DIMENSIONS) {
                throw DynamoException.invalidParameter("Number of dimensions must be between 1 and " + VectorIndex.MAX_DIMENSIONS
                        + " inclusive.");
            }
            List<VectorIndex.SearchAttribute> schema = new ArrayList<>();
            List<RequestBody> elements = definition.structList("SearchSchema", "SearchSchemaElement");
            for (RequestBody element : elements == null ? List.<RequestBody>of() : elements) {
                String attribute = element.string("AttributeName");
                if (!definedTypes.containsKey(attribute)) {
                    throw DynamoException.invalidParameter("One element in SearchSchema is not defined in attribute definitions");
                }
                schema.add(new VectorIndex.SearchAttribute(attribute,
                        VectorIndex.SearchAttributeType.valueOf(element.string("SearchSchemaElementType"))));
            }
            if (schema.stream().map(VectorIndex.SearchAttribute::name).distinct().count() < schema.size()) {
                throw DynamoException.invalidParameter("Duplicate attribute in the SearchSchema of vector index " + name);
            }
            long hashes = schema.stream().filter(a -> a.type() == VectorIndex.SearchAttributeType.HASH).count();
            if (hashes > 1) throw DynamoException.invalidParameter("A vector index's SearchSchema can have at most one HASH element: " + name);
            if (schema.size() - hashes > VectorIndex.MAX_INLINE_FILTERS) {
                throw DynamoException.invalidParameter("A vector index's SearchSchema can have at most " + VectorIndex.MAX_INLINE_FILTERS
                        + " INLINE_FILTER elements: " + name);
            }
            String vectorAttribute = definition.struct("VectorAttribute").string("AttributeName");
            Integer other = dimensionsByAttribute.putIfAbsent(vectorAttribute, (int) dimensions);
            if (other != null && other != dimensions) {
                throw conflictingDimensions(vectorAttribute);
            }
            RequestBody projection = definition.struct("Projection");
            List<String> nonKey = projection.stringList("NonKeyAttributes");
            if (nonKey != null && !nonKey.contains(vectorAttribute) && nonKey.size() + 1 > IndexDefinitions.MAX_NON_KEY_ATTRIBUTES) {
                // The vector is projected too, so it counts (ScyllaDB's tests, run against DynamoDB: 20 names are refused).
                throw DynamoException.invalidParameter("Number of projected attributes in vector index " + name + " exceeds limit of "
                        + IndexDefinitions.MAX_NON_KEY_ATTRIBUTES + ", its vector attribute included");
            }
            indexes.add(new VectorIndex(name, vectorAttribute, schema,
                    IndexDefinitions.projection(projection.string("ProjectionType"), projection.stringList("NonKeyAttributes")),
                    (int) dimensions, VectorIndex.DistanceFunction.valueOf(definition.string("DistanceFunction")), UUID.randomUUID(), status));
        }
        return indexes;
    }

    /**
     * A vector attribute holds a list, so it cannot also be a key of the table or of an index, or a
     * search schema attribute: every write giving it a value would be refused one way or the other.
     */
    static void checkVectorAttributes(List<VectorIndex> vectorIndexes, io.eddy.model.KeySchema table, List<io.eddy.model.SecondaryIndex> indexes) {
        for (VectorIndex index : vectorIndexes) {
            String attribute = index.vectorAttribute();
            boolean key = table.isKeyAttribute(attribute)
                    || indexes.stream().anyMatch(other -> other.keyAttributes().stream().anyMatch(k -> k.name().equals(attribute)))
                    || vectorIndexes.stream().anyMatch(other -> other.searchAttribute(attribute).isPresent());
            if (key) {
                throw DynamoException.invalidParameter("The VectorAttribute of vector index " + index.name() + ", " + attribute
                        + ", is a key or search schema attribute: it must hold the vector only");
            }
        }
    }
}
