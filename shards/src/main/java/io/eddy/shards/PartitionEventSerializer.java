package io.eddy.shards;

import io.eddy.model.AttributeValue;
import io.eddy.persistence.ItemCodec;
import io.eddy.persistence.ItemVersion;
import io.eddy.shards.PartitionEvent.ItemChanged;
import io.eddy.shards.PartitionEvent.TransactionPrepared;
import io.eddy.shards.PartitionEvent.TransactionResolved;
import io.eddy.shards.PreparedTransaction.PreparedWrite;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Binary journal format of {@link PartitionEvent}s: keys as length-prefixed bytes, images in
 * {@link ItemCodec}. A change is the key, then each image, then (since v2) the change's timestamp
 * and origin, and (v3, only for a change of a global table) its item version; v1 changes are still read: they have timestamp 0, so they belong to no stream (no
 * journal written before v2 had streams). A prepared transaction has the same bytes in the journal
 * and in the item store's partition record that keeps it across recovery.
 */
public final class PartitionEventSerializer extends BinaryEventSerializer {

    private static final String ITEM_CHANGED_V1 = "ItemChanged.v1";
    private static final String ITEM_CHANGED = "ItemChanged.v2";
    private static final String ITEM_CHANGED_VERSIONED = "ItemChanged.v3";
    private static final String TRANSACTION_PREPARED = "TransactionPrepared.v1";
    private static final String TRANSACTION_RESOLVED_V1 = "TransactionResolved.v1";
    private static final String TRANSACTION_RESOLVED = "TransactionResolved.v2";

    @Override
    public int identifier() {
        return 7_301;
    }

    @Override
    public String manifest(Object o) {
        if (o instanceof ItemChanged changed) return changed.version() != null ? ITEM_CHANGED_VERSIONED : ITEM_CHANGED;
        if (o instanceof TransactionPrepared) return TRANSACTION_PREPARED;
        if (o instanceof TransactionResolved) return TRANSACTION_RESOLVED;
        throw new IllegalArgumentException("not a partition event: " + o.getClass());
    }

    @Override
    protected void write(Object o, DataOutputStream out) throws IOException {
        if (o instanceof ItemChanged event) {
            writeBytes(out, event.key());
            writeImage(out, event.oldImage());
            writeImage(out, event.newImage());
            out.writeLong(event.timestampMicros());
            out.writeByte(event.origin().ordinal());
            if (event.version() != null) {
                out.writeLong(event.version().timestampMicros());
                out.writeUTF(event.version().region());
            }
        } else if (o instanceof TransactionPrepared prepared) {
            writeTransaction(out, prepared.transaction());
        } else if (o instanceof TransactionResolved resolved) {
            out.writeUTF(resolved.transactionId());
            out.writeBoolean(resolved.committed());
            out.writeLong(resolved.committedAtMicros());
            out.writeInt(resolved.changes());
        } else {
            throw new IllegalArgumentException("not a partition event: " + o.getClass());
        }
    }

    @Override
    protected Object read(String manifest, DataInputStream in) throws IOException {
        switch (manifest) {
            case ITEM_CHANGED, ITEM_CHANGED_V1, ITEM_CHANGED_VERSIONED -> {
                byte[] key = readBytes(in);
                Optional<Map<String, AttributeValue>> oldImage = readImage(in);
                Optional<Map<String, AttributeValue>> newImage = readImage(in);
                if (manifest.equals(ITEM_CHANGED_V1)) return new ItemChanged(key, oldImage, newImage, 0, ChangeOrigin.REQUEST);
                long timestamp = in.readLong();
                ChangeOrigin origin = ChangeOrigin.values()[in.readUnsignedByte()];
                ItemVersion version = manifest.equals(ITEM_CHANGED_VERSIONED) ? new ItemVersion(in.readLong(), in.readUTF()) : null;
                return new ItemChanged(key, oldImage, newImage, timestamp, origin, version);
            }
            case TRANSACTION_PREPARED -> {
                return new TransactionPrepared(readTransaction(in));
            }
            case TRANSACTION_RESOLVED_V1 -> {
                return new TransactionResolved(in.readUTF(), in.readBoolean(), 0, 0);
            }
            case TRANSACTION_RESOLVED -> {
                return new TransactionResolved(in.readUTF(), in.readBoolean(), in.readLong(), in.readInt());
            }
            default -> throw new NotSerializableException("unknown partition event: " + manifest);
        }
    }

    /** A prepared transaction's bytes, as journaled and as kept in the item store. */
    static byte[] encode(PreparedTransaction transaction) {
        return bytes(out -> writeTransaction(out, transaction));
    }

    static PreparedTransaction decode(byte[] bytes) {
        try {
            return readTransaction(new DataInputStream(new ByteArrayInputStream(bytes)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeTransaction(DataOutputStream out, PreparedTransaction transaction) throws IOException {
        out.writeUTF(transaction.transactionId());
        out.writeInt(transaction.writes().size());
        for (PreparedWrite write : transaction.writes()) {
            out.writeInt(write.action());
            writeBytes(out, write.key());
            writeImage(out, write.oldImage());
            writeImage(out, write.newImage());
        }
    }

    private static PreparedTransaction readTransaction(DataInputStream in) throws IOException {
        String transactionId = in.readUTF();
        int count = in.readInt();
        List<PreparedWrite> writes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            writes.add(new PreparedWrite(in.readInt(), readBytes(in), readImage(in), readImage(in)));
        }
        return new PreparedTransaction(transactionId, writes);
    }

    private static void writeImage(DataOutputStream out, Optional<Map<String, AttributeValue>> image) throws IOException {
        out.writeBoolean(image.isPresent());
        if (image.isPresent()) ItemCodec.writeEncodedItem(out, image.get());
    }

    private static Optional<Map<String, AttributeValue>> readImage(DataInputStream in) throws IOException {
        return in.readBoolean() ? Optional.of(ItemCodec.readEncodedItem(in)) : Optional.empty();
    }

    private static void writeBytes(DataOutputStream out, byte[] data) throws IOException {
        out.writeInt(data.length);
        out.write(data);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        byte[] data = new byte[in.readInt()];
        in.readFully(data);
        return data;
    }
}
