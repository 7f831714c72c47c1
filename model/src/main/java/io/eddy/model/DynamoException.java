package io.eddy.model;

import java.util.Map;
import java.util.Optional;

/**
 * A DynamoDB error to be rendered to the client. {@code item} is set only for a
 * ConditionalCheckFailedException with ReturnValuesOnConditionCheckFailure=ALL_OLD.
 */
public final class DynamoException extends RuntimeException {
    private final ErrorCode code;
    private final transient Map<String, AttributeValue> item;

    public DynamoException(ErrorCode code, String message) {
        this(code, message, null);
    }

    public DynamoException(ErrorCode code, String message, Map<String, AttributeValue> item) {
        super(message, null, false, false);
        this.code = code;
        this.item = item;
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
