package io.eddy.persistence;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/** Writes sync log files as journals from before log segments did, for {@link SyncLog} and {@link LegacyLog} to read. */
final class LegacySyncLogFile {

    private final ByteBuffer content = ByteBuffer.allocate(1 << 20);

    /** A cycle's header: every position up to {@code lastSynced} was synced in the log database. */
    LegacySyncLogFile header(long lastSynced) {
        content.putInt(-1).putInt(checksum(lastSynced, new byte[0])).putLong(lastSynced);
        return this;
    }

    LegacySyncLogFile record(long position, byte[] value) {
        content.putInt(value.length).putInt(checksum(position, value)).putLong(position).put(value);
        return this;
    }

    /** Where the next record would start. */
    int size() {
        return content.position();
    }

    /** Writes the file, over whatever it held. */
    void writeTo(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            channel.write(content.duplicate().flip(), 0);
        }
    }

    private static int checksum(long position, byte[] value) {
        CRC32C crc = new CRC32C();
        for (int shift = 56; shift >= 0; shift -= 8) crc.update((int) (position >>> shift));
        crc.update(value);
        return (int) crc.getValue();
    }
}
