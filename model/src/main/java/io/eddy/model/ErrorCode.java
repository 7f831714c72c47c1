package io.eddy.model;

/**
 * The error types Eddy answers with. Each carries the {@code __type} prefix DynamoDB uses for it
 * (which layer of DynamoDB rejects the request) and the HTTP status.
 */
public enum ErrorCode {
    // Front-end (Coral service) errors.
    SerializationException(Prefix.SERVICE, 400),
    UnknownOperationException(Prefix.SERVICE, 400),
    MissingAuthenticationTokenException(Prefix.SERVICE, 400),
    IncompleteSignatureException(Prefix.SERVICE, 400),
    InvalidSignatureException(Prefix.SERVICE, 400),
    UnrecognizedClientException(Prefix.SERVICE, 400),
    AccessDeniedException(Prefix.SERVICE, 400),
    /** A request body over 16 MB (Eddy's name for it: DynamoDB's own answer is not documented). */
    RequestEntityTooLargeException(Prefix.SERVICE, 413),
    // Input validation.
    ValidationException(Prefix.VALIDATE, 400),
    // Modelled DynamoDB errors.
    ResourceNotFoundException(Prefix.DYNAMODB, 400),
    ResourceInUseException(Prefix.DYNAMODB, 400),
    ConditionalCheckFailedException(Prefix.DYNAMODB, 400),
    LimitExceededException(Prefix.DYNAMODB, 400),
    ProvisionedThroughputExceededException(Prefix.DYNAMODB, 400),
    /** An on-demand table's or index's maximum throughput (OnDemandThroughput) exceeded. */
    ThrottlingException(Prefix.DYNAMODB, 400),
    ItemCollectionSizeLimitExceededException(Prefix.DYNAMODB, 400),
    TransactionConflictException(Prefix.DYNAMODB, 400),
    TransactionCanceledException(Prefix.DYNAMODB, 400),
    TransactionInProgressException(Prefix.DYNAMODB, 400),
    IdempotentParameterMismatchException(Prefix.DYNAMODB, 400),
    /** No resource-based policy, or not the revision a request expects. */
    PolicyNotFoundException(Prefix.DYNAMODB, 400),
    /** A PartiQL INSERT of an item whose key is taken. */
    DuplicateItemException(Prefix.DYNAMODB, 400),
    // Modelled backup errors.
    BackupNotFoundException(Prefix.DYNAMODB, 400),
    TableNotFoundException(Prefix.DYNAMODB, 400),
    ContinuousBackupsUnavailableException(Prefix.DYNAMODB, 400),
    BackupInUseException(Prefix.DYNAMODB, 400),
    TableInUseException(Prefix.DYNAMODB, 400),
    TableAlreadyExistsException(Prefix.DYNAMODB, 400),
    PointInTimeRecoveryUnavailableException(Prefix.DYNAMODB, 400),
    InvalidRestoreTimeException(Prefix.DYNAMODB, 400),
    /** A global table of version 2017.11.29 (Legacy), of which none exists. */
    GlobalTableNotFoundException(Prefix.DYNAMODB, 400),
    // Modelled export and import errors.
    ExportNotFoundException(Prefix.DYNAMODB, 400),
    InvalidExportTimeException(Prefix.DYNAMODB, 400),
    ExportConflictException(Prefix.DYNAMODB, 400),
    ImportNotFoundException(Prefix.DYNAMODB, 400),
    ImportConflictException(Prefix.DYNAMODB, 400),
    // Modelled DynamoDB Streams errors.
    ExpiredIteratorException(Prefix.DYNAMODB, 400),
    TrimmedDataAccessException(Prefix.DYNAMODB, 400),
    InternalServerError(Prefix.DYNAMODB, 500);

    private final String prefix;
    private final int httpStatus;

    ErrorCode(String prefix, int httpStatus) {
        this.prefix = prefix;
        this.httpStatus = httpStatus;
    }

    /** The value of {@code __type} in the error body, e.g. {@code com.amazon.coral.validate#ValidationException}. */
    public String wireType() {
        return prefix + name();
    }

    public int httpStatus() {
        return httpStatus;
    }

    private static final class Prefix {
        static final String SERVICE = "com.amazon.coral.service#";
        static final String VALIDATE = "com.amazon.coral.validate#";
        static final String DYNAMODB = "com.amazonaws.dynamodb.v20120810#";
    }
}
