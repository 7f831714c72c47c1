package io.eddy.gateway;

import io.eddy.model.AttributeValueJson;
import java.nio.ByteBuffer;
import org.apache.pekko.util.ByteString;

/**
 * An upper bound on the heap a request takes while it is handled: its decoded body, the JSON tree
 * Jackson builds of it, and the items and values an operation decodes from that tree. The tree and
 * the items are many times the body when its values are small (a list of empty maps, {@code
 * {"M":{}},} repeated, takes 50 times its bytes: architecture.md, "Request memory"), so the bound
 * is counted from the body's structure in one pass over its bytes: {@value #PER_VALUE} bytes for
 * every value and field name, and {@value #PER_BYTE} for every byte, which strings, numbers and
 * binaries hold as text and decoded, and which parsing a long one copies more than once.
 *
 * <p>Only what Jackson will build is counted: a value starts where a value may start (the body's
 * start, or after <code>{ [ : ,</code> and white space), so a run of separators with nothing
 * between them counts nothing, and counting ends with the body's value (what follows it is not
 * read), be it a list, a map or a scalar, or where the nesting passes Jackson's limit (the parse
 * fails there). Jackson reads a body
 * as UTF-16 or UTF-32 when its first bytes say so, and so does the count: read byte by byte as
 * UTF-8, a UTF-16 character's bytes could pass for quotes and hide what follows.
 */
final class ParsedSize {

    static final long PER_VALUE = 192;
    static final long PER_BYTE = 8;
    /** Where the request parsers stop a parse. */
    private static final int MAX_DEPTH = AttributeValueJson.factory().streamReadConstraints().getMaxNestingDepth();

    private long bytes;
    private long values;
    /** The first bytes, until there are four (or the body ends): they decide how characters are encoded. */
    private final byte[] head = new byte[4];
    private int headLength;
    /** Bytes a character takes (1: UTF-8, whose bytes are read as they are), 0 until known. */
    private int unitBytes;
    private boolean bigEndian;
    /** The bytes of a character cut off at the end of the last piece. */
    private int partialUnit;
    private int partialBytes;
    private boolean expectingValue = true;
    private boolean inString;
    private boolean escaped;
    private int depth;
    private boolean done;

    /** The bound for a whole decoded body. */
    static long of(ByteString body) {
        ParsedSize size = new ParsedSize();
        if (body.isCompact()) {
            byte[] bytes = body.toArrayUnsafe();
            size.add(bytes, 0, bytes.length);
        } else {
            // A body that arrived whole is usually a slice of what the socket read, so not compact.
            byte[] scratch = new byte[(int) Math.min(8192, body.size())];
            for (ByteBuffer part : body.getByteBuffers()) {
                while (part.hasRemaining()) {
                    int n = Math.min(scratch.length, part.remaining());
                    part.get(scratch, 0, n);
                    size.add(scratch, 0, n);
                }
            }
        }
        return size.bound();
    }

    /** Counts the next {@code length} bytes of the body; its bytes may come in pieces cut anywhere. */
    void add(byte[] data, int offset, int length) {
        bytes += length;
        int end = offset + length;
        if (unitBytes == 0) {
            while (headLength < head.length && offset < end) head[headLength++] = data[offset++];
            if (headLength < head.length) return; // decided once four bytes are in, or at the end
            feedHead();
        }
        feed(data, offset, end - offset);
    }

    /** The bound for the bytes counted so far. */
    long bound() {
        if (unitBytes == 0) feedHead();
        return (values + 1) * PER_VALUE + bytes * PER_BYTE;
    }

    /** Decides the encoding and counts the first bytes, past a UTF-8 byte-order mark, which Jackson skips. */
    private void feedHead() {
        decideEncoding();
        boolean utf8Mark = unitBytes == 1 && headLength >= 3
                && head[0] == (byte) 0xEF && head[1] == (byte) 0xBB && head[2] == (byte) 0xBF;
        int skipped = utf8Mark ? 3 : 0;
        feed(head, skipped, headLength - skipped);
    }

    /**
     * As Jackson decides it: a UTF-32 or UTF-16 byte-order mark, or a zero byte among the first two
     * (the first character of JSON is ASCII, so in UTF-16 or UTF-32 one of its bytes is zero), and
     * UTF-8 otherwise.
     */
    private void decideEncoding() {
        int b0 = headLength > 0 ? head[0] & 0xFF : -1;
        int b1 = headLength > 1 ? head[1] & 0xFF : -1;
        int b2 = headLength > 2 ? head[2] & 0xFF : -1;
        int b3 = headLength > 3 ? head[3] & 0xFF : -1;
        unitBytes = 1;
        if (b1 < 0) return;
        if (b0 == 0 && b1 == 0 || b0 == 0xFF && b1 == 0xFE && b2 == 0 && b3 == 0 || b0 != 0 && b1 == 0 && b2 == 0 && b3 == 0) {
            unitBytes = 4;
            bigEndian = b0 == 0;
        } else if (b0 == 0 || b1 == 0 || b0 == 0xFE && b1 == 0xFF || b0 == 0xFF && b1 == 0xFE) {
            unitBytes = 2;
            bigEndian = b0 == 0 || b0 == 0xFE;
        }
    }

    private void feed(byte[] data, int offset, int length) {
        if (done) return;
        if (unitBytes == 1) {
            int i = offset;
            int end = offset + length;
            while (i < end && !done) {
                if (!inString) {
                    step(data[i++] & 0xFF);
                    continue;
                }
                // Most of a body is strings: only their ends matter.
                boolean escaped = this.escaped;
                while (i < end) {
                    byte b = data[i++];
                    if (escaped) {
                        escaped = false;
                    } else if (b == '\\') {
                        escaped = true;
                    } else if (b == '"') {
                        inString = false;
                        break;
                    }
                }
                this.escaped = escaped;
            }
            return;
        }
        for (int i = offset, end = offset + length; i < end && !done; i++) {
            int b = data[i] & 0xFF;
            partialUnit = bigEndian ? partialUnit << 8 | b : partialUnit | b << (8 * partialBytes);
            if (++partialBytes == unitBytes) {
                step(partialUnit);
                partialUnit = 0;
                partialBytes = 0;
            }
        }
    }

    /** One character (or, in UTF-8, one byte: the structural characters are all ASCII). */
    private void step(int c) {
        if (inString) {
            if (escaped) escaped = false;
            else if (c == '\\') escaped = true;
            else if (c == '"') inString = false;
            return;
        }
        switch (c) {
            // A byte-order mark (as a UTF-16 or UTF-32 character) is not a value either.
            case ' ', '\t', '\n', '\r', 0xFEFF -> { }
            case ':', ',' -> expectingValue = true;
            case '{', '[' -> {
                if (expectingValue) values++;
                expectingValue = true;
                if (++depth > MAX_DEPTH) done = true;
            }
            case '}', ']' -> {
                expectingValue = false;
                if (--depth <= 0) done = true;
            }
            default -> {
                if (expectingValue) values++;
                expectingValue = false;
                if (c == '"') inString = true;
                // A string, number or literal as the body's value is all Jackson reads of it.
                if (depth == 0) done = true;
            }
        }
    }
}
