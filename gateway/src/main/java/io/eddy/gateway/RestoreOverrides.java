package io.eddy.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eddy.model.DynamoException;

/**
 * The overrides RestoreTableFromBackup and RestoreTableToPointInTime share: billing mode,
 * throughput and the index lists, applied to the CreateTable request a restore builds.
 */
final class RestoreOverrides {

    private RestoreOverrides() {}

    /** Checks the override parameters that are not checked as part of the CreateTable they make. */
    static void check(Constraints c, RequestBody request) {
        c.oneOf("billingModeOverride", request.string("BillingModeOverride"), BillingModeParameter.MODES);
        SseSpecificationParameter sse = SseSpecificationParameter.read(request, "SSESpecificationOverride");
        if (sse != null) sse.check(c);
    }

    /** @throws DynamoException when the request asks for KMS encryption, which Eddy does not do */
    static void refuseEncryption(RequestBody request) {
        SseSpecificationParameter sse = SseSpecificationParameter.read(request, "SSESpecificationOverride");
        if (sse != null) sse.refuseKms();
    }

    /** The restore's CreateTable request with the request's overrides in place. */
    static ObjectNode applied(ObjectNode table, RequestBody request) {
        String billingMode = request.string("BillingModeOverride");
        if (billingMode != null) {
            table.put("BillingMode", billingMode);
            // What the source's billing had and the new one does not take goes.
            String other = billingMode.equals("PAY_PER_REQUEST") ? "ProvisionedThroughput" : "OnDemandThroughput";
            table.remove(other);
            for (JsonNode index : table.path("GlobalSecondaryIndexes")) ((ObjectNode) index).remove(other);
        }
        override(table, request, "ProvisionedThroughputOverride", "ProvisionedThroughput");
        override(table, request, "OnDemandThroughputOverride", "OnDemandThroughput");
        overrideIndexes(table, request, "GlobalSecondaryIndexOverride", "GlobalSecondaryIndexes");
        overrideIndexes(table, request, "LocalSecondaryIndexOverride", "LocalSecondaryIndexes");
        if ("PROVISIONED".equals(billingMode) && request.node("GlobalSecondaryIndexOverride") == null) {
            // An on-demand source's global indexes have no throughput to keep (a 2026 test suite run against DynamoDB).
            for (JsonNode index : table.path("GlobalSecondaryIndexes")) {
                if (!index.has("ProvisionedThroughput")) {
                    throw DynamoException.invalidParameter("GlobalSecondaryIndexOverride must be specified for index: "
                            + index.path("IndexName").asText() + " when BillingModeOverride is PROVISIONED");
                }
            }
        }
        return table;
    }

    /**
     * An index list override keeps, drops or renames the source's indexes: each index it names must
     * have the key schema and projection of one of the source's (DynamoDB's words, captured 2026).
     */
    private static void overrideIndexes(ObjectNode table, RequestBody request, String parameter, String member) {
        JsonNode value = request.node(parameter);
        if (value == null) return;
        for (JsonNode index : value) {
            boolean existed = false;
            for (JsonNode source : table.path(member)) existed |= sameShape(source, index);
            if (!existed) {
                throw DynamoException.validation("Invalid Request: Index " + index.path("IndexName").asText()
                        + " does not match a secondary index that existed in the source table and cannot be created during the restore operation");
            }
        }
        table.set(member, value);
    }

    private static boolean sameShape(JsonNode source, JsonNode index) {
        return source.path("KeySchema").equals(index.path("KeySchema"))
                && source.path("Projection").path("ProjectionType").equals(index.path("Projection").path("ProjectionType"))
                && names(source.path("Projection").path("NonKeyAttributes")).equals(names(index.path("Projection").path("NonKeyAttributes")));
    }

    private static java.util.Set<String> names(JsonNode list) {
        java.util.Set<String> names = new java.util.HashSet<>();
        for (JsonNode name : list) names.add(name.asText());
        return names;
    }

    private static void override(ObjectNode table, RequestBody request, String parameter, String member) {
        JsonNode value = request.node(parameter);
        if (value != null) table.set(member, value);
    }
}
