package io.eddy.model;

/**
 * A table's Time to Live setting: the attribute holding each item's expiry (epoch seconds), or
 * null when TTL is disabled. Journaled as JSON inside {@link TableOptions}.
 */
public record TimeToLive(String attributeName) {

    public static final TimeToLive DISABLED = new TimeToLive(null);

    public boolean enabled() {
        return attributeName != null;
    }
}
