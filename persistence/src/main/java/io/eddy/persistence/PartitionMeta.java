package io.eddy.persistence;

import java.nio.ByteBuffer;

/**
 * What the item store knows about one partition, written in the same batch as the partition's
 * item mutations: the journal sequence number of the last event applied (recovery replays only
 * the events after it), the number of items and their total size.
 */
public record PartitionMeta(long appliedSeqNr, long itemCount, long sizeBytes) {
    public static final PartitionMeta EMPTY = new PartitionMeta(0, 0, 0);

    private static final byte FORMAT_V1 = 1;
    private static final int ENCODED_LENGTH = 1 + 3 * Long.BYTES;

    public PartitionMeta {
        if (appliedSeqNr < 0 || itemCount < 0 || sizeBytes < 0) {
            throw new IllegalArgumentException("negative partition meta: " + appliedSeqNr + ", " + itemCount + ", " + sizeBytes);
        }
    }

    byte[] encode() {
        return ByteBuffer.allocate(ENCODED_LENGTH).put(FORMAT_V1).putLong(appliedSeqNr).putLong(itemCount).putLong(sizeBytes).array();
    }

    static PartitionMeta decode(byte[] encoded) {
        if (encoded.length != ENCODED_LENGTH || encoded[0] != FORMAT_V1) {
            throw new IllegalArgumentException("corrupt partition meta of " + encoded.length + " bytes");
        }
        ByteBuffer b = ByteBuffer.wrap(encoded, 1, ENCODED_LENGTH - 1);
        return new PartitionMeta(b.getLong(), b.getLong(), b.getLong());
    }
}
