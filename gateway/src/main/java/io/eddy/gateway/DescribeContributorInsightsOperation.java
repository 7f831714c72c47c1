package io.eddy.gateway;

import io.eddy.model.ContributorInsights;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * DescribeContributorInsights of a table or one of its global indexes. A table or index that never
 * had insights is DISABLED and nothing else; one disabled since keeps its mode and the time of the
 * change; an enabled one lists its rules (see {@link ContributorInsightsTargets.Target#ruleNames}).
 */
final class DescribeContributorInsightsOperation implements Operation {

    private final NodeContext node;

    DescribeContributorInsightsOperation(NodeContext node) {
        this.node = node;
    }

    @Override
    public CompletionStage<byte[]> handle(RequestBody request) {
        String tableName = request.string("TableName");
        String indexName = request.string("IndexName");
        Constraints c = new Constraints();
        ContributorInsightsTargets.checkNames(c, tableName, indexName);
        c.throwIfAny();

        ContributorInsightsTargets.Target target = ContributorInsightsTargets.resolve(node, tableName, indexName);
        Optional<ContributorInsights> setting = target.setting();
        return CompletableFuture.completedFuture(Json.object(g -> {
            target.writeNames(g);
            if (setting.isPresent() && setting.get().enabled()) {
                g.writeArrayFieldStart("ContributorInsightsRuleList");
                for (String rule : target.ruleNames(setting.get())) g.writeString(rule);
                g.writeEndArray();
            }
            g.writeStringField("ContributorInsightsStatus", setting.filter(ContributorInsights::enabled).isPresent() ? "ENABLED" : "DISABLED");
            if (setting.isPresent()) {
                g.writeFieldName("LastUpdateDateTime");
                g.writeNumber(Json.epochSeconds(setting.get().lastUpdateMillis()));
                g.writeStringField("ContributorInsightsMode", setting.get().mode().name());
            }
        }));
    }
}
