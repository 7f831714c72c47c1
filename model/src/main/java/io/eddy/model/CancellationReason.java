package io.eddy.model;

import java.util.Map;
import java.util.Optional;

/**
 * Why one action of a cancelled transaction (TransactWriteItems, TransactGetItems) did or did not
 * go through, in DynamoDB's words: {@code None} for an action that would have succeeded,
 * {@code ConditionalCheckFailed} (with the item when ReturnValuesOnConditionCheckFailure is
 * ALL_OLD), {@code TransactionConflict}, {@code ProvisionedThroughputExceeded} and
 * {@code ThrottlingError} (a table or index out of capacity), {@code ItemCollectionSizeLimitExceeded}
 * (a write that would overgrow an item collection of a table with local indexes), or
 * {@code ValidationError} (also a PartiQL INSERT of a taken key).
 */
public record CancellationReason(String code, Optional<String> message, Optional<Map<String, AttributeValue>> item) {

    public static final CancellationReason NONE = new CancellationReason("None", Optional.empty(), Optional.empty());

    /** DynamoDB's message for an item locked by another transaction (reason and TransactionConflictException alike). */
    public static final String TRANSACTION_CONFLICT_MESSAGE = "Transaction is ongoing for the item";

    public static CancellationReason transactionConflict() {
        return new CancellationReason("TransactionConflict", Optional.of(TRANSACTION_CONFLICT_MESSAGE), Optional.empty());
    }

    public static CancellationReason validationError(String message) {
        return new CancellationReason("ValidationError", Optional.of(message), Optional.empty());
    }

    /**
     * The reason an action's refusal stands for: a failed condition (keeping its item), or any
     * other refusal of the action's own input or result as a ValidationError.
     */
    public static CancellationReason of(DynamoException refusal) {
        return switch (refusal.code()) {
            case ConditionalCheckFailedException -> new CancellationReason("ConditionalCheckFailed",
                    Optional.ofNullable(refusal.getMessage()), refusal.item());
            case TransactionConflictException -> transactionConflict();
            case ProvisionedThroughputExceededException -> new CancellationReason("ProvisionedThroughputExceeded",
                    Optional.ofNullable(refusal.getMessage()), Optional.empty());
            case ThrottlingException -> new CancellationReason("ThrottlingError", Optional.ofNullable(refusal.getMessage()), Optional.empty());
            case ItemCollectionSizeLimitExceededException -> new CancellationReason("ItemCollectionSizeLimitExceeded",
                    Optional.ofNullable(refusal.getMessage()), Optional.empty());
            default -> validationError(refusal.getMessage());
        };
    }

    public boolean isNone() {
        return code.equals(NONE.code);
    }
}
