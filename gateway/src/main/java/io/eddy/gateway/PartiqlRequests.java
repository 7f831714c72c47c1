package io.eddy.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.eddy.model.AttributeValue;
import io.eddy.model.AttributeValueJson;
import io.eddy.model.DynamoException;
import io.eddy.model.partiql.PartiqlParser;
import io.eddy.model.ItemKeys;
import io.eddy.model.TableMetadata;
import io.eddy.model.expression.Condition;
import io.eddy.model.partiql.Statement;
import io.eddy.model.partiql.WhereKeys;
import java.util.Map;
import java.util.Optional;
import java.util.ArrayList;
import java.util.List;

/**
 * What ExecuteStatement, BatchExecuteStatement and ExecuteTransaction share: a statement's
 * members (Statement, Parameters) checked and parsed, and a per-statement error's code.
 */
final class PartiqlRequests {

    private PartiqlRequests() {}

    /** The SerializationException pass over a statement's members. */
    static void checkShapes(RequestBody statement) {
        statement.string("Statement");
        statement.string("ReturnValuesOnConditionCheckFailure");
        JsonNode parameters = statement.node("Parameters");
        if (parameters == null) return;
        if (!parameters.isArray()) throw DynamoException.serialization(io.eddy.model.AttributeValueShapes.listMismatch(parameters));
        for (JsonNode parameter : parameters) AttributeValueJson.checkValueShape(parameter);
    }

    /** The member constraints of a statement, at {@code path} ("" for ExecuteStatement's own). */
    static void checkConstraints(Constraints c, String path, RequestBody statement) {
        String text = statement.string("Statement");
        c.notNull(path + "statement", text);
        c.stringLengthAtLeast(path + "statement", text, 1);
        c.stringLengthAtMost(path + "statement", text, PartiqlParser.MAX_STATEMENT_LENGTH);
        c.lengthAtLeast(path + "parameters", TransactionRequests.elements(statement.node("Parameters")), 1);
        c.oneOf(path + "returnValuesOnConditionCheckFailure", statement.string("ReturnValuesOnConditionCheckFailure"),
                WriteCondition.RETURN_VALUES_ON_FAILURE);
    }

    /** The statement with its parameters bound. */
    static Statement parse(RequestBody statement) {
        List<AttributeValue> parameters = new ArrayList<>();
        JsonNode values = statement.node("Parameters");
        if (values != null) {
            for (JsonNode value : values) parameters.add(AttributeValueJson.read(value));
        }
        return PartiqlParser.parse(statement.string("Statement"), parameters);
    }

    static boolean returnsItemOnFailure(RequestBody statement) {
        return "ALL_OLD".equals(statement.string("ReturnValuesOnConditionCheckFailure"));
    }

    /**
     * The key of the one item a statement names (an INSERT's item, a WHERE's key equalities).
     *
     * @throws DynamoException when the statement does not name one item of the table
     */
    static Map<String, AttributeValue> itemKey(Statement statement, TableMetadata table) {
        if (statement instanceof Statement.Insert insert) return ItemKeys.keyOfItem(insert.item(), table.keySchema());
        Optional<Condition> where;
        if (statement instanceof Statement.Update update) {
            where = Optional.of(update.where());
        } else if (statement instanceof Statement.Delete delete) {
            where = Optional.of(delete.where());
        } else if (statement instanceof Statement.Exists exists) {
            where = exists.select().where();
        } else {
            where = ((Statement.Select) statement).where();
        }
        if (where.isEmpty()) throw DynamoException.validation(PartiqlParser.INCOMPLETE_KEY);
        return ItemKeys.validateKey(WhereKeys.itemKey(where.get(), table.keySchema()), table.keySchema());
    }

    /** The Code of a BatchStatementError for a refusal. */
    static String errorCode(DynamoException refusal) {
        return switch (refusal.code()) {
            case ConditionalCheckFailedException -> "ConditionalCheckFailed";
            case DuplicateItemException -> "DuplicateItem";
            case ResourceNotFoundException -> "ResourceNotFound";
            case TransactionConflictException -> "TransactionConflict";
            case ProvisionedThroughputExceededException -> "ProvisionedThroughputExceeded";
            case ThrottlingException -> "ThrottlingError";
            case ItemCollectionSizeLimitExceededException -> "ItemCollectionSizeLimitExceeded";
            case InternalServerError -> "InternalServerError";
            case AccessDeniedException -> "AccessDenied";
            default -> "ValidationError";
        };
    }

    /** @throws DynamoException unless every statement reads or every statement writes */
    static boolean allReads(List<Statement> statements, String what) {
        boolean reads = statements.get(0).isRead();
        if (statements.stream().anyMatch(statement -> statement.isRead() != reads)) {
            throw DynamoException.validation(what + " must consist of either all read statements or all write statements");
        }
        return reads;
    }
}
