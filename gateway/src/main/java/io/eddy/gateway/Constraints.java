package io.eddy.gateway;

import io.eddy.model.DynamoException;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects input-constraint violations the way DynamoDB's front end reports them: a request's
 * violations (up to ten) in one ValidationException, "N validation errors detected: Value '…' at
 * 'path' failed to satisfy constraint: Member must …; …".
 */
final class Constraints {

    /** [a-zA-Z0-9_.-]+, checked a character at a time: every item request names its table, and a regex match cost more. */
    static boolean nameCharacters(String value) {
        if (value.isEmpty()) return false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean allowed = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-';
            if (!allowed) return false;
        }
        return true;
    }

    static final int MAX_REPORTED = 10;

    private final List<String> violations = new ArrayList<>();

    /** The path DynamoDB's messages give a request member: its name with a lower-case first letter. */
    static String memberPath(String member) {
        return Character.toLowerCase(member.charAt(0)) + member.substring(1);
    }

    void notNull(String path, Object value) {
        if (value == null) violations.add("Value null at '" + path + "' failed to satisfy constraint: Member must not be null");
    }

    /** A required AttributeName of a key schema or an attribute definition: 1 to 255 characters. */
    void keyAttributeName(String path, String value) {
        notNull(path, value);
        stringLengthAtLeast(path, value, 1);
        stringLengthAtMost(path, value, 255);
    }

    /** A required TableName: a table name, or (as DynamoDB now accepts) a table ARN of up to 1024 characters. */
    void validTableName(String path, String value) {
        notNull(path, value);
        // An empty name breaks only the ARN's minimum length of 1, as DynamoDB reports it (captured in
        // four regions, 2026), not the name's pattern and minimum of 3.
        if ("".equals(value)) {
            fail(path, value, "Member must have length greater than or equal to 1");
            return;
        }
        if (TableArns.isArn(value)) {
            if (value.length() > TableArns.MAX_ARN_LENGTH) {
                fail(path, value, "Member must have length less than or equal to " + TableArns.MAX_ARN_LENGTH);
            }
            return;
        }
        tableName(path, value);
    }

    /**
     * Whether a write reports an invalid TableName on its own, before its other members: PutItem,
     * UpdateItem and DeleteItem stop there when the name and the item (or key) are both given
     * (eu-west-2, captured 2026-06 by the conformance suite; older regions aggregated). With either
     * missing, every member violation is reported together, the name's included (captured 2026-10).
     *
     * @return true when the name was checked here (and is valid), false when the aggregate must check it
     */
    static boolean tableNameFirst(String tableName, Object itemOrKey) {
        if (tableName == null || itemOrKey == null) return false;
        checkTableNameAlone(tableName);
        return true;
    }

    private static void checkTableNameAlone(String tableName) {
        Constraints c = new Constraints();
        c.validTableName("tableName", tableName);
        c.throwIfAny();
    }

    static boolean isTableName(String value) {
        return value.length() >= 3 && value.length() <= 255 && nameCharacters(value);
    }

    /** The required TableName of a request that names nothing else, checked on its own. */
    static String requiredTableName(RequestBody request) {
        String tableName = request.string("TableName");
        checkTableNameAlone(tableName);
        return tableName;
    }

    /** ProvisionedThroughput's two members, when the structure is present. */
    void provisionedThroughput(RequestBody throughput, Long read, Long write) {
        if (throughput == null) return;
        provisionedThroughput("provisionedThroughput", read, write);
    }

    /** A ProvisionedThroughput structure's two members, reported under {@code path}. */
    void provisionedThroughput(String path, Long read, Long write) {
        notNull(path + ".writeCapacityUnits", write);
        atLeast(path + ".writeCapacityUnits", write, 1);
        notNull(path + ".readCapacityUnits", read);
        atLeast(path + ".readCapacityUnits", read, 1);
    }

    /** Table and index names: 3 to 255 characters of [a-zA-Z0-9_.-]. */
    void tableName(String path, String value) {
        if (value == null) return;
        if (!nameCharacters(value)) {
            fail(path, value, "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
        }
        if (value.length() < 3) fail(path, value, "Member must have length greater than or equal to 3");
        if (value.length() > 255) fail(path, value, "Member must have length less than or equal to 255");
    }

    void oneOf(String path, String value, List<String> allowed) {
        if (value != null && !allowed.contains(value)) {
            fail(path, value, "Member must satisfy enum value set: [" + String.join(", ", allowed) + "]");
        }
    }

    /** {@code regex} as the service model writes it, matched against the whole value. */
    void pattern(String path, String value, String regex) {
        if (value != null && !java.util.regex.Pattern.compile(regex).matcher(value).matches()) {
            fail(path, value, "Member must satisfy regular expression pattern: " + regex);
        }
    }

    void atLeast(String path, Long value, long min) {
        if (value != null && value < min) fail(path, value, "Member must have value greater than or equal to " + min);
    }

    void atMost(String path, Long value, long max) {
        if (value != null && value > max) fail(path, value, "Member must have value less than or equal to " + max);
    }

    void lengthAtLeast(String path, List<?> value, int min) {
        if (value != null && value.size() < min) fail(path, value, "Member must have length greater than or equal to " + min);
    }

    void lengthAtMost(String path, List<?> value, int max) {
        if (value != null && value.size() > max) fail(path, value, "Member must have length less than or equal to " + max);
    }

    void stringLengthAtLeast(String path, String value, int min) {
        if (value != null && value.length() < min) fail(path, value, "Member must have length greater than or equal to " + min);
    }

    void stringLengthAtMost(String path, String value, int max) {
        if (value != null && value.length() > max) fail(path, value, "Member must have length less than or equal to " + max);
    }

    /** A violation of a rule between members, reported in the list as its bare message. */
    void violation(String message) {
        violations.add(message);
    }

    /** Keys of a map parameter (RequestItems) that are not valid table names, one violation each. */
    void tableNameKeys(String path, Object map, Iterable<String> keys) {
        for (String key : keys) {
            if (TableArns.isArn(key) ? key.length() > TableArns.MAX_ARN_LENGTH : !isTableName(key)) {
                fail(path, map, "Map keys must satisfy constraint: [Member must have length less than or equal to 255, "
                        + "Member must have length greater than or equal to 3, "
                        + "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+]");
            }
        }
    }

    /** Values of a map parameter whose length is out of [min, max], one violation each. */
    void valueLengths(String path, Object map, Iterable<Integer> lengths, int min, int max) {
        for (int length : lengths) {
            if (length < min || length > max) {
                fail(path, map, "Map value must satisfy constraint: [Member must have length less than or equal to " + max
                        + ", Member must have length greater than or equal to " + min + "]");
            }
        }
    }

    private void fail(String path, Object value, String constraint) {
        violations.add("Value '" + value + "' at '" + path + "' failed to satisfy constraint: " + constraint);
    }

    /**
     * Throws the violations found, the first {@value #MAX_REPORTED} of them: DynamoDB stops there
     * and counts only those ("10 validation errors detected: …" for nine empty local indexes' 27
     * missing members, in dynalite's tests recorded against it).
     */
    void throwIfAny() {
        if (violations.isEmpty()) return;
        List<String> reported = violations.subList(0, Math.min(violations.size(), MAX_REPORTED));
        int n = reported.size();
        throw DynamoException.validation(n + " validation error" + (n == 1 ? "" : "s") + " detected: "
                + String.join("; ", reported));
    }
}
