package io.eddy.gateway;

import io.eddy.model.AttributeValue;
import io.eddy.model.AttributeValueJson;
import io.eddy.model.DynamoException;
import io.eddy.model.TableMetadata;
import io.eddy.model.expression.Condition;
import io.eddy.model.expression.ConditionEvaluator;
import io.eddy.model.partiql.SelectProjection;
import io.eddy.model.partiql.Statement;
import io.eddy.model.partiql.WhereKeys;
import io.eddy.shards.TransactionGet;
import io.eddy.shards.TransactionOutcome;
import io.eddy.shards.TransactionWrite;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * ExecuteTransaction: up to 100 PartiQL statements applied all or none, by the same two-phase
 * commit as TransactWriteItems (INSERT, UPDATE, DELETE, and EXISTS as a condition check), or read
 * as one snapshot as TransactGetItems reads (SELECTs that each name one item by its whole key).
 * A statement that fails its condition cancels the transaction with a reason per statement
 * (ConditionalCheckFailed; ValidationError, "Duplicate primary key exists in table", for an INSERT
 * whose key is taken, see architecture.md).
 */
final class ExecuteTransactionOperation implements Operation {

    private final NodeContext node;

    ExecuteTransactionOperation(NodeContext node) {
        this.node = node;
    }

    @Override
    public CompletionStage<byte[]> handle(RequestBody request) {
        String token = request.string("ClientRequestToken");
        String returnConsumedCapacity = request.string("ReturnConsumedCapacity");
        List<RequestBody> elements = request.structList("TransactStatements", "ParameterizedStatement");
        if (elements != null) elements.forEach(PartiqlRequests::checkShapes);

        Constraints c = new Constraints();
        TransactionRequests.checkCount(c, "transactStatements", request.node("TransactStatements"), TransactionRequests.MAX_ITEMS);
        if (elements != null) {
            for (int i = 0; i < elements.size(); i++) {
                PartiqlRequests.checkConstraints(c, "transactStatements." + (i + 1) + ".member.", elements.get(i));
            }
        }
        c.stringLengthAtLeast("clientRequestToken", token, 1);
        c.stringLengthAtMost("clientRequestToken", token, 36);
        c.oneOf("returnConsumedCapacity", returnConsumedCapacity, CapacityReport.VALUES);
        c.throwIfAny();

        List<Statement> statements = elements.stream().map(PartiqlRequests::parse).toList();
        List<TableMetadata> tables = statements.stream().map(statement -> node.tableForData(statement.table())).toList();
        CapacityReport capacity = CapacityReport.of(returnConsumedCapacity);
        if (PartiqlRequests.allReads(statements, "Transaction")) return read(statements, tables, capacity);

        for (int i = 0; i < statements.size(); i++) {
            Statement statement = statements.get(i);
            boolean returning = statement instanceof Statement.Update update && update.returning() != Statement.Returning.NONE
                    || statement instanceof Statement.Delete delete && delete.returning() != Statement.Returning.NONE;
            if (returning) throw invalidStatement(i, "RETURNING clause is not supported in ExecuteTransaction.");
            // An EXISTS checks a condition of its item beyond the key it reads (captured 2026-10); one of an
            // index is refused for that first (PartiqlWrite).
            if (statement instanceof Statement.Exists exists && exists.select().index().isEmpty()
                    && checksOnlyItsKey(exists, tables.get(i))) {
                throw invalidStatement(i, "EXISTS() must contain a single item read with additional condition");
            }
        }
        List<PartiqlWrite> writes = new ArrayList<>(statements.size());
        for (int i = 0; i < statements.size(); i++) {
            writes.add(PartiqlWrite.of(statements.get(i), tables.get(i), PartiqlRequests.returnsItemOnFailure(elements.get(i))));
        }
        TransactionRequests.checkNoDuplicates(tables, writes.stream().map(PartiqlWrite::key).toList());
        TransactionRequests.checkAggregateSize(writes.stream().mapToLong(PartiqlWrite::size).sum());
        TransactionRequests.admit(node, tables, writes.stream().map(PartiqlWrite::key).toList(), i -> ThroughputLimits.Use.WRITE);
        List<TransactionWrite> prepared = writes.stream()
                .map(write -> new TransactionWrite(write.table(), write.key(), write.update())).toList();
        String requestHash = TransactionRequests.requestHash(request, "TransactStatements", "ReturnConsumedCapacity");
        return node.shards().transactWrite(Optional.ofNullable(token), requestHash, prepared)
                .thenApply(outcome -> renderWrites(outcome, statements, writes, tables, capacity));
    }

    /** An EXISTS whose WHERE names its item and nothing more. */
    private static boolean checksOnlyItsKey(Statement.Exists exists, TableMetadata table) {
        Optional<Condition> where = exists.select().where();
        return WhereKeys.namesItem(where, table.keySchema()) && WhereKeys.withoutKeyEqualities(where.get(), table.keySchema()).isEmpty();
    }

    /** DynamoDB names the statement a transaction refuses: "Validation failed in TransactStatements[0]: …" (captured, 2026). */
    private static DynamoException invalidStatement(int index, String problem) {
        return DynamoException.validation("Validation failed in TransactStatements[" + index + "]: " + problem);
    }

    /** SELECTs, each of one item by its whole key of a table (not an index), read as one snapshot. */
    private CompletionStage<byte[]> read(List<Statement> statements, List<TableMetadata> tables, CapacityReport capacity) {
        List<TransactionGet> gets = new ArrayList<>(statements.size());
        for (int i = 0; i < statements.size(); i++) {
            Statement.Select select = (Statement.Select) statements.get(i);
            TableMetadata table = tables.get(i);
            if (select.index().isPresent()) throw invalidStatement(i, "Reads on indices are not supported within transactions.");
            if (!WhereKeys.namesItem(select.where(), table.keySchema())) {
                throw invalidStatement(i, "Select statements within ExecuteTransaction must specify the primary key in the where clause.");
            }
            gets.add(new TransactionGet(table, PartiqlRequests.itemKey(select, table)));
        }
        TransactionRequests.checkNoDuplicates(tables, gets.stream().map(TransactionGet::key).toList());
        TransactionRequests.admit(node, tables, gets.stream().map(TransactionGet::key).toList(), i -> ThroughputLimits.Use.READ);
        return node.shards().transactGet(gets).thenApply(found -> {
            Map<String, ConsumedCapacity> units = TransactionRequests.chargeReads(node, found, tables);
            return Json.object(g -> {
                g.writeArrayFieldStart("Responses");
                for (int i = 0; i < found.size(); i++) {
                    Statement.Select select = (Statement.Select) statements.get(i);
                    g.writeStartObject();
                    Optional<Map<String, AttributeValue>> item = found.get(i)
                            .filter(candidate -> ConditionEvaluator.evaluate(select.where().get(), candidate));
                    if (item.isPresent()) {
                        g.writeFieldName("Item");
                        AttributeValueJson.writeItem(g, SelectProjection.apply(item.get(), select.projection()));
                    }
                    g.writeEndObject();
                }
                g.writeEndArray();
                capacity.writeListField(g, units.values(), CapacityReport.Split.READ);
            });
        });
    }

    /**
     * An empty Responses list (as DynamoDB answers writes: LocalStack's test, recorded against it) and, when
     * asked for, twice the units of the same writes (and checks) outside a transaction.
     */
    private byte[] renderWrites(TransactionOutcome outcome, List<Statement> statements, List<PartiqlWrite> writes, List<TableMetadata> tables,
                                CapacityReport capacity) {
        if (outcome instanceof TransactionOutcome.Cancelled cancelled) throw DynamoException.transactionCanceled(cancelled.reasons());
        if (outcome instanceof TransactionOutcome.Failed failed) throw failed.error();
        // A request replayed under its ClientRequestToken is charged as transactional reads of its items.
        boolean committed = outcome instanceof TransactionOutcome.Committed;
        Map<String, ConsumedCapacity> charged = committed
                ? TransactionRequests.chargeWrites(node, ((TransactionOutcome.Committed) outcome).writes(), tables,
                        i -> statements.get(i) instanceof Statement.Exists, capacity != CapacityReport.NONE)
                : TransactionRequests.chargeReplay(node, tables, i -> writes.get(i).size());
        CapacityReport.Split split = committed ? CapacityReport.Split.WRITE : CapacityReport.Split.READ;
        return Json.object(g -> {
            g.writeArrayFieldStart("Responses");
            g.writeEndArray();
            capacity.writeListField(g, charged.values(), split);
        });
    }
}
