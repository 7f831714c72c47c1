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

    /** A parser of {@code body}, which it reads in place. */
    public static JsonParser of(byte[] body) throws IOException {
        return factory().createParser(body);
    }

    /** A parser of {@code body}, for a body in more than one piece. */
    public static JsonParser of(InputStream body) throws IOException {
        return factory().createParser(body);
    }

    private static JsonFactory factory() {
        if (PARSES.incrementAndGet() % PARSES_PER_SYMBOL_TABLE == 0) FACTORY.set(AttributeValueJson.factory());
        return FACTORY.get();
    }
}
