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
 */
public final class LevelDb {
    private static final Logger log = LoggerFactory.getLogger(LevelDb.class);
    static final String PATH_PROPERTY = "library.leveldbjni.path";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
    private static boolean prepared;

    private LevelDb() {}

    /**
     * Opens (with {@code options}) the database in {@code dir}. Every open makes leveldbjni 1.8's LevelDB start
     * a new MANIFEST and name it in CURRENT, written to a temporary file and renamed without a sync
     * of either: a machine crash soon after could leave CURRENT empty, and the database would not
     * open again. So CURRENT and the directory are synced here.
     */
    public static DB open(Path dir, Options options) throws IOException {
        prepareLibrary();
        // JniDBFactory's class initialisation loads the library: it must come after the path is set.
        DB db = JniDBFactory.factory.open(dir.toFile(), options);
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
        if (System.getProperty(PATH_PROPERTY) != null) return;
        try {
            libraryDirectory(Path.of(System.getProperty("java.io.tmpdir")))
                    .ifPresent(dir -> System.setProperty(PATH_PROPERTY, dir.toString()));
        } catch (IOException | RuntimeException e) {
            log.info("leveldbjni's library is left to be copied out at each start: {}", e.toString());
        }
    }

    /**
     * The directory under {@code tmp} that holds this platform's leveldbjni library, written there
     * if missing; empty when the jar has no library for the platform or the directory is not the
     * current user's alone (another user could have put a library of theirs there).
     */
    static Optional<Path> libraryDirectory(Path tmp) throws IOException {
        Optional<String> resource = resourceName();
        if (resource.isEmpty()) return Optional.empty();
        byte[] library;
        try (InputStream in = JniDBFactory.class.getClassLoader().getResourceAsStream(resource.get())) {
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
    private static Optional<String> resourceName() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String platform;
        if (os.startsWith("linux")) platform = "linux" + System.getProperty("sun.arch.data.model", "64");
        else if (os.startsWith("mac os x")) platform = "osx";
        else return Optional.empty();
        return Optional.of("META-INF/native/" + platform + "/" + libraryFileName());
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
