package io.eddy.gateway;

import com.fasterxml.jackson.core.JsonGenerator;
import io.eddy.model.ContributorInsights;
import io.eddy.model.DynamoException;
import io.eddy.model.SecondaryIndex;
import io.eddy.model.TableMetadata;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the Contributor Insights operations share: the table or global index a request names, the
 * checks of its members, DynamoDB's rule names, and the settings a table lists. Insights are set
 * per table and per global index; a local index has none.
 */
final class ContributorInsightsTargets {

    static final List<String> ACTIONS = List.of("ENABLE", "DISABLE");
    static final List<String> MODES = List.of("ACCESSED_AND_THROTTLED_KEYS", "THROTTLED_KEYS");

    private ContributorInsightsTargets() {}

    /** A table, or one of its global indexes (the index, or null for the table itself). */
    record Target(TableMetadata table, SecondaryIndex index) {

        Optional<ContributorInsights> setting() {
            return table.options().contributorInsightsOf(index);
        }

        /** The key schema the rules follow: the table's, or the index's own. */
        boolean hasSortKey() {
            return index == null ? table.keySchema().sortKey().isPresent() : !index.sortKeys().isEmpty();
        }

        /**
         * CloudWatch's rules for an enabled setting: DynamoDBContributorInsights-{PKC,PKT,SKC,SKT}-
         * table[-index]-creation time; the "C" (accessed keys) rules only in ACCESSED_AND_THROTTLED_KEYS
         * mode, the "SK" (partition and sort key) rules only for a key with a sort key.
         */
        List<String> ruleNames(ContributorInsights setting) {
            String suffix = table.name() + (index == null ? "" : "-" + index.name()) + "-" + setting.rulesCreatedMillis();
            boolean accessed = setting.mode() == ContributorInsights.Mode.ACCESSED_AND_THROTTLED_KEYS;
            List<String> rules = new ArrayList<>();
            if (accessed) rules.add("DynamoDBContributorInsights-PKC-" + suffix);
            rules.add("DynamoDBContributorInsights-PKT-" + suffix);
            if (hasSortKey()) {
                if (accessed) rules.add("DynamoDBContributorInsights-SKC-" + suffix);
                rules.add("DynamoDBContributorInsights-SKT-" + suffix);
            }
            return rules;
        }

        void writeNames(JsonGenerator g) throws IOException {
            g.writeStringField("TableName", table.name());
            if (index != null) g.writeStringField("IndexName", index.name());
        }
    }

    /** Checks TableName and IndexName as DynamoDB's constraints do. */
    static void checkNames(Constraints c, String tableName, String indexName) {
        c.notNull("tableName", tableName);
        c.stringLengthAtLeast("tableName", tableName, 1);
        c.stringLengthAtMost("tableName", tableName, TableArns.MAX_ARN_LENGTH);
        c.tableName("indexName", indexName);
    }

    /**
     * @throws DynamoException ResourceNotFoundException for a missing table, and for an index that
     *         is not one of its global indexes (a local one included), with DynamoDB's messages
     */
    static Target resolve(NodeContext node, String tableName, String indexName) {
        return target(node.tableForControl(tableName), indexName);
    }

    /** {@link #resolve} within a table already found (the catalog's current one, inside a change). */
    static Target target(TableMetadata table, String indexName) {
        if (indexName == null) return new Target(table, null);
        SecondaryIndex index = table.options().indexes().stream()
                .filter(candidate -> !candidate.local() && candidate.name().equals(indexName)).findFirst()
                .orElseThrow(() -> DynamoException.resourceNotFound("Requested resource not found: Index: " + indexName
                        + " not found for table: " + table.name()));
        return new Target(table, index);
    }

    /** The table's settings that are enabled, the table's first, then its global indexes' in their order. */
    static List<Target> enabled(TableMetadata table) {
        List<Target> targets = new ArrayList<>();
        if (table.options().contributorInsightsOf(null).filter(ContributorInsights::enabled).isPresent()) {
            targets.add(new Target(table, null));
        }
        for (SecondaryIndex index : table.options().indexes()) {
            if (index.local()) continue;
            if (table.options().contributorInsightsOf(index).filter(ContributorInsights::enabled).isPresent()) {
                targets.add(new Target(table, index));
            }
        }
        return targets;
    }
}
