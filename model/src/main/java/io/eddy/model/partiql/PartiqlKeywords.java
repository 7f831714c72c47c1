package io.eddy.model.partiql;

import java.util.Locale;
import java.util.Set;

/**
 * The words DynamoDB's PartiQL parser reads as keywords, not names: after a dot in a path they
 * are "Invalid path dot component" (captured 2026-10 for {@code m.inner}); a key of that name is
 * written in double quotes ({@code m."inner"}). The list is SQL-92's keywords and PartiQL's own,
 * as the PartiQL reference implementation's lexer has them, with the words of RETURNING, which
 * DynamoDB's parser reads; the others it added later for its DML extensions ({@code conflict},
 * {@code do}, {@code nothing}, {@code let}, ...) are left out, as it is not known whether
 * DynamoDB's parser has them.
 */
final class PartiqlKeywords {
    private static final Set<String> KEYWORDS = Set.of(
            // SQL-92
            "absolute", "action", "add", "all", "allocate", "alter", "and", "any", "are", "as", "asc",
            "assertion", "at", "authorization", "avg", "begin", "between", "bit", "bit_length", "by",
            "cascade", "cascaded", "case", "cast", "catalog", "char", "character", "character_length",
            "char_length", "check", "close", "coalesce", "collate", "collation", "column", "commit",
            "connect", "connection", "constraint", "constraints", "continue", "convert", "corresponding",
            "count", "create", "cross", "current", "current_date", "current_time", "current_timestamp",
            "current_user", "cursor", "date", "deallocate", "dec", "decimal", "declare", "default",
            "deferrable", "deferred", "delete", "desc", "describe", "descriptor", "diagnostics",
            "disconnect", "distinct", "domain", "double", "drop", "else", "end", "escape", "except",
            "exception", "exec", "execute", "exists", "external", "extract", "false", "fetch",
            "first", "float", "for", "foreign", "found", "from", "full", "get", "global", "go", "goto",
            "grant", "group", "having", "identity", "immediate", "in", "indicator", "initially",
            "inner", "input", "insensitive", "insert", "int", "integer", "intersect", "interval",
            "into", "is", "isolation", "join", "key", "language", "last", "left", "level", "like",
            "local", "lower", "match", "max", "min", "module", "names", "national", "natural", "nchar",
            "next", "no", "not", "null", "nullif", "numeric", "octet_length", "of", "on", "only",
            "open", "option", "or", "order", "outer", "output", "overlaps", "pad", "partial",
            "position", "precision", "prepare", "preserve", "primary", "prior", "privileges",
            "procedure", "public", "read", "real", "references", "relative", "restrict", "revoke",
            "right", "rollback", "rows", "schema", "scroll", "section", "select", "session",
            "session_user", "set", "size", "smallint", "some", "space", "sql", "sqlcode", "sqlerror",
            "sqlstate", "substring", "sum", "system_user", "table", "temporary", "then", "time",
            "timestamp", "to", "transaction", "translate", "translation", "trim", "true", "union",
            "unique", "unknown", "update", "upper", "usage", "user", "using", "value", "values",
            "varchar", "varying", "view", "when", "whenever", "where", "with", "work", "write", "zone",
            // PartiQL's
            "can_cast", "can_lossless_cast", "missing", "pivot", "unpivot", "limit", "tuple", "remove",
            "index", "integer2", "int2", "integer4", "int4", "integer8", "int8", "bigint", "bool",
            "boolean", "string", "symbol", "clob", "blob", "struct", "list", "sexp", "bag",
            // RETURNING's words, which DynamoDB's parser reads (UPDATE … RETURNING MODIFIED OLD *)
            "returning", "modified", "new", "old");

    private PartiqlKeywords() {}

    static boolean isKeyword(String word) {
        return KEYWORDS.contains(word.toLowerCase(Locale.ROOT));
    }
}
