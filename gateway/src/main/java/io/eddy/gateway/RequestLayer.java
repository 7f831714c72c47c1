package io.eddy.gateway;

import io.eddy.model.DynamoException;
import io.eddy.model.ErrorCode;
import java.util.regex.Pattern;

/**
 * DynamoDB answers GetItem, BatchGetItem, Query, PutItem, UpdateItem and DeleteItem from a newer
 * request layer than its other operations (the conformance suite's captures, eu-west-2 and
 * us-east-1 agreeing, 2026-10). It words some refusals of values otherwise (a number set's repeat
 * "Input collection contains duplicates." with the usual prefix, a string set's repeat listed in
 * order, no "ExpressionAttributeValues contains invalid value: … for key :v" around a value's
 * problem), and the three writes put their request checks inside "1 validation error detected: ",
 * leaving bare what they find against the table and its items (key and index-key types, the key
 * attributes an update may not touch, item size) and an AttributeValue with no type or several.
 */
final class RequestLayer {
    private RequestLayer() {}

    private static final Pattern ENVELOPE = Pattern.compile("^\\d+ validation errors? detected: ");

    /** {@code operation} with its refusals of values in the newer layer's words. */
    static Operation currentWording(Operation operation) {
        return request -> {
            try {
                return operation.handle(request);
            } catch (DynamoException e) {
                throw e.inCurrentWording();
            }
        };
    }

    /**
     * A refusal of a write's request checks, made before its table is looked up, as PutItem,
     * UpdateItem and DeleteItem give it: in the newer words, inside the envelope.
     */
    static DynamoException writeEnvelope(DynamoException refusal) {
        DynamoException current = refusal.inCurrentWording();
        if (current.code() != ErrorCode.ValidationException || current.outsideEnvelope()
                || ENVELOPE.matcher(current.getMessage()).lookingAt()) {
            return current;
        }
        return DynamoException.validation("1 validation error detected: " + current.getMessage());
    }
}
