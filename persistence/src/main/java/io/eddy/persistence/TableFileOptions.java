package io.eddy.persistence;

/**
 * How LevelDB writes a database's table files, in the options leveldbjni's
 * {@link org.iq80.leveldb.Options} has no field for. The system's LevelDB takes them (see
 * {@link LevelDb}); leveldbjni's LevelDB 1.8 writes its own defaults instead, and either reads what
 * the other wrote.
 *
 * @param fileBytes the size a table file is written up to, 1 MB to 1 GB (what LevelDB would
 *     clamp it to); 0 for LevelDB's own 2 MB
 * @param bloomBitsPerKey bits a key of the Bloom filter kept in each table file, which lets a read of
 *     one key pass over the files that cannot hold it; 0 for no filter
 * @param mappedBytes how many bytes of table files, counted by whole files, may be memory-mapped
 *     at once; the others are read with {@code pread}. -1 for LevelDB's own bound (1,000 files).
 *     The budget is the process's, shared by every database opened with the same value.
 */
public record TableFileOptions(long fileBytes, int bloomBitsPerKey, long mappedBytes) {
    public static final TableFileOptions LEVELDB_DEFAULTS = new TableFileOptions(0, 0, -1);

    public TableFileOptions {
        if (fileBytes != 0 && (fileBytes < (1 << 20) || fileBytes > (1 << 30))) {
            throw new IllegalArgumentException("a table file size of 0 or 1 MB to 1 GB, not " + fileBytes);
        }
        if (bloomBitsPerKey < 0) throw new IllegalArgumentException("bits a key must not be negative: " + bloomBitsPerKey);
        if (mappedBytes < -1) throw new IllegalArgumentException("mapped bytes of -1 (LevelDB's own) or more, not " + mappedBytes);
    }
}
