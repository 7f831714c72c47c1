package io.eddy.gateway;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.eddy.model.AttributeValue;
import io.eddy.model.AttributeValueJson;
import io.eddy.model.DynamoException;
import io.eddy.model.partiql.Statement;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * ExecuteStatement: one PartiQL statement. A SELECT reads a page ({@link PartiqlSelect}); an
 * INSERT, UPDATE or DELETE writes one item ({@link PartiqlWrite}) and returns what its RETURNING
 * clause asks for as the one element of Items.
 */
final class ExecuteStatementOperation implements Operation {

    private final NodeContext node;
    private final PartiqlSelect select;

    ExecuteStatementOperation(NodeContext node) {
        this.node = node;
        this.select = new PartiqlSelect(node);
    }

    @Override
    public CompletionStage<byte[]> handle(RequestBody request) {
        PartiqlRequests.checkShapes(request);
        String nextToken = request.string("NextToken");
        Long limit = request.intValue("Limit");
        boolean consistent = Boolean.TRUE.equals(request.bool("ConsistentRead"));
        String returnConsumedCapacity = request.string("ReturnConsumedCapacity");

        Constraints c = new Constraints();
        PartiqlRequests.checkConstraints(c, "", request);
        c.stringLengthAtLeast("nextToken", nextToken, 1);
        c.stringLengthAtMost("nextToken", nextToken, 32768);
        c.atLeast("limit", limit, 1);
        c.oneOf("returnConsumedCapacity", returnConsumedCapacity, CapacityReport.VALUES);
        c.throwIfAny();

        Statement statement = PartiqlRequests.parse(request);
        CapacityReport capacity = CapacityReport.of(returnConsumedCapacity);
        if (statement instanceof Statement.Select read) {
            return select.execute(read, consistent, limit, nextToken, requestHash(request), capacity);
        }
        if (statement instanceof Statement.Exists) {
            throw DynamoException.validation("EXISTS can only be used in ExecuteTransaction write requests.");
        }
        PartiqlWrite write = PartiqlWrite.of(statement, node.tableForData(statement.table()),
                PartiqlRequests.returnsItemOnFailure(request));
        return node.writeItem(write.table(), write.key(), write.update()).thenApply(written -> Json.object(g -> {
            Map<String, AttributeValue> returned = write.returned(written);
            g.writeArrayFieldStart("Items");
            if (!returned.isEmpty()) AttributeValueJson.writeItem(g, returned);
            g.writeEndArray();
            capacity.writeField(g, write.table().name(), node.throughput().chargedWrite(write.table(), written));
        }));
    }

    /** The digest of the statement and its parameters, which a NextToken must have been issued for. */
    private static String requestHash(RequestBody request) {
        ArrayNode statement = Json.MAPPER.createArrayNode();
        statement.add(request.string("Statement"));
        statement.add(request.node("Parameters") == null ? Json.MAPPER.createArrayNode() : request.node("Parameters"));
        return TransactionRequests.requestHash(statement);
    }
}
