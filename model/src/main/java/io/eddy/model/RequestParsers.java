package io.eddy.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Parsers of request bodies, whose symbol table is started afresh every
 * {@value #PARSES_PER_SYMBOL_TABLE} parses.
 *
 * <p>Jackson keeps the field names it has read in a symbol table shared by a factory's parsers,
 * so that a name that repeats is not decoded again. A parser that meets a name the table lacks
 * first copies the whole table, and the table keeps every new name up to ~6,000. DynamoDB JSON's
 * field names include every item's map keys, and maps keyed by ids bring new ones to every
 * request: with one table for good, such a request copied ~300 KB of it (docs/benchmarks.md,
 * "Field names"). A table that lives a few parses holds only what they brought, which for names
 * that repeat is all of them.
 */
public final class RequestParsers {
    static final int PARSES_PER_SYMBOL_TABLE = 16;

    private static final AtomicReference<JsonFactory> FACTORY = new AtomicReference<>(AttributeValueJson.factory());
    private static final AtomicInteger PARSES = new AtomicInteger();

    private RequestParsers() {}

    /**
     * Bodies longer than this are parsed with a table of their own. Their names can be as long as
     * they are (attribute names over 64 KB are refused after the parse, in DynamoDB's words), and
     * the shared table would keep a long one, so that every later parse adding a name of its own
     * copied it until the table is started afresh.
     */
    static final int SHARED_TABLE_MAX_BODY = 1 << 20;

    /** A parser of {@code body}, which it reads in place. */
    public static JsonParser of(byte[] body) throws IOException {
        return factoryFor(body.length).createParser(body);
    }

    /** A parser of {@code body} of {@code length} bytes, for a body in more than one piece. */
    public static JsonParser of(InputStream body, long length) throws IOException {
        return factoryFor(length).createParser(body);
    }

    static JsonFactory factoryFor(long bodyLength) {
        if (bodyLength > SHARED_TABLE_MAX_BODY) return AttributeValueJson.factory();
        if (PARSES.incrementAndGet() % PARSES_PER_SYMBOL_TABLE == 0) FACTORY.set(AttributeValueJson.factory());
        return FACTORY.get();
    }
}
