package io.eddy.gateway;

import com.fasterxml.jackson.core.JsonGenerator;
import io.eddy.model.AttributeValue;
import io.eddy.model.AttributeValueJson;
import io.eddy.model.CapacityUnits;
import io.eddy.model.DynamoException;
import io.eddy.model.TableMetadata;
import io.eddy.model.expression.ConditionEvaluator;
import io.eddy.model.partiql.SelectProjection;
import io.eddy.model.partiql.Statement;
import io.eddy.model.partiql.WhereKeys;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.HashSet;
import java.util.Set;
import java.util.Objects;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * BatchExecuteStatement: up to 25 PartiQL statements, all reads (SELECTs that each name one item
 * by its whole key) or all writes (INSERT, UPDATE, DELETE). Each succeeds or fails on its own, and
 * a statement's failure is its response's Error (Code and Message), not the request's; the writes
 * run at once, none on the same item as another (such a batch is refused before any runs).
 */
final class BatchExecuteStatementOperation implements Operation {

    static final int MAX_STATEMENTS = 25;

    private final NodeContext node;

    BatchExecuteStatementOperation(NodeContext node) {
        this.node = node;
    }

    /** One statement's outcome: its table (when known), the item read, or the refusal. */
    private record Outcome(String tableName, Optional<Map<String, AttributeValue>> item, Optional<DynamoException> error,
                           ConsumedCapacity consumed) {

        static Outcome failed(String tableName, DynamoException error) {
            return new Outcome(tableName, Optional.empty(), Optional.of(error), null);
        }
    }

    @Override
    public CompletionStage<byte[]> handle(RequestBody request) {
        String returnConsumedCapacity = request.string("ReturnConsumedCapacity");
        List<RequestBody> statements = request.structList("Statements", "BatchStatementRequest");
        if (statements != null) statements.forEach(PartiqlRequests::checkShapes);

        Constraints c = new Constraints();
        TransactionRequests.checkCount(c, "statements", request.node("Statements"), MAX_STATEMENTS);
        if (statements != null) {
            for (int i = 0; i < statements.size(); i++) {
                PartiqlRequests.checkConstraints(c, "statements." + (i + 1) + ".member.", statements.get(i));
            }
        }
        c.oneOf("returnConsumedCapacity", returnConsumedCapacity, CapacityReport.VALUES);
        c.throwIfAny();

        List<Statement> parsed = new ArrayList<>();
        List<DynamoException> refusals = new ArrayList<>();
        for (RequestBody statement : statements) {
            try {
                parsed.add(PartiqlRequests.parse(statement));
                refusals.add(null);
            } catch (DynamoException e) {
                parsed.add(null);
                refusals.add(e);
            }
        }
        List<Statement> valid = parsed.stream().filter(Objects::nonNull).toList();
        boolean reads = !valid.isEmpty() && PartiqlRequests.allReads(valid, "Batch");
        checkNoDuplicates(valid);

        // Each statement names its own item (duplicates are refused above): they run side by side, as BatchGetItem's and BatchWriteItem's do.
        List<CompletableFuture<Outcome>> started = new ArrayList<>(statements.size());
        for (int i = 0; i < statements.size(); i++) {
            Statement statement = parsed.get(i);
            DynamoException refusal = refusals.get(i);
            CompletionStage<Outcome> outcome = refusal != null
                    ? CompletableFuture.completedFuture(Outcome.failed(null, refusal))
                    : reads ? read((Statement.Select) statement, statements.get(i)) : write(statement, statements.get(i));
            started.add(outcome.toCompletableFuture());
        }
        CompletionStage<List<Outcome>> outcomes = CompletableFuture.allOf(started.toArray(CompletableFuture[]::new))
                .thenApply(all -> started.stream().map(CompletableFuture::join).toList());
        CapacityReport capacity = CapacityReport.of(returnConsumedCapacity);
        return outcomes.thenApply(done -> Json.object(g -> {
            g.writeArrayFieldStart("Responses");
            for (Outcome outcome : done) writeResponse(g, outcome);
            g.writeEndArray();
            Map<String, ConsumedCapacity> byTable = new LinkedHashMap<>();
            for (Outcome outcome : done) {
                if (outcome.consumed() != null) byTable.merge(outcome.tableName(), outcome.consumed(), ConsumedCapacity::plus);
            }
            capacity.writeListField(g, byTable.values());
        }));
    }

    /** As in BatchGetItem and BatchWriteItem, one item may be named once; statements whose item is unclear are left to fail on their own. */
    private void checkNoDuplicates(List<Statement> statements) {
        Set<List<Object>> seen = new HashSet<>();
        for (Statement statement : statements) {
            Optional<TableMetadata> table = node.shards().tables().find(statement.table());
            Optional<Map<String, AttributeValue>> key = table.flatMap(found -> itemKeyIfAny(statement, found));
            if (key.isPresent() && !seen.add(List.of(table.get().id(), key.get()))) {
                throw DynamoException.validation("Provided list of item keys contains duplicates");
            }
        }
    }

    /** The item a statement names; empty when it names none, which the statement's own answer reports. */
    private static Optional<Map<String, AttributeValue>> itemKeyIfAny(Statement statement, TableMetadata table) {
        try {
            return Optional.of(PartiqlRequests.itemKey(statement, table));
        } catch (DynamoException unclear) {
            return Optional.empty();
        }
    }

    /** A SELECT of one item by its whole key; the item is returned when its WHERE holds for it. */
    private CompletionStage<Outcome> read(Statement.Select select, RequestBody element) {
        String tableName = select.table();
        try {
            TableMetadata table = node.tableForData(tableName);
            select.index().flatMap(name -> table.options().index(name)).ifPresent(PartiqlSelect::checkSingleAttributeKeys);
            if (select.index().isPresent() || !WhereKeys.namesItem(select.where(), table.keySchema())) {
                // Refused before it runs, so without its table (the dynamodb-conformance suite, run against DynamoDB;
                // the wording follows ExecuteTransaction's, whose whole text is known).
                return CompletableFuture.completedFuture(Outcome.failed(null, DynamoException.validation(
                        "Select statements within BatchExecuteStatement must specify the primary key in the where clause.")));
            }
            Map<String, AttributeValue> key = PartiqlRequests.itemKey(select, table);
            boolean consistent = Boolean.TRUE.equals(element.bool("ConsistentRead"));
            return node.readItem(table, key).thenApply(found -> {
                ConsumedCapacity consumed = ConsumedCapacity.ofTable(tableName, CapacityUnits.readItem(found, consistent));
                node.throughput().charge(table, ThroughputLimits.Use.READ, consumed);
                return new Outcome(tableName, found.filter(item -> ConditionEvaluator.evaluate(select.where().get(), item))
                        .map(item -> SelectProjection.apply(item, select.projection())), Optional.empty(), consumed);
            }).exceptionally(failure -> Outcome.failed(tableName, refusal(failure)));
        } catch (DynamoException e) {
            return CompletableFuture.completedFuture(Outcome.failed(tableName, e));
        }
    }

    private CompletionStage<Outcome> write(Statement statement, RequestBody element) {
        String tableName = statement.table();
        try {
            if (statement instanceof Statement.Exists) {
                throw DynamoException.validation("EXISTS can only be used in ExecuteTransaction write requests.");
            }
            PartiqlWrite write = PartiqlWrite.of(statement, node.tableForData(tableName), PartiqlRequests.returnsItemOnFailure(element));
            return node.writeItem(write.table(), write.key(), write.update())
                    .thenApply(written -> {
                        ConsumedCapacity consumed = ConsumedCapacity.ofWrite(write.table(), written.oldImage(), written.newImage());
                        node.throughput().charge(write.table(), ThroughputLimits.Use.WRITE, consumed);
                        return new Outcome(tableName, Optional.of(write.returned(written)).filter(item -> !item.isEmpty()),
                                Optional.empty(), consumed);
                    })
                    .exceptionally(failure -> Outcome.failed(tableName, refusal(failure)));
        } catch (DynamoException e) {
            return CompletableFuture.completedFuture(Outcome.failed(tableName, e));
        }
    }

    /** The DynamoException a failed stage carries; anything else fails the whole request. */
    private static DynamoException refusal(Throwable failure) {
        if (Failures.cause(failure) instanceof DynamoException refusal) return refusal;
        throw Failures.rethrown(failure);
    }

    private static void writeResponse(JsonGenerator g, Outcome outcome) throws IOException {
        g.writeStartObject();
        if (outcome.error().isPresent()) {
            DynamoException error = outcome.error().get();
            g.writeObjectFieldStart("Error");
            g.writeStringField("Code", PartiqlRequests.errorCode(error));
            g.writeStringField("Message", error.getMessage());
            if (error.item().isPresent()) {
                g.writeFieldName("Item");
                AttributeValueJson.writeItem(g, error.item().get());
            }
            g.writeEndObject();
        }
        if (outcome.tableName() != null) g.writeStringField("TableName", outcome.tableName());
        if (outcome.item().isPresent()) {
            g.writeFieldName("Item");
            AttributeValueJson.writeItem(g, outcome.item().get());
        }
        g.writeEndObject();
    }
}
