package io.eddy.model;

import java.util.Comparator;

/**
 * The version of one of the settings a global table's replicas share: one replica's entry in the
 * membership (its status, or its removal) or the TTL setting. A region changing one counts past
 * the version it replaces, and at least to the time of the change, so a change made later wins
 * even when the region making it had not heard of the one before; equal counters are settled by
 * region name. A replica takes each setting from another region's view only where the view's
 * version is newer, so every replica ends with the same settings however views cross.
 *
 * @param counter epoch microseconds of the change, or two past the version it replaced when that
 *                is later (one past: a record of what is, {@link #following}); 0 for {@link #NONE}
 * @param region  the region that made the change; empty for {@link #NONE}
 */
public record SharedSettingsVersion(long counter, String region) implements Comparable<SharedSettingsVersion> {

    /** A setting never changed on a global table (or before versions existed). */
    public static final SharedSettingsVersion NONE = new SharedSettingsVersion(0, "");

    private static final Comparator<SharedSettingsVersion> ORDER =
            Comparator.comparingLong(SharedSettingsVersion::counter).thenComparing(SharedSettingsVersion::region);

    public SharedSettingsVersion {
        if (region == null) region = "";
    }

    /** The version of a change {@code changingRegion} makes now over this one. */
    public SharedSettingsVersion next(String changingRegion) {
        // Two past it: a change beats a record of what was ({@link #following}) over the same version, by any region.
        return new SharedSettingsVersion(Math.max(counter + 2, System.currentTimeMillis() * 1000), changingRegion);
    }

    /**
     * The least version newer than this one, made by {@code region}: for a record of what a
     * setting already is rather than of a change, which any change made since is to win over.
     */
    public SharedSettingsVersion following(String region) {
        return new SharedSettingsVersion(counter + 1, region);
    }

    public boolean newerThan(SharedSettingsVersion other) {
        return compareTo(other) > 0;
    }

    /** The newer of the two. */
    public SharedSettingsVersion max(SharedSettingsVersion other) {
        return newerThan(other) ? this : other;
    }

    @Override
    public int compareTo(SharedSettingsVersion other) {
        return ORDER.compare(this, other);
    }
}
