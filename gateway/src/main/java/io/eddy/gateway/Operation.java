package io.eddy.gateway;

import java.util.concurrent.CompletionStage;

/** One DynamoDB operation: parse and validate the request, call the shards, render the response body. */
interface Operation {
    CompletionStage<byte[]> handle(RequestBody request);
}
