package io.eddy.model;

/**
 * Why a request was throttled, as DynamoDB reports it: {@code reason} is the resource type, the
 * operation type and the limit, e.g. {@code TableReadProvisionedThroughputExceeded} or
 * {@code IndexWriteMaxOnDemandThroughputExceeded}; {@code resource} the table's or index's ARN.
 */
public record ThrottlingReason(String reason, String resource) {}
