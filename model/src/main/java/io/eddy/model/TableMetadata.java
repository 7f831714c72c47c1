package io.eddy.model;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * What the catalog knows about a table. {@code id} is unique per table incarnation, so a table
 * deleted and created again under the same name never sees the old one's items or journal.
 */
public record TableMetadata(
        String name,
        UUID id,
        KeySchema keySchema,
        List<AttributeDefinition> attributeDefinitions,
        BillingMode billingMode,
        Throughput throughput,
        Instant creationDateTime,
        Optional<Instant> lastUpdateToPayPerRequest,
        TableStatus status,
        int partitionCount,
        TableOptions options) {

    public TableMetadata {
        attributeDefinitions = List.copyOf(attributeDefinitions);
        if (options == null) options = TableOptions.DEFAULTS;
        if (options.vectorIndexes().stream().anyMatch(index -> index.id() == null)) {
            UUID tableId = id;
            options = options.withVectorIndexes(options.vectorIndexes().stream().map(index -> index.identifiedIn(tableId)).toList());
        }
    }

    /** The type AttributeDefinitions gives the attribute, if they define it. */
    public Optional<AttributeType> definedType(String attribute) {
        return attributeDefinitions.stream().filter(definition -> definition.name().equals(attribute))
                .map(AttributeDefinition::type).findFirst();
    }

    public enum BillingMode { PROVISIONED, PAY_PER_REQUEST }

    public enum TableStatus { CREATING, UPDATING, DELETING, ACTIVE }

    public record AttributeDefinition(String name, AttributeType type) {}

    /**
     * Provisioned read/write capacity and the bookkeeping DescribeTable reports about it. For
     * PAY_PER_REQUEST tables DynamoDB reports zero units.
     */
    public record Throughput(long readCapacityUnits, long writeCapacityUnits,
                             Optional<Instant> lastIncrease, Optional<Instant> lastDecrease,
                             int decreasesToday) {
        public static final Throughput ON_DEMAND = new Throughput(0, 0, Optional.empty(), Optional.empty(), 0);

        public static Throughput provisioned(long read, long write) {
            return new Throughput(read, write, Optional.empty(), Optional.empty(), 0);
        }

        /** NumberOfDecreasesToday at {@code now}: the decreases counted on the UTC day of the last one, if that is today. */
        public int decreasesOn(Instant now) {
            boolean today = lastDecrease.map(last -> last.truncatedTo(java.time.temporal.ChronoUnit.DAYS)
                    .equals(now.truncatedTo(java.time.temporal.ChronoUnit.DAYS))).orElse(false);
            return today ? decreasesToday : 0;
        }
    }

    public TableMetadata withStatus(TableStatus newStatus) {
        return new TableMetadata(name, id, keySchema, attributeDefinitions, billingMode, throughput,
                creationDateTime, lastUpdateToPayPerRequest, newStatus, partitionCount, options);
    }

    public TableMetadata withBilling(BillingMode mode, Throughput newThroughput, Optional<Instant> payPerRequestSince) {
        return new TableMetadata(name, id, keySchema, attributeDefinitions, mode, newThroughput,
                creationDateTime, payPerRequestSince, status, partitionCount, options);
    }

    /**
     * The table with only the definitions of the attributes its key, an index's key or a vector
     * index's search schema uses, as
     * DynamoDB keeps them: a dropped index's key attributes go with it, and may come back with
     * another type in a later index.
     */
    public TableMetadata withUsedAttributeDefinitions() {
        Set<String> used = new HashSet<>();
        used.add(keySchema.partitionKey().name());
        keySchema.sortKey().ifPresent(key -> used.add(key.name()));
        options.indexes().forEach(index -> index.keyAttributes().forEach(key -> used.add(key.name())));
        options.vectorIndexes().forEach(index -> index.searchSchema().forEach(attribute -> used.add(attribute.name())));
        return withAttributeDefinitions(attributeDefinitions.stream().filter(definition -> used.contains(definition.name())).toList());
    }

    public TableMetadata withAttributeDefinitions(List<AttributeDefinition> definitions) {
        return new TableMetadata(name, id, keySchema, definitions, billingMode, throughput,
                creationDateTime, lastUpdateToPayPerRequest, status, partitionCount, options);
    }

    public TableMetadata withOptions(TableOptions newOptions) {
        return new TableMetadata(name, id, keySchema, attributeDefinitions, billingMode, throughput,
                creationDateTime, lastUpdateToPayPerRequest, status, partitionCount, newOptions);
    }
}
