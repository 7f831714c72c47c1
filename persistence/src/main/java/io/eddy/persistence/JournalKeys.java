package io.eddy.persistence;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The journal's layout: its records in {@link LogSegments}, and its index in LevelDB.
 *
 * <p>A <b>log record</b>'s payload is {@code [2-byte id length][persistence id][8-byte
 * seqNr][payload]}, so that the segments alone can be indexed again.
 *
 * <p>The <b>index</b> database finds a persistence id's events: {@code [0x04][2-byte id
 * length][id][8-byte seqNr] -> [8-byte position][4-byte offset in its segment]}; the highest
 * sequence number ever written per id {@code [0x02][id]}, kept apart so that deleting events
 * never lowers it; the sequence number up to which an id's events are all deleted,
 * {@code [0x03][id]}, where its reads start; and the last log position indexed, {@code [0x05]},
 * and that position as of the index's last synced write, {@code [0x06]}. Journals written before
 * the log existed kept their events in the index database under {@code [0x01][2-byte id
 * length][id][8-byte seqNr]}; those are still read.
 *
 * <p>Journals from before the segments kept the log in a LevelDB database, {@code [8-byte
 * position] -> record payload}, and an index entry's value was the position alone; some also
 * kept the sync log's checkpoint there under {@code [0x00]}. {@link LegacyLog} carries them over.
 */
final class JournalKeys {

    static final byte LEGACY_EVENT_SPACE = 0x01;
    static final byte HIGHEST_SPACE = 0x02;
    static final byte DELETED_TO_SPACE = 0x03;
    static final byte INDEX_SPACE = 0x04;
    static final byte[] INDEXED_TO = {0x05};
    /** In the index database: every index entry up to this log position is synced there. */
    static final byte[] INDEX_SYNCED_TO = {0x06};
    /** In the log database of journals from before the sync log's cycle headers: every position up to this one was synced there. */
    static final byte[] LEGACY_LOG_CHECKPOINT = {0x00};

    private JournalKeys() {}

    /** {@code [space][2-byte id length][id]}: the prefix of an id's legacy events or index entries. */
    static byte[] idPrefix(byte space, String persistenceId) {
        byte[] id = persistenceId.getBytes(StandardCharsets.UTF_8);
        if (id.length > 0xFFFF) throw new IllegalArgumentException("persistence id too long");
        return ByteBuffer.allocate(3 + id.length).put(space).putShort((short) id.length).put(id).array();
    }

    static byte[] sequenced(byte[] prefix, long sequenceNr) {
        return ByteBuffer.allocate(prefix.length + 8).put(prefix).putLong(sequenceNr).array();
    }

    /** The sequence number of a key of {@code prefix}, or -1 when the key is not one of them. */
    static long sequenceNrOf(byte[] key, byte[] prefix) {
        if (key.length != prefix.length + 8 || !Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length)) return -1;
        return ByteBuffer.wrap(key, prefix.length, 8).getLong();
    }

    /** The index entry of an id's event: {@code [0x04][2-byte id length][id][8-byte seqNr]}. */
    static byte[] indexKey(String persistenceId, long sequenceNr) {
        return sequenced(idPrefix(INDEX_SPACE, persistenceId), sequenceNr);
    }

    static byte[] highestKey(String persistenceId) {
        return idKey(HIGHEST_SPACE, persistenceId);
    }

    static byte[] deletedToKey(String persistenceId) {
        return idKey(DELETED_TO_SPACE, persistenceId);
    }

    private static byte[] idKey(byte space, String persistenceId) {
        byte[] id = persistenceId.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(1 + id.length).put(space).put(id).array();
    }

    /** The persistence id of a {@link #highestKey}, or null when the key is not one. */
    static String persistenceIdOfHighestKey(byte[] key) {
        if (key.length == 0 || key[0] != HIGHEST_SPACE) return null;
        return new String(key, 1, key.length - 1, StandardCharsets.UTF_8);
    }

    /** An index entry's value: the event's log position and its record's offset in its segment. */
    static byte[] indexValue(long position, int offset) {
        return ByteBuffer.allocate(12).putLong(position).putInt(offset).array();
    }

    /** Whether an index entry's value is an {@link #indexValue}: older journals' were a position alone. */
    static boolean isIndexValue(byte[] value) {
        return value.length == 12;
    }

    static long positionOf(byte[] indexValue) {
        return ByteBuffer.wrap(indexValue).getLong();
    }

    static int offsetOf(byte[] indexValue) {
        return ByteBuffer.wrap(indexValue, 8, 4).getInt();
    }

    static byte[] longBytes(long value) {
        return ByteBuffer.allocate(8).putLong(value).array();
    }

    static long longOf(byte[] bytes) {
        return ByteBuffer.wrap(bytes).getLong();
    }

    /** An event's record in the log: its id's length and UTF-8 bytes, its sequence number, its payload ({@link #eventOf}). */
    static LogSegments.Value logRecord(JournalStore.Event event) {
        byte[] id = event.persistenceId().getBytes(StandardCharsets.UTF_8);
        return new LogSegments.Value() {
            @Override
            public int length() {
                return 2 + id.length + 8 + event.payload().length;
            }

            @Override
            public void writeTo(ByteBuffer out) {
                out.putShort((short) id.length).put(id).putLong(event.sequenceNr()).put(event.payload());
            }
        };
    }

    static JournalStore.Event eventOf(byte[] logValue) {
        ByteBuffer in = ByteBuffer.wrap(logValue);
        int idLength = Short.toUnsignedInt(in.getShort());
        String id = new String(logValue, 2, idLength, StandardCharsets.UTF_8);
        in.position(2 + idLength);
        long sequenceNr = in.getLong();
        return new JournalStore.Event(id, sequenceNr, Arrays.copyOfRange(logValue, in.position(), logValue.length));
    }
}
