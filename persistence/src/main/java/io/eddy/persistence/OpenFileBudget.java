package io.eddy.persistence;

import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * How many table files each LevelDB database may keep open, shared out of the process's file
 * descriptor limit.
 *
 * <p>LevelDB keeps a table file open (with its index block in memory) only while it is in the
 * database's table cache; a read of a file that fell out must reopen it and read its footer and
 * index again. At LevelDB 1.8's 2 MB a file, a 10 GB item store has ~5,000 files, far more than LevelDB's
 * default of 1,000, so at that size most reads reopened a file. Opening files lazily, the cap
 * costs nothing while a database is small, but all of them together must stay inside the
 * process's limit, or LevelDB's reads and compactions fail with "Too many open files".
 */
public final class OpenFileBudget {
    /** Left for everything else: sockets (one per client connection), jars, logs, the databases' own logs. */
    private static final long RESERVED = 1024;
    /** LevelDB's own bounds for max_open_files. */
    private static final int LEVELDB_MIN = 20;
    private static final int LEVELDB_MAX = 50_000;

    private OpenFileBudget() {
    }

    /*
     * 15% is left to the journal's log segments, which are plain files, each kept open (64 MB
     * each: ~160 of them for 10 GB of events still needed).
     */

    /** The item store: every read's files. */
    public static int itemStore() {
        return share(60);
    }

    /** The journal's index: small, a handful of files. */
    public static int journalIndex() {
        return share(5);
    }

    /** A database of a handful of files, such as the triggers' specs and checkpoints. */
    public static int smallDatabase() {
        return share(5);
    }

    private static int share(int percent) {
        return shareOf(maxFileDescriptors(), percent);
    }

    /** {@code percent} of what {@code limit} leaves after the reserve, within LevelDB's bounds. */
    static int shareOf(long limit, int percent) {
        long available = Math.max(0, limit - Math.min(RESERVED, limit / 2));
        return (int) Math.max(LEVELDB_MIN, Math.min(LEVELDB_MAX, available * percent / 100));
    }

    /** The process's limit (the JVM raises the soft limit to the hard one at start); 4,096 if unknown. */
    private static long maxFileDescriptors() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof UnixOperatingSystemMXBean unix && unix.getMaxFileDescriptorCount() > 0) {
            return unix.getMaxFileDescriptorCount();
        }
        return 4096;
    }
}
