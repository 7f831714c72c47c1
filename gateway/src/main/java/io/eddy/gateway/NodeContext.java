package io.eddy.gateway;

import io.eddy.model.DynamoException;
import io.eddy.model.TableMetadata;
import io.eddy.shards.Shards;

/** What every operation handler needs from the node: the shards and the node's identity for ARNs. */
record NodeContext(Shards shards, String region, String accountId, int partitionsPerTable) {

    /** The table a data-plane request names; DynamoDB answers a missing one with a bare "Requested resource not found". */
    TableMetadata tableForData(String name) {
        return shards.tables().find(name)
                .orElseThrow(() -> DynamoException.resourceNotFound("Requested resource not found"));
    }

    /** The table a control-plane request names, with DescribeTable's message. */
    TableMetadata tableForControl(String name) {
        return shards.tables().find(name)
                .orElseThrow(() -> DynamoException.resourceNotFound("Requested resource not found: Table: " + name + " not found"));
    }

    String tableArn(TableMetadata table) {
        return "arn:aws:dynamodb:" + region + ":" + accountId + ":table/" + table.name();
    }
}
