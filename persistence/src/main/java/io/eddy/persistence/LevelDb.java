package io.eddy.persistence;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.fusesource.leveldbjni.JniDBFactory;
import org.iq80.leveldb.DB;
import org.iq80.leveldb.Options;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens LevelDB databases through leveldbjni, its native library loaded from one file per user
 * and library build. Left to itself, leveldbjni (hawtjni) copies the library out of its jar into a
 * new temporary file at every start and deletes it when the JVM exits normally, so every node
 * killed with SIGKILL left 750 KB behind in the temporary directory. Here the library goes once
 * into {@code java.io.tmpdir/eddy-leveldbjni-USER-HASH/}, a directory only its owner can write,
 * and hawtjni is pointed there ({@code library.leveldbjni.path}, which a user may also set). Where
 * that directory cannot be made or trusted, hawtjni's own way is left in place.
 *
 * <p>The library is the build's own where the build made one ({@link #SYSTEM_LEVELDB}:
 * leveldbjni's JNI code on the system's LevelDB 1.21 or later, which writes its logs with
 * {@code write()} rather than through memory-mapped files) and it loads here (the system's
 * LevelDB is installed); otherwise leveldbjni's own, on LevelDB 1.8. Both read and write the
 * same files.
 */
public final class LevelDb {
    private static final Logger log = LoggerFactory.getLogger(LevelDb.class);
    static final String PATH_PROPERTY = "library.leveldbjni.path";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
    private static boolean prepared;
    /** Whether the build's library on the system's LevelDB was loaded (not leveldbjni's LevelDB 1.8, nor one a user named). */
    private static boolean systemLevelDb;
    /** The build's library on the system's LevelDB (persistence/src/main/native), on Linux x86_64 where the build could make it. */
    static final String SYSTEM_LEVELDB = "io/eddy/persistence/native/linux64/libleveldbjni.so";

    private LevelDb() {}

    /**
     * Opens (with {@code options}) the database in {@code dir}. Every open makes LevelDB start
     * a new MANIFEST and name it in CURRENT, written to a temporary file and renamed without a sync
     * of either: a machine crash soon after could leave CURRENT empty, and the database would not
     * open again. So CURRENT and the directory are synced here.
     */
    public static DB open(Path dir, Options options) throws IOException {
        return open(dir, options, TableFileOptions.LEVELDB_DEFAULTS);
    }

    /** As {@link #open(Path, Options)}, its table files written as {@code tables} says where the system's LevelDB runs. */
    public static DB open(Path dir, Options options, TableFileOptions tables) throws IOException {
        prepareLibrary();
        if (!systemLevelDb) nameTablesForLevelDb18(dir);
        DB db;
        // The library reads them on this thread as leveldbjni passes the options to LevelDB's open.
        if (systemLevelDb) forNextOpen(tables);
        try {
            // JniDBFactory's class initialisation loads the library: it must come after the path is set.
            db = JniDBFactory.factory.open(dir.toFile(), options);
        } finally {
            if (systemLevelDb) forNextOpen(TableFileOptions.LEVELDB_DEFAULTS);
        }
        try {
            DurableFiles.sync(dir.resolve("CURRENT"));
            DurableFiles.syncDirectory(dir);
        } catch (IOException e) {
            try {
                db.close();
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
        return db;
    }

    private static void forNextOpen(TableFileOptions tables) {
        tableOptionsForNextOpen(tables.fileBytes(), tables.bloomBitsPerKey(), tables.mappedBytes());
    }

    /** In the build's library on the system's LevelDB (persistence/src/main/native/table_options.cpp). */
    private static native void tableOptionsForNextOpen(long fileBytes, int bloomBitsPerKey, long mappedBytes);

    /**
     * Flushes a database's LevelDB logs ({@code *.log} in {@code dir}) to disk. A synced write
     * syncs only LevelDB's current log: one it has switched away from, whose memtable is not yet in
     * a (synced) table, keeps its unsynced writes until this. One deleted meanwhile is in a table.
     */
    static void flushLogFiles(Path dir) {
        try (DirectoryStream<Path> logs = Files.newDirectoryStream(dir, "*.log")) {
            for (Path log : logs) {
                try (FileChannel channel = FileChannel.open(log, StandardOpenOption.READ)) {
                    channel.force(false);
                } catch (NoSuchFileException flushedAndDeleted) {
                    // LevelDB deletes a log once its memtable is in a table file, synced
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static synchronized void prepareLibrary() {
        if (prepared) return;
        prepared = true;
        if (System.getProperty(PATH_PROPERTY) != null) {
            log.info("LevelDB: the library in {} = {}, taken for leveldbjni's own 1.8 (its tables are named as 1.8 reads them)",
                    PATH_PROPERTY, System.getProperty(PATH_PROPERTY));
            return;
        }
        try {
            Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
            Optional<Path> dir = systemLevelDb(tmp);
            Optional<String> bundled = bundledResource();
            if (dir.isEmpty() && bundled.isPresent()) dir = libraryDirectory(tmp, bundled.get());
            dir.ifPresent(found -> System.setProperty(PATH_PROPERTY, found.toString()));
        } catch (IOException | RuntimeException e) {
            log.info("leveldbjni's library is left to be copied out at each start: {}", e.toString());
        }
        log.info(systemLevelDb ? "LevelDB: the system's, through leveldbjni's JNI code built against it"
                : "LevelDB: leveldbjni's own, 1.8 (README.md, \"Run the server\")");
    }

    /** The directory of the build's library on the system's LevelDB, if the build made one and it loads. */
    private static Optional<Path> systemLevelDb(Path tmp) throws IOException {
        if (!"linux64".equals(platform().orElse(""))) return Optional.empty();
        Optional<Path> dir = libraryDirectory(tmp, SYSTEM_LEVELDB);
        if (dir.isEmpty()) return dir;
        try {
            // Loaded here so that a missing system LevelDB can still fall back; hawtjni's load of the same file is then a no-op.
            System.load(dir.get().resolve(libraryFileName()).toString());
        } catch (UnsatisfiedLinkError e) {
            log.info("The build's library on the system's LevelDB did not load: {}", e.getMessage());
            return Optional.empty();
        }
        systemLevelDb = true;
        return dir;
    }

    /**
     * LevelDB 1.21 and later name the table files they write {@code NNNNNN.ldb} and read
     * {@code NNNNNN.sst} as well; LevelDB 1.8 knows {@code .sst} alone. So before a database is
     * opened by any but the system's LevelDB (the jar run where that is not installed, after it
     * wrote the directory), its tables take the old name; the format is the same.
     */
    static void nameTablesForLevelDb18(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return;
        int renamed = 0;
        try (DirectoryStream<Path> tables = Files.newDirectoryStream(dir, "[0-9]*.ldb")) {
            for (Path table : tables) {
                String name = table.getFileName().toString();
                Files.move(table, table.resolveSibling(name.substring(0, name.length() - ".ldb".length()) + ".sst"),
                        StandardCopyOption.ATOMIC_MOVE);
                renamed++;
            }
        }
        if (renamed == 0) return;
        DurableFiles.syncDirectory(dir);
        log.info("LevelDB 1.8: {} table files in {} renamed from .ldb to .sst, the name it reads", renamed, dir);
    }

    /**
     * The directory under {@code tmp} that holds the library in the class path's {@code resource},
     * written there if missing; empty when there is no such resource or the directory is not the
     * current user's alone (another user could have put a library of theirs there).
     */
    static Optional<Path> libraryDirectory(Path tmp, String resource) throws IOException {
        byte[] library;
        try (InputStream in = LevelDb.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) return Optional.empty();
            library = in.readAllBytes();
        }
        String user = System.getProperty("user.name", "").replaceAll("[^A-Za-z0-9_.-]", "_");
        Path dir = tmp.resolve("eddy-leveldbjni-" + user + "-" + digest(library));
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } catch (FileAlreadyExistsException raced) {
                // Another node made it meanwhile: checked below like any other.
            } catch (UnsupportedOperationException notPosix) {
                return Optional.empty();
            }
        }
        if (!ownedByMeAlone(dir)) return Optional.empty();
        Path file = dir.resolve(libraryFileName());
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || Files.size(file) != library.length) {
            Path partial = Files.createTempFile(dir, "partial-", ".tmp");
            Files.write(partial, library);
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        return Optional.of(dir);
    }

    /** A directory, not a link, that the current user owns and nobody else may write into. */
    private static boolean ownedByMeAlone(Path dir) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(dir, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        if (view == null) return false;
        PosixFileAttributes attributes = view.readAttributes();
        Set<PosixFilePermission> permissions = attributes.permissions();
        UserPrincipal me = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(System.getProperty("user.name"));
        return attributes.isDirectory()
                && attributes.owner().equals(me)
                && !permissions.contains(PosixFilePermission.GROUP_WRITE)
                && !permissions.contains(PosixFilePermission.OTHERS_WRITE);
    }

    /** Where leveldbjni's jar keeps the library of this platform, as hawtjni looks for it. */
    static Optional<String> bundledResource() {
        return platform().map(platform -> "META-INF/native/" + platform + "/" + libraryFileName());
    }

    /** hawtjni's name for this platform, if leveldbjni has a library for it. */
    private static Optional<String> platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (os.startsWith("linux")) return Optional.of("linux" + System.getProperty("sun.arch.data.model", "64"));
        if (os.startsWith("mac os x")) return Optional.of("osx");
        return Optional.empty();
    }

    /** The file name hawtjni loads from its path: the platform's name for a library, a jnilib on macOS. */
    private static String libraryFileName() {
        String name = System.mapLibraryName("leveldbjni");
        return name.endsWith(".dylib") ? name.substring(0, name.length() - ".dylib".length()) + ".jnilib" : name;
    }

    private static String digest(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
