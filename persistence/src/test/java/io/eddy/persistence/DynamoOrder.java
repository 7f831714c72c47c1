package io.eddy.persistence;

import java.util.Arrays;
import java.util.Comparator;

import io.eddy.model.AttributeValue;
import io.eddy.model.AttributeValue.BinaryValue;
import io.eddy.model.AttributeValue.NumberValue;
import io.eddy.model.AttributeValue.StringValue;

/**
 * DynamoDB's order of key values, written independently of the encoding: S by Unicode code
 * point (the order of UTF-8 bytes, not of Java's UTF-16 chars), N numerically, B by unsigned bytes.
 */
final class DynamoOrder {
    private DynamoOrder() {}

    static final Comparator<AttributeValue> KEY_VALUES = DynamoOrder::compare;

    static int compare(AttributeValue a, AttributeValue b) {
        if (a instanceof StringValue x && b instanceof StringValue y) {
            return Arrays.compare(x.value().codePoints().toArray(), y.value().codePoints().toArray());
        }
        if (a instanceof NumberValue x && b instanceof NumberValue y) return x.value().compareTo(y.value());
        if (a instanceof BinaryValue x && b instanceof BinaryValue y) {
            byte[] p = x.value().toArray(), q = y.value().toArray();
            for (int i = 0; i < Math.min(p.length, q.length); i++) {
                int c = Integer.compare(p[i] & 0xFF, q[i] & 0xFF);
                if (c != 0) return c;
            }
            return Integer.compare(p.length, q.length);
        }
        throw new IllegalArgumentException("different or non-key types: " + a.type() + ", " + b.type());
    }
}
