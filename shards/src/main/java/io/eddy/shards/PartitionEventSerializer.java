package io.eddy.shards;

import io.eddy.model.AttributeValue;
import io.eddy.persistence.ItemCodec;
import io.eddy.shards.PartitionEvent.ItemChanged;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.serialization.SerializerWithStringManifest;

/**
 * Binary journal format of {@link PartitionEvent}s: the key, then each image in {@link ItemCodec},
 * then (since v2) the change's timestamp and origin. v1 events are still read: they have
 * timestamp 0, so they belong to no stream (no journal written before v2 had streams).
 */
public final class PartitionEventSerializer extends SerializerWithStringManifest {

    private static final String ITEM_CHANGED_V1 = "ItemChanged.v1";
    private static final String ITEM_CHANGED = "ItemChanged.v2";

    @Override
    public int identifier() {
        return 7_301;
    }

    @Override
    public String manifest(Object o) {
        if (o instanceof ItemChanged) return ITEM_CHANGED;
        throw new IllegalArgumentException("not a partition event: " + o.getClass());
    }

    @Override
    public byte[] toBinary(Object o) {
        if (!(o instanceof ItemChanged event)) throw new IllegalArgumentException("not a partition event: " + o.getClass());
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
            DataOutputStream out = new DataOutputStream(bytes);
            writeBytes(out, event.key());
            writeImage(out, event.oldImage());
            writeImage(out, event.newImage());
            out.writeLong(event.timestampMicros());
            out.writeByte(event.origin().ordinal());
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
        boolean v1 = ITEM_CHANGED_V1.equals(manifest);
        if (!v1 && !ITEM_CHANGED.equals(manifest)) throw new NotSerializableException("unknown partition event: " + manifest);
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
            byte[] key = readBytes(in);
            Optional<Map<String, AttributeValue>> oldImage = readImage(in);
            Optional<Map<String, AttributeValue>> newImage = readImage(in);
            if (v1) return new ItemChanged(key, oldImage, newImage, 0, ChangeOrigin.REQUEST);
            long timestamp = in.readLong();
            ChangeOrigin origin = ChangeOrigin.values()[in.readUnsignedByte()];
            return new ItemChanged(key, oldImage, newImage, timestamp, origin);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeImage(DataOutputStream out, Optional<Map<String, AttributeValue>> image) throws IOException {
        out.writeBoolean(image.isPresent());
        if (image.isPresent()) writeBytes(out, ItemCodec.encodeItem(image.get()));
    }

    private static Optional<Map<String, AttributeValue>> readImage(DataInputStream in) throws IOException {
        return in.readBoolean() ? Optional.of(ItemCodec.decodeItem(readBytes(in))) : Optional.empty();
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
