package io.eddy.model;

/**
 * The table settings beyond keys and billing (stream, TTL, deletion protection, table class,
 * indexes, tags, ...). The catalog journals them as JSON, so a setting is added by adding a
 * component here: an event written before the component existed reads it as null, and the
 * compact constructor turns that null into the setting's default.
 */
public record TableOptions() {

    public static final TableOptions DEFAULTS = new TableOptions();
}
