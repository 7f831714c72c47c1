package io.eddy.persistence;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Files made durable by hand: small files replaced so that a crash leaves the old or the new one
 * whole (the gateway's backup and export descriptions), and directories whose entries must
 * survive a machine crash (the journal's segments, LevelDB's CURRENT).
 */
public final class DurableFiles {

    private DurableFiles() {}

    /** Writes {@code content} to a temporary file, syncs it, renames it over {@code file} and syncs the directory. */
    public static void replace(Path file, byte[] content) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(temporary, content);
        sync(temporary);
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
        syncDirectory(file.getParent());
    }

    /** Makes what was written to the file durable. */
    public static void sync(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    /** Makes the directory's entries (files created, renamed or deleted in it) durable. */
    public static void syncDirectory(Path directory) throws IOException {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        }
    }
}
