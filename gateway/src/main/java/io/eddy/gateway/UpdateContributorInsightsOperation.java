package io.eddy.gateway;

import io.eddy.model.ContributorInsights;
import io.eddy.model.DynamoException;
import io.eddy.model.SecondaryIndex;
import io.eddy.model.TableMetadata;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;

/**
 * UpdateContributorInsights: enables or disables Contributor Insights of a table or one of its
 * global indexes, durably in the catalog. As DynamoDB, it answers ENABLING or DISABLING for a
 * change (Eddy's change is made by then: DescribeContributorInsights shows ENABLED or DISABLED),
 * and the settled status for a request that changes nothing. ENABLE without a mode means
 * ACCESSED_AND_THROTTLED_KEYS; a mode change is an ENABLE that keeps the rules' creation time;
 * DISABLE keeps the mode and ignores one sent with it.
 */
final class UpdateContributorInsightsOperation implements Operation {

    private final NodeContext node;

    UpdateContributorInsightsOperation(NodeContext node) {
        this.node = node;
    }

    @Override
    public CompletionStage<byte[]> handle(RequestBody request) {
        String tableName = request.string("TableName");
        String indexName = request.string("IndexName");
        String action = request.string("ContributorInsightsAction");
        String mode = request.string("ContributorInsightsMode");
        Constraints c = new Constraints();
        ContributorInsightsTargets.checkNames(c, tableName, indexName);
        c.notNull("contributorInsightsAction", action);
        c.oneOf("contributorInsightsAction", action, ContributorInsightsTargets.ACTIONS);
        c.oneOf("contributorInsightsMode", mode, ContributorInsightsTargets.MODES);
        c.throwIfAny();

        boolean enable = action.equals("ENABLE");
        ContributorInsights.Mode asked = mode == null ? ContributorInsights.Mode.ACCESSED_AND_THROTTLED_KEYS
                : ContributorInsights.Mode.valueOf(mode);
        String name = ContributorInsightsTargets.resolve(node, tableName, indexName).table().name();
        long now = System.currentTimeMillis();
        AtomicReference<Outcome> outcome = new AtomicReference<>();
        return node.shards().updateTable(name, current -> {
            ContributorInsightsTargets.Target target = ContributorInsightsTargets.target(current, indexName);
            Optional<ContributorInsights> setting = target.setting();
            if (enable) {
                checkActive(target);
                if (setting.filter(s -> s.enabled() && s.mode() == asked).isPresent()) {
                    outcome.set(new Outcome(target, "ENABLED", Optional.of(asked)));
                    return current;
                }
                long rulesCreated = setting.filter(ContributorInsights::enabled).map(ContributorInsights::rulesCreatedMillis).orElse(now);
                outcome.set(new Outcome(target, "ENABLING", Optional.of(asked)));
                return changed(current, target, new ContributorInsights(indexName, indexId(target), true, asked, rulesCreated, now));
            }
            Optional<ContributorInsights.Mode> kept = setting.map(ContributorInsights::mode);
            if (setting.filter(ContributorInsights::enabled).isEmpty()) {
                outcome.set(new Outcome(target, "DISABLED", kept));
                return current;
            }
            outcome.set(new Outcome(target, "DISABLING", kept));
            ContributorInsights was = setting.get();
            return changed(current, target, new ContributorInsights(indexName, indexId(target), false, was.mode(), was.rulesCreatedMillis(), now));
        }).thenApply(updated -> Json.object(g -> {
            // The counts of rules no longer enabled go now rather than at the next report.
            node.contributors().retainEnabled(node.shards().tables().all().values());
            Outcome done = outcome.get();
            done.target().writeNames(g);
            g.writeStringField("ContributorInsightsStatus", done.status());
            if (done.mode().isPresent()) g.writeStringField("ContributorInsightsMode", done.mode().get().name());
        }));
    }

    private record Outcome(ContributorInsightsTargets.Target target, String status, Optional<ContributorInsights.Mode> mode) {}

    /** Insights are enabled only on an ACTIVE table and index (a table being restored or imported, an index being built, are not). */
    private static void checkActive(ContributorInsightsTargets.Target target) {
        String problem = target.table().status() != TableMetadata.TableStatus.ACTIVE ? "TableStatus"
                : target.index() != null && target.index().status() != SecondaryIndex.Status.ACTIVE ? "IndexStatus" : null;
        if (problem != null) {
            throw DynamoException.validation("Table or Index is not in a valid state to update Key Access Insights: "
                    + problem + " must be ACTIVE to enable ContributorInsights.");
        }
    }

    private static java.util.UUID indexId(ContributorInsightsTargets.Target target) {
        return target.index() == null ? null : target.index().id();
    }

    private static TableMetadata changed(TableMetadata table, ContributorInsightsTargets.Target target, ContributorInsights setting) {
        return table.withOptions(table.options().withContributorInsights(setting));
    }
}
