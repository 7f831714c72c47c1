package io.eddy.model;

import java.util.UUID;

/**
 * CloudWatch Contributor Insights of a table ({@code indexName} null) or of one of its global
 * indexes, as UpdateContributorInsights last left it. {@code indexId} ties the setting to the index
 * it was made for: an index deleted and made again under the same name starts without one.
 * {@code rulesCreatedMillis} is the suffix of the rules' names, set when insights are enabled from
 * disabled; {@code lastUpdateMillis} the time of the last change of status or mode.
 */
public record ContributorInsights(String indexName, UUID indexId, boolean enabled, Mode mode, long rulesCreatedMillis,
                                  long lastUpdateMillis) {

    /** Which events are tracked: every request's keys, or only throttled requests'. */
    public enum Mode { ACCESSED_AND_THROTTLED_KEYS, THROTTLED_KEYS }

    /** Whether this setting is the one of the table ({@code index} null) or of that index. */
    public boolean isFor(SecondaryIndex index) {
        return index == null ? indexName == null : index.name().equals(indexName) && index.id().equals(indexId);
    }
}
