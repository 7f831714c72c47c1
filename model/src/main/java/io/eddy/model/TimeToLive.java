package io.eddy.model;

/**
 * A table's Time to Live setting: the attribute holding each item's expiry (epoch seconds), or
 * null when TTL is disabled, and when UpdateTimeToLive last changed it (epoch milliseconds; null
 * if it never has), since DynamoDB takes one change per table per interval. A global table's
 * replicas share the setting: {@code version} orders the changes made to it in different regions
 * ({@link SharedSettingsVersion#NONE} for a table that never had replicas when it changed).
 * Journaled as JSON inside {@link TableOptions}: an event written before a component existed
 * reads it as null.
 */
public record TimeToLive(String attributeName, Long lastUpdateMillis, SharedSettingsVersion version) {

    public static final TimeToLive DISABLED = new TimeToLive(null, null);

    public TimeToLive {
        if (version == null) version = SharedSettingsVersion.NONE;
    }

    public TimeToLive(String attributeName, Long lastUpdateMillis) {
        this(attributeName, lastUpdateMillis, null);
    }

    public boolean enabled() {
        return attributeName != null;
    }
}
