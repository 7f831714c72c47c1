package io.eddy.model;

/**
 * A table's Time to Live setting: the attribute holding each item's expiry (epoch seconds), or
 * null when TTL is disabled, and when UpdateTimeToLive last changed it (epoch milliseconds; null
 * if it never has), since DynamoDB takes one change per table per interval. Journaled as JSON
 * inside {@link TableOptions}: an event written before {@code lastUpdateMillis} existed reads it
 * as null.
 */
public record TimeToLive(String attributeName, Long lastUpdateMillis) {

    public static final TimeToLive DISABLED = new TimeToLive(null, null);

    public boolean enabled() {
        return attributeName != null;
    }
}
