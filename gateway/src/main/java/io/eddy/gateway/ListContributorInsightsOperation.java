package io.eddy.gateway;

import io.eddy.model.ContributorInsights;
import io.eddy.model.DynamoException;
import io.eddy.model.TableMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * ListContributorInsights: the tables and global indexes whose insights are enabled (DynamoDB lists
 * every status but DISABLED; Eddy's settle at once), of one table or of all, tables by name, each
 * table before its indexes; MaxResults (at most 100, the default) at a time, with a NextToken that
 * names the next entry.
 */
final class ListContributorInsightsOperation implements Operation {

    private static final int MAX_RESULTS = 100;

    private final NodeContext node;

    ListContributorInsightsOperation(NodeContext node) {
        this.node = node;
    }

    @Override
    public CompletionStage<byte[]> handle(RequestBody request) {
        String tableName = request.string("TableName");
        String nextToken = request.string("NextToken");
        Long maxResults = request.intValue("MaxResults");
        Constraints c = new Constraints();
        c.stringLengthAtLeast("tableName", tableName, 1);
        c.stringLengthAtMost("tableName", tableName, TableArns.MAX_ARN_LENGTH);
        c.atMost("maxResults", maxResults, MAX_RESULTS);
        c.throwIfAny();
        if (maxResults != null && maxResults < 1) {
            throw DynamoException.validation("1 validation error detected: Value '" + maxResults
                    + "' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1");
        }

        List<TableMetadata> tables = tableName != null ? List.of(node.tableForControl(tableName))
                : List.copyOf(node.shards().tables().all().values());
        List<ContributorInsightsTargets.Target> targets = new ArrayList<>();
        for (TableMetadata table : tables) targets.addAll(ContributorInsightsTargets.enabled(table));
        int start = nextToken == null ? 0 : startAfterToken(targets, nextToken);
        int size = maxResults == null ? MAX_RESULTS : maxResults.intValue();
        List<ContributorInsightsTargets.Target> page = targets.subList(start, Math.min(targets.size(), start + size));
        boolean more = start + page.size() < targets.size();
        return CompletableFuture.completedFuture(Json.object(g -> {
            g.writeArrayFieldStart("ContributorInsightsSummaries");
            for (ContributorInsightsTargets.Target target : page) {
                ContributorInsights setting = target.setting().orElseThrow();
                g.writeStartObject();
                target.writeNames(g);
                g.writeStringField("ContributorInsightsStatus", "ENABLED");
                g.writeStringField("ContributorInsightsMode", setting.mode().name());
                g.writeEndObject();
            }
            g.writeEndArray();
            if (more) g.writeStringField("NextToken", token(targets.get(start + page.size())));
        }));
    }

    /** The next entry's table and index, so that a page goes on from it whatever changed meanwhile. */
    private static String token(ContributorInsightsTargets.Target target) {
        String key = target.table().name() + "\n" + (target.index() == null ? "" : target.index().name());
        return PageTokens.encode(key);
    }

    /**
     * Where to go on from the token's entry: the entry itself, or (if it was disabled meanwhile) the
     * next enabled one after where it stands, the table before its indexes in their order, tables by name.
     */
    private int startAfterToken(List<ContributorInsightsTargets.Target> targets, String nextToken) {
        String[] key = PageTokens.decode(nextToken).orElseThrow(() -> DynamoException.validation("Invalid NextToken")).split("\n", -1);
        if (key.length != 2) throw DynamoException.validation("Invalid NextToken");
        List<String> order = node.shards().tables().find(key[0])
                .map(table -> table.options().indexes().stream().filter(index -> !index.local()).map(index -> index.name()).toList())
                .orElse(List.of());
        // The table itself stands at -1; an index that is gone leaves the rest of its table out.
        int position = key[1].isEmpty() ? -1 : order.contains(key[1]) ? order.indexOf(key[1]) : Integer.MAX_VALUE;
        for (int i = 0; i < targets.size(); i++) {
            ContributorInsightsTargets.Target target = targets.get(i);
            int compared = target.table().name().compareTo(key[0]);
            if (compared > 0) return i;
            if (compared < 0) continue;
            int at = target.index() == null ? -1 : order.indexOf(target.index().name());
            if (at >= position) return i;
        }
        return targets.size();
    }
}
