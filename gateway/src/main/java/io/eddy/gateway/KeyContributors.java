package io.eddy.gateway;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eddy.model.AttributeValue;
import io.eddy.model.ContributorInsights;
import io.eddy.model.KeySchema;
import io.eddy.model.SecondaryIndex;
import io.eddy.model.TableMetadata;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * What Contributor Insights' rules count, kept by Eddy in place of CloudWatch: for each table and
 * global index with insights enabled, how many times each partition key, and each partition and
 * sort key, was accessed (in ACCESSED_AND_THROTTLED_KEYS mode) or throttled, per minute over the
 * last hour. An item read, written or deleted counts once for its table; an item read through a
 * global index counts for the index. A minute keeps at most {@link #MAX_KEYS_PER_MINUTE} distinct
 * keys a rule, and {@link #MAX_KEY_CHARS_PER_MINUTE} characters of their text (the first ones seen: a hot key
 * is seen early); the counts live in the node's memory and belong to one enabling of the rules
 * (their creation time): enabled again, they start afresh. {@link #report} answers for one rule, in
 * the shape of CloudWatch's GetInsightRuleReport.
 */
final class KeyContributors {

    static final int MAX_KEYS_PER_MINUTE = 1000;
    static final int MAX_KEY_CHARS_PER_MINUTE = 256 * 1024;
    static final int MINUTES = 60;
    private static final long MINUTE_MILLIS = 60_000;
    private static final String RULE_PREFIX = "DynamoDBContributorInsights-";

    /**
     * One rule's series: a table incarnation or one of its indexes (by id), the rules' creation
     * time, the key it counts by, accesses or throttles.
     */
    private record Series(UUID table, UUID index, long rulesCreatedMillis, boolean sortKey, boolean throttled) {}

    private final Map<Series, Minutes> series = new ConcurrentHashMap<>();
    private final LongSupplier clockMillis;

    KeyContributors(LongSupplier clockMillis) {
        this.clockMillis = clockMillis;
    }

    /** An item (or its key) of the table, or of {@code index}, was accessed. */
    void accessed(TableMetadata table, SecondaryIndex index, Map<String, AttributeValue> item) {
        record(table, index, item, false);
    }

    /** Items (or index entries) of a page read from the table, or from {@code index}, were accessed. */
    void accessedAll(TableMetadata table, SecondaryIndex index, List<Map<String, AttributeValue>> items) {
        if (table.options().contributorInsights().isEmpty()) return;
        for (Map<String, AttributeValue> item : items) accessed(table, index, item);
    }

    /** A request for an item of the table (or of {@code index}) was throttled. */
    void throttled(TableMetadata table, SecondaryIndex index, Map<String, AttributeValue> item) {
        record(table, index, item, true);
    }

    private void record(TableMetadata table, SecondaryIndex index, Map<String, AttributeValue> item, boolean throttled) {
        if (table.options().contributorInsights().isEmpty()) return;
        Optional<ContributorInsights> setting = table.options().contributorInsightsOf(index).filter(ContributorInsights::enabled);
        if (setting.isEmpty()) return;
        if (!throttled && setting.get().mode() != ContributorInsights.Mode.ACCESSED_AND_THROTTLED_KEYS) return;
        List<KeySchema.KeyAttribute> partition = index == null ? List.of(table.keySchema().partitionKey()) : index.partitionKeys();
        List<KeySchema.KeyAttribute> sort = index == null ? table.keySchema().sortKey().stream().toList() : index.sortKeys();
        Optional<String> partitionText = text(item, partition);
        if (partitionText.isEmpty()) return;
        long minute = clockMillis.getAsLong() / MINUTE_MILLIS;
        UUID indexId = index == null ? null : index.id();
        long created = setting.get().rulesCreatedMillis();
        count(new Series(table.id(), indexId, created, false, throttled), minute, List.of(partitionText.get()));
        if (!sort.isEmpty()) {
            text(item, sort).ifPresent(sortText ->
                    count(new Series(table.id(), indexId, created, true, throttled), minute, List.of(partitionText.get(), sortText)));
        }
    }

    /** Drops the counts of rules no table has enabled any more (disabled, enabled again, deleted). */
    void retainEnabled(Collection<TableMetadata> tables) {
        java.util.Set<Series> enabled = new java.util.HashSet<>();
        for (TableMetadata table : tables) {
            for (ContributorInsightsTargets.Target target : ContributorInsightsTargets.enabled(table)) {
                UUID indexId = target.index() == null ? null : target.index().id();
                long created = target.setting().orElseThrow().rulesCreatedMillis();
                for (boolean sortKey : new boolean[] {false, true}) {
                    for (boolean throttled : new boolean[] {false, true}) enabled.add(new Series(table.id(), indexId, created, sortKey, throttled));
                }
            }
        }
        series.keySet().retainAll(enabled);
    }

    private void count(Series key, long minute, List<String> keys) {
        series.computeIfAbsent(key, k -> new Minutes()).count(minute, keys);
    }

    /** The table (and index, or null) whose enabled setting makes a rule. */
    record RuleOwner(TableMetadata table, ContributorInsightsTargets.Target target) {
        io.eddy.model.SecondaryIndex index() {
            return target.index();
        }
    }

    /** Whose rule {@code ruleName} is; empty when no enabled table or index has a rule of that name. */
    Optional<RuleOwner> owner(Collection<TableMetadata> tables, String ruleName) {
        for (TableMetadata table : tables) {
            for (ContributorInsightsTargets.Target target : ContributorInsightsTargets.enabled(table)) {
                if (target.ruleNames(target.setting().orElseThrow()).contains(ruleName)) return Optional.of(new RuleOwner(table, target));
            }
        }
        return Optional.empty();
    }

    /**
     * The rule's top {@code maxContributors} keys over the last {@code minutes} minutes, with their
     * count per minute; empty when no enabled table or index has a rule of that name.
     */
    Optional<ObjectNode> report(Collection<TableMetadata> tables, String ruleName, int minutes, int maxContributors) {
        retainEnabled(tables);
        return owner(tables, ruleName).map(owner -> {
            ContributorInsights setting = owner.target().setting().orElseThrow();
            // DynamoDBContributorInsights-{PK,SK}{C,T}-…: accessed (C) or throttled (T) keys.
            String kind = ruleName.substring(RULE_PREFIX.length(), RULE_PREFIX.length() + 3);
            boolean sortKey = kind.startsWith("SK");
            boolean throttled = kind.endsWith("T");
            Series key = new Series(owner.table().id(), owner.index() == null ? null : owner.index().id(), setting.rulesCreatedMillis(),
                    sortKey, throttled);
            return render(ruleName, sortKey, series.get(key), minutes, maxContributors);
        });
    }

    private ObjectNode render(String ruleName, boolean sortKey, Minutes counted, int minutes, int maxContributors) {
        long now = clockMillis.getAsLong() / MINUTE_MILLIS;
        Map<List<String>, long[]> perKey = new HashMap<>();
        if (counted != null) {
            for (int ago = minutes - 1; ago >= 0; ago--) {
                int slot = minutes - 1 - ago;
                counted.forEachIn(now - ago, (keys, count) -> perKey.computeIfAbsent(keys, k -> new long[minutes])[slot] += count);
            }
        }
        long total = perKey.values().stream().mapToLong(KeyContributors::sum).sum();
        ObjectNode report = Json.MAPPER.createObjectNode();
        report.put("RuleName", ruleName);
        ArrayNode labels = report.putArray("KeyLabels");
        labels.add("PartitionKey");
        if (sortKey) labels.add("SortKey");
        report.put("AggregationStatistic", "Sum");
        report.put("AggregateValue", total);
        report.put("ApproximateUniqueCount", perKey.size());
        ArrayNode contributors = report.putArray("Contributors");
        List<Map.Entry<List<String>, long[]>> top = new ArrayList<>(perKey.entrySet());
        top.sort(Comparator.comparingLong((Map.Entry<List<String>, long[]> e) -> sum(e.getValue())).reversed()
                .thenComparing(e -> String.join("\u0000", e.getKey())));
        for (Map.Entry<List<String>, long[]> entry : top.subList(0, Math.min(maxContributors, top.size()))) {
            ObjectNode contributor = contributors.addObject();
            ArrayNode keys = contributor.putArray("Keys");
            entry.getKey().forEach(keys::add);
            contributor.put("ApproximateAggregateValue", sum(entry.getValue()));
            ArrayNode datapoints = contributor.putArray("Datapoints");
            for (int slot = 0; slot < minutes; slot++) {
                if (entry.getValue()[slot] == 0) continue;
                ObjectNode point = datapoints.addObject();
                point.put("Timestamp", Instant.ofEpochMilli((now - (minutes - 1 - slot)) * MINUTE_MILLIS).toString());
                point.put("ApproximateValue", entry.getValue()[slot]);
            }
        }
        return report;
    }

    private static long sum(long[] counts) {
        long total = 0;
        for (long count : counts) total += count;
        return total;
    }

    /** A key's values as text ({@link RequestConditionKeys#scalar}), those of a multi-attribute key joined with {@code #}. */
    private static Optional<String> text(Map<String, AttributeValue> item, List<KeySchema.KeyAttribute> attributes) {
        List<String> parts = new ArrayList<>(attributes.size());
        for (KeySchema.KeyAttribute attribute : attributes) {
            AttributeValue value = item.get(attribute.name());
            Optional<String> part = value == null ? Optional.empty() : RequestConditionKeys.scalar(value);
            if (part.isEmpty()) return Optional.empty();
            parts.add(part.get());
        }
        return Optional.of(String.join("#", parts));
    }

    /** One series' counts for each of the last {@link #MINUTES} minutes, a minute's slot reused an hour later. */
    private static final class Minutes {
        private final long[] minuteOfSlot = new long[MINUTES];
        private final long[] charsOfSlot = new long[MINUTES];
        private final List<Map<List<String>, LongAdder>> slots = new ArrayList<>(MINUTES);

        Minutes() {
            for (int i = 0; i < MINUTES; i++) slots.add(new ConcurrentHashMap<>());
            java.util.Arrays.fill(minuteOfSlot, -1);
        }

        void count(long minute, List<String> keys) {
            Map<List<String>, LongAdder> counts = slot(minute);
            LongAdder counter = counts.get(keys);
            if (counter == null) {
                int index = (int) Math.floorMod(minute, (long) MINUTES);
                int chars = keys.stream().mapToInt(String::length).sum();
                synchronized (this) {
                    if (counts.size() >= MAX_KEYS_PER_MINUTE || charsOfSlot[index] + chars > MAX_KEY_CHARS_PER_MINUTE) return;
                    if (!counts.containsKey(keys)) charsOfSlot[index] += chars;
                    counter = counts.computeIfAbsent(keys, k -> new LongAdder());
                }
            }
            counter.increment();
        }

        /** A minute's counts as they are now, or none when its slot holds another minute. */
        void forEachIn(long minute, java.util.function.ObjLongConsumer<List<String>> action) {
            int index = (int) Math.floorMod(minute, (long) MINUTES);
            Map<List<String>, Long> copy = new HashMap<>();
            synchronized (this) {
                if (minuteOfSlot[index] != minute) return;
                slots.get(index).forEach((keys, count) -> copy.put(keys, count.sum()));
            }
            copy.forEach(action::accept);
        }

        private Map<List<String>, LongAdder> slot(long minute) {
            int index = (int) Math.floorMod(minute, (long) MINUTES);
            synchronized (this) {
                if (minuteOfSlot[index] != minute) {
                    slots.get(index).clear();
                    charsOfSlot[index] = 0;
                    minuteOfSlot[index] = minute;
                }
            }
            return slots.get(index);
        }
    }
}
