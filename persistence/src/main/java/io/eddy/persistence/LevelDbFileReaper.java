package io.eddy.persistence;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frees the files a LevelDB database drops on a thread of its own, instead of under the
 * database's lock.
 *
 * <p>LevelDB (leveldbjni's 1.8) deletes its obsolete table files and write-ahead logs while it
 * holds the database's mutex, which every read and write takes. Those files are large here (the
 * item store flushes its 32 MB memory table into one level-0 file), and unlinking one costs
 * milliseconds of CPU: in a PutItem run at 64 connections the server had stalls of 2–7 ms in
 * which its threads did nothing but wait for that mutex, and they made most of its p99
 * (docs/benchmarks.md, profile findings). So the reaper keeps a second hard link, in
 * {@value #DIR}/ inside the database's directory, to each table file and log as it appears.
 * LevelDB's delete then only removes a name; the reaper, told that the name is gone, removes its
 * link, the file's last, and so frees the file.
 *
 * <p>The directory's watch reports files as they come and go; when it lost reports (an
 * overflow), the directory is listed again. Links left by a process that died are removed on
 * start, and all links on close. Where links or watches cannot be made, the reaper does not
 * start (or stops) and LevelDB frees its files itself, as without it.
 */
final class LevelDbFileReaper implements AutoCloseable {
    static final String DIR = "reaped";
    private static final Logger log = LoggerFactory.getLogger(LevelDbFileReaper.class);
    /** Table files (.ldb; .sst from older LevelDBs) and write-ahead logs: the large files. */
    private static final Pattern LARGE_FILE = Pattern.compile("[0-9]+\\.(ldb|sst|log)");

    private final Path dbDir;
    private final Path reapDir;
    private final WatchService watcher;
    private final Thread thread;
    /** The names linked in reapDir: the starting thread's, then the reaper thread's alone. */
    private final Set<String> linked = new HashSet<>();

    private LevelDbFileReaper(Path dbDir, String threadName) throws IOException {
        this.dbDir = dbDir;
        this.reapDir = dbDir.resolve(DIR);
        Files.createDirectories(reapDir);
        // A dead process's links: the files LevelDB still holds keep their own names.
        removeLinks();
        this.watcher = dbDir.getFileSystem().newWatchService();
        try {
            dbDir.register(watcher, ENTRY_CREATE, ENTRY_DELETE);
            // After the watch is set, so that a file made meanwhile is either listed or reported.
            relist();
        } catch (IOException | RuntimeException e) {
            watcher.close();
            removeLinks();
            throw e;
        }
        this.thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /** Starts reaping the database in {@code dbDir}; null, with a warning, where it cannot. */
    static LevelDbFileReaper start(Path dbDir, String threadName) {
        try {
            return new LevelDbFileReaper(dbDir, threadName);
        } catch (IOException | RuntimeException e) {
            log.warn("LevelDB in {} frees its dropped files itself, under its lock: {}", dbDir, e.toString());
            return null;
        }
    }

    private void run() {
        try {
            while (true) {
                WatchKey key = watcher.take();
                for (WatchEvent<?> event : key.pollEvents()) {
                    if (event.kind() == OVERFLOW) {
                        relist();
                    } else {
                        String name = event.context().toString();
                        if (event.kind() == ENTRY_CREATE) link(name);
                        else if (event.kind() == ENTRY_DELETE) unlink(name);
                    }
                }
                if (!key.reset()) return; // the directory is gone
            }
        } catch (ClosedWatchServiceException | InterruptedException closed) {
            // closed
        } catch (IOException | RuntimeException e) {
            log.warn("LevelDB in {} frees its dropped files itself from now on, under its lock", dbDir, e);
        } finally {
            // Without links LevelDB frees what it drops later; what it dropped before is freed here.
            removeLinks();
        }
    }

    /** Whether {@code name} is a file the reaper links: a table file or a log. */
    static boolean isLargeFile(String name) {
        return LARGE_FILE.matcher(name).matches();
    }

    private void link(String name) throws IOException {
        if (!isLargeFile(name) || linked.contains(name)) return;
        try {
            Files.createLink(reapDir.resolve(name), dbDir.resolve(name));
        } catch (NoSuchFileException gone) {
            return; // dropped already, and freed by LevelDB
        } catch (FileAlreadyExistsException linkedBefore) {
            // LevelDB never reuses a file number, so this is the same file.
        }
        linked.add(name);
    }

    private void unlink(String name) throws IOException {
        if (linked.remove(name)) Files.deleteIfExists(reapDir.resolve(name));
    }

    /** Links the large files listed in the directory, and frees the linked ones no longer there. */
    private void relist() throws IOException {
        Set<String> present = new HashSet<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dbDir)) {
            for (Path file : files) present.add(file.getFileName().toString());
        }
        for (String name : present) link(name);
        for (String name : Set.copyOf(linked)) {
            if (!present.contains(name)) unlink(name);
        }
    }

    private void removeLinks() {
        try (DirectoryStream<Path> links = Files.newDirectoryStream(reapDir)) {
            for (Path link : links) Files.deleteIfExists(link);
        } catch (IOException e) {
            log.warn("could not remove the links in {}", reapDir, e);
        }
        linked.clear();
    }

    /** Stops reaping and removes the links; call after the database is closed. */
    @Override
    public void close() {
        try {
            watcher.close();
        } catch (IOException e) {
            log.warn("closing the watch of {}", dbDir, e);
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
