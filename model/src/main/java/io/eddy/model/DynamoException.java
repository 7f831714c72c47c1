package io.eddy.model;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A DynamoDB error to be rendered to the client. {@code item} is set only for a
 * ConditionalCheckFailedException with ReturnValuesOnConditionCheckFailure=ALL_OLD;
 * {@code cancellationReasons} only for a TransactionCanceledException, one per action in request order;
 * {@code throttlingReasons} only for the throttling errors (ProvisionedThroughputExceededException,
 * ThrottlingException): which limit of which table or index the request met.
 */
public final class DynamoException extends RuntimeException {
    private final ErrorCode code;
    private final transient Map<String, AttributeValue> item;
    private final transient List<CancellationReason> cancellationReasons;
    private final transient List<ThrottlingReason> throttlingReasons;
    /** The message in DynamoDB's newer request layer, where it words the refusal otherwise; null when the same. */
    private final String currentWording;
    /** A refusal PutItem, UpdateItem and DeleteItem report bare, not inside "1 validation error detected: ". */
    private final boolean outsideEnvelope;

    public DynamoException(ErrorCode code, String message) {
        this(code, message, null);
    }

    public DynamoException(ErrorCode code, String message, Map<String, AttributeValue> item) {
        this(code, message, item, List.of());
    }

    private DynamoException(ErrorCode code, String message, Map<String, AttributeValue> item,
                            List<CancellationReason> cancellationReasons) {
        this(code, message, item, cancellationReasons, List.of());
    }

    private DynamoException(ErrorCode code, String message, Map<String, AttributeValue> item,
                            List<CancellationReason> cancellationReasons, List<ThrottlingReason> throttlingReasons) {
        this(code, message, item, cancellationReasons, throttlingReasons, null, false);
    }

    private DynamoException(ErrorCode code, String message, Map<String, AttributeValue> item,
                            List<CancellationReason> cancellationReasons, List<ThrottlingReason> throttlingReasons,
                            String currentWording, boolean outsideEnvelope) {
        super(message, null, false, false);
        this.code = code;
        this.item = item;
        this.cancellationReasons = List.copyOf(cancellationReasons);
        this.throttlingReasons = List.copyOf(throttlingReasons);
        this.currentWording = currentWording;
        this.outsideEnvelope = outsideEnvelope;
    }

    private static DynamoException validation(String message, String currentWording, boolean outsideEnvelope) {
        return new DynamoException(ErrorCode.ValidationException, message, null, List.of(), List.of(), currentWording, outsideEnvelope);
    }

    /** A request refused for the capacity of a table or index: {@code code} is one of the throttling errors. */
    public static DynamoException throttled(ErrorCode code, String message, ThrottlingReason reason) {
        return new DynamoException(code, message, null, List.of(), List.of(reason));
    }

    /** "Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]". */
    public static DynamoException transactionCanceled(List<CancellationReason> reasons) {
        String codes = reasons.stream().map(CancellationReason::code).collect(Collectors.joining(", "));
        return new DynamoException(ErrorCode.TransactionCanceledException,
                "Transaction cancelled, please refer cancellation reasons for specific reasons [" + codes + "]", null, reasons);
    }

    /** A single-item write to an item that a pending transaction holds. */
    public static DynamoException transactionConflict() {
        return new DynamoException(ErrorCode.TransactionConflictException, CancellationReason.TRANSACTION_CONFLICT_MESSAGE);
    }

    public List<CancellationReason> cancellationReasons() {
        return cancellationReasons;
    }

    public List<ThrottlingReason> throttlingReasons() {
        return throttlingReasons;
    }

    public ErrorCode code() {
        return code;
    }

    public Optional<Map<String, AttributeValue>> item() {
        return Optional.ofNullable(item);
    }

    public static DynamoException validation(String message) {
        return new DynamoException(ErrorCode.ValidationException, message);
    }

    /**
     * A refusal of a value that DynamoDB words one way in its older request layer (BatchWriteItem,
     * Scan, the transactions) and {@code currentWording} in its newer one (GetItem, BatchGetItem,
     * Query, PutItem, UpdateItem, DeleteItem), as the conformance suite captured them in 2026.
     */
    public static DynamoException validation(String olderWording, String currentWording) {
        return validation(olderWording, currentWording, false);
    }

    /**
     * A refusal PutItem, UpdateItem and DeleteItem give bare where they put their other request
     * checks inside "1 validation error detected: " (an AttributeValue with no type, or several).
     */
    public static DynamoException validationOutsideEnvelope(String message) {
        return validation(message, null, true);
    }

    /** The message DynamoDB's newer request layer gives for this refusal. */
    public String currentWording() {
        return currentWording != null ? currentWording : getMessage();
    }

    /** Whether PutItem, UpdateItem and DeleteItem report this refusal bare. */
    public boolean outsideEnvelope() {
        return outsideEnvelope;
    }

    /** This refusal as DynamoDB's newer request layer words it. */
    public DynamoException inCurrentWording() {
        return currentWording == null ? this : validation(currentWording, null, outsideEnvelope);
    }

    /**
     * This refusal of a value inside the older layer's context, e.g. "ExpressionAttributeValues
     * contains invalid value: … for key :v"; the newer layer gives the value's refusal alone.
     */
    public DynamoException inOlderContext(String before, String after) {
        return validation(before + getMessage() + after, currentWording(), outsideEnvelope);
    }

    /** "One or more parameter values were invalid: ..." — DynamoDB's prefix for most item checks. */
    public static DynamoException invalidParameter(String detail) {
        return validation("One or more parameter values were invalid: " + detail);
    }

    public static DynamoException resourceNotFound(String message) {
        return new DynamoException(ErrorCode.ResourceNotFoundException, message);
    }

    public static DynamoException serialization(String message) {
        return new DynamoException(ErrorCode.SerializationException, message);
    }
}
