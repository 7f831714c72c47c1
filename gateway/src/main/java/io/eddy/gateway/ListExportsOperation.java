package io.eddy.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eddy.model.DynamoException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * ListExports: the exports, newest first, of one table or all, MaxResults (1 to 25, 10 by
 * default) at a time, failed and running ones too; the NextToken is the ARN of the last export a
 * page shows, and the next page begins with the next older export.
 */
final class ListExportsOperation implements Operation {

    private final TableExports exports;

    ListExportsOperation(TableExports exports) {
        this.exports = exports;
    }

    @Override
    public CompletionStage<byte[]> handle(RequestBody request) {
        String tableArn = request.string("TableArn");
        Long maxResults = request.intValue("MaxResults");
        String nextToken = request.string("NextToken");
        Constraints c = new Constraints();
        c.stringLengthAtLeast("tableArn", tableArn, 1);
        c.stringLengthAtMost("tableArn", tableArn, 1024);
        c.atLeast("maxResults", maxResults, 1);
        c.atMost("maxResults", maxResults, 25);
        c.throwIfAny();
        List<ObjectNode> all = exports.list(tableArn);
        int from = 0;
        if (nextToken != null) {
            // The token is a place in the order of all exports: one taken from another table's listing is no
            // error (DynamoDB answers it), the listing goes on with this table's exports older than it.
            if (exports.find(nextToken).isEmpty()) {
                throw DynamoException.validation("Invalid Request: Provided nextToken is invalid: " + nextToken);
            }
            String after = TableExports.exportId(nextToken);
            from = all.size();
            for (int i = all.size() - 1; i >= 0 && TableExports.exportId(all.get(i).path("ExportArn").asText()).compareTo(after) < 0; i--) {
                from = i;
            }
        }
        int pageSize = maxResults == null ? 10 : maxResults.intValue();
        List<ObjectNode> page = all.subList(Math.min(from, all.size()), Math.min(from + pageSize, all.size()));
        boolean more = from + pageSize < all.size();
        return CompletableFuture.completedFuture(Json.object(g -> {
            g.writeArrayFieldStart("ExportSummaries");
            for (ObjectNode export : page) {
                g.writeStartObject();
                g.writeStringField("ExportArn", export.path("ExportArn").asText());
                g.writeStringField("ExportStatus", export.path("ExportStatus").asText());
                g.writeStringField("ExportType", export.path("ExportType").asText("FULL_EXPORT"));
                g.writeEndObject();
            }
            g.writeEndArray();
            if (more) g.writeStringField("NextToken", page.get(page.size() - 1).path("ExportArn").asText());
        }));
    }
}
