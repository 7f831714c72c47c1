package io.eddy.gateway;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A form of attribute values in which two servers' answers compare equal exactly when DynamoDB
 * considers them the same: numbers by value, sets without order, maps without order.
 */
final class DifferentialCanonical {

    private DifferentialCanonical() {}

    static Object item(Map<String, AttributeValue> item) {
        if (item == null) return null;
        Map<String, Object> out = new TreeMap<>();
        item.forEach((k, v) -> out.put(k, value(v)));
        return out;
    }

    static List<Object> items(List<Map<String, AttributeValue>> items) {
        List<Object> out = new ArrayList<>();
        for (Map<String, AttributeValue> item : items) out.add(item(item));
        return out;
    }

    /** The items as a multiset: for answers whose order is the server's own (Scan, BatchGetItem). */
    static List<String> unordered(List<Map<String, AttributeValue>> items) {
        List<String> out = new ArrayList<>();
        for (Map<String, AttributeValue> item : items) out.add(String.valueOf(item(item)));
        out.sort(null);
        return out;
    }

    static Object value(AttributeValue v) {
        return switch (v.type()) {
            case S -> "S:" + v.s();
            case N -> "N:" + number(v.n());
            case B -> "B:" + hex(v.b().asByteArray());
            case BOOL -> "BOOL:" + v.bool();
            case NUL -> "NULL";
            case SS -> "SS:" + new TreeSet<>(v.ss());
            case NS -> "NS:" + new TreeSet<>(v.ns().stream().map(DifferentialCanonical::number).toList());
            case BS -> "BS:" + new TreeSet<>(v.bs().stream().map(b -> hex(b.asByteArray())).toList());
            case L -> v.l().stream().map(DifferentialCanonical::value).toList();
            case M -> item(v.m());
            case UNKNOWN_TO_SDK_VERSION -> throw new IllegalArgumentException("unknown type in " + v);
        };
    }

    private static String number(String n) {
        BigDecimal d = new BigDecimal(n);
        return d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
    }

    private static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) sb.append(String.format("%02x", b));
        return sb.toString();
    }
}
