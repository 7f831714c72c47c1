package io.eddy.persistence;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;

import org.iq80.leveldb.DBIterator;

/**
 * The items with keys in [from, to), in ascending or descending key order, as of the moment the
 * iterator was opened (a LevelDB iterator reads an implicit snapshot). Must be closed; it closes
 * itself once exhausted. Not thread-safe: one consumer at a time.
 */
public final class ItemIterator implements Iterator<StoredItem>, AutoCloseable {
    private final DBIterator cursor;
    private final byte[] from;
    private final byte[] to;
    private final boolean reverse;
    private final Runnable onClose;

    /** Reverse only: the cursor sits on an entry not yet returned (the database's last key). */
    private boolean cursorEntryPending;
    /** Read but not yet returned; decoded only when returned, since a page's check for more reads one entry past its end. */
    private Map.Entry<byte[], byte[]> next;
    private boolean exhausted;
    private boolean closed;

    ItemIterator(DBIterator cursor, byte[] fromInclusive, byte[] toExclusive, boolean reverse, Runnable onClose) {
        this.cursor = cursor;
        this.from = fromInclusive.clone();
        this.to = toExclusive.clone();
        this.reverse = reverse;
        this.onClose = onClose;
        try {
            position();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /*
     * leveldbjni's DBIterator.prev() returns the entry *before* the cursor and leaves the cursor on
     * it. So for a reverse scan we seek to the first key >= to and walk back from there; when no
     * such key exists, we seek to the last key, which is itself the first result.
     */
    private void position() {
        if (Arrays.compareUnsigned(from, to) >= 0) {
            exhausted = true;
            return;
        }
        if (!reverse) {
            cursor.seek(from);
            return;
        }
        cursor.seek(to);
        if (!cursor.hasNext()) {
            cursor.seekToLast();
            cursorEntryPending = cursor.hasNext();
            if (!cursorEntryPending) exhausted = true;
        }
    }

    @Override
    public boolean hasNext() {
        if (next != null) return true;
        if (exhausted) return false;
        if (closed) throw new IllegalStateException("iterator closed");
        Map.Entry<byte[], byte[]> entry = reverse ? previousInRange() : nextInRange();
        if (entry == null) {
            exhausted = true;
            close(); // free the native iterator and the store's read lock as early as possible
            return false;
        }
        next = entry;
        return true;
    }

    @Override
    public StoredItem next() {
        if (!hasNext()) throw new NoSuchElementException();
        Map.Entry<byte[], byte[]> entry = next;
        next = null;
        return new StoredItem(entry.getKey(), ItemCodec.decodeLazily(entry.getValue()));
    }

    private Map.Entry<byte[], byte[]> nextInRange() {
        if (!cursor.hasNext()) return null;
        Map.Entry<byte[], byte[]> entry = cursor.next();
        return Arrays.compareUnsigned(entry.getKey(), to) < 0 ? entry : null;
    }

    private Map.Entry<byte[], byte[]> previousInRange() {
        Map.Entry<byte[], byte[]> entry;
        if (cursorEntryPending) {
            cursorEntryPending = false;
            entry = cursor.peekNext();
        } else {
            try {
                entry = cursor.prev();
            } catch (NoSuchElementException atFirstKey) {
                return null; // thrown instead of a hasPrev() check, which costs two more native moves
            }
        }
        return Arrays.compareUnsigned(entry.getKey(), from) >= 0 ? entry : null;
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try {
            cursor.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            onClose.run();
        }
    }
}
