package io.eddy.persistence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class ByteArrayInputTest {

    @Test
    void readsWhatADataOutputStreamWrote() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeBoolean(true);
            out.writeByte(-7);
            out.writeByte(200);
            out.writeShort(-12345);
            out.writeShort(60000);
            out.writeChar('é');
            out.writeInt(Integer.MIN_VALUE + 3);
            out.writeLong(0x8123_4567_89AB_CDEFL);
            out.writeFloat(-1.5f);
            out.writeDouble(Math.PI);
            out.writeUTF("héllo \uD83D\uDE00");
            out.write(new byte[] {1, 2, 3, 4, 5});
        }
        ByteArrayInput in = new ByteArrayInput(bytes.toByteArray());
        assertEquals(true, in.readBoolean());
        assertEquals(-7, in.readByte());
        assertEquals(200, in.readUnsignedByte());
        assertEquals(-12345, in.readShort());
        assertEquals(60000, in.readUnsignedShort());
        assertEquals('é', in.readChar());
        assertEquals(Integer.MIN_VALUE + 3, in.readInt());
        assertEquals(0x8123_4567_89AB_CDEFL, in.readLong());
        assertEquals(-1.5f, in.readFloat());
        assertEquals(Math.PI, in.readDouble());
        assertEquals("héllo \uD83D\uDE00", in.readUTF());
        byte[] two = new byte[2];
        in.readFully(two);
        assertArrayEquals(new byte[] {1, 2}, two);
        assertEquals(1, in.skipBytes(1));
        assertEquals(2, in.available());
        assertArrayEquals(new byte[] {4, 5}, in.readRemaining());
        assertEquals(0, in.available());
        assertEquals(0, in.skipBytes(3));
    }

    @Test
    void readingPastTheEndFailsAndMovesNothing() throws IOException {
        ByteArrayInput in = new ByteArrayInput(new byte[] {1, 2, 3});
        assertThrows(EOFException.class, () -> in.readInt());
        assertThrows(EOFException.class, () -> in.readFully(new byte[4]));
        assertThrows(EOFException.class, () -> in.skipExactly(4));
        assertThrows(EOFException.class, () -> in.readUtf8(4));
        assertEquals(0, in.position());
        assertEquals(0x0102, in.readShort());
        assertThrows(EOFException.class, () -> in.readShort());
        assertEquals(3, in.readByte());
        assertThrows(EOFException.class, () -> in.readByte());
        assertThrows(EOFException.class, () -> in.readLong());
    }
}
