package io.eddy.model;

/**
 * DynamoDB's ordering of scalar values, used by sort keys and by the ordering comparisons of
 * expressions: numbers numerically, strings by their UTF-8 bytes (which is code point order, not
 * Java's UTF-16 {@code compareTo}), binaries as unsigned bytes. Other types have no order.
 */
public final class AttributeValueOrder {
    private AttributeValueOrder() {}

    public static boolean isOrderable(AttributeType type) {
        return type == AttributeType.S || type == AttributeType.N || type == AttributeType.B;
    }

    /**
     * @throws IllegalArgumentException unless both values have the same orderable type
     */
    public static int compare(AttributeValue a, AttributeValue b) {
        if (a.type() != b.type() || !isOrderable(a.type())) {
            throw new IllegalArgumentException("cannot order " + a.type() + " against " + b.type());
        }
        if (a instanceof AttributeValue.NumberValue x && b instanceof AttributeValue.NumberValue y) {
            return x.value().compareTo(y.value());
        }
        if (a instanceof AttributeValue.StringValue x && b instanceof AttributeValue.StringValue y) {
            return compareUtf8(x.value(), y.value());
        }
        return ((AttributeValue.BinaryValue) a).value().compareTo(((AttributeValue.BinaryValue) b).value());
    }

    /** Compares as the UTF-8 encodings would compare bytewise, without encoding. */
    public static int compareUtf8(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int x = a.codePointAt(i);
            int y = b.codePointAt(j);
            if (x != y) return Integer.compare(x, y);
            i += Character.charCount(x);
            j += Character.charCount(y);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
