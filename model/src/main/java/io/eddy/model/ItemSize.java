package io.eddy.model;

import java.math.BigDecimal;
import java.util.Map;

/**
 * DynamoDB's accounting size of an item, the figure the 400 KB limit and capacity units are based
 * on: the UTF-8 bytes of every attribute name plus the size of its value.
 *
 * <ul>
 *   <li>S: UTF-8 bytes; B: bytes; BOOL and NULL: 1 byte.</li>
 *   <li>N: about one byte per two significant digits plus one; see {@link #ofNumber}.</li>
 *   <li>SS, NS, BS: the sum of the members.</li>
 *   <li>M: 3 bytes, plus for every entry 1 byte, the UTF-8 bytes of its name and its value.</li>
 *   <li>L: 3 bytes, plus for every element 1 byte and its value.</li>
 * </ul>
 *
 * These are the rules of the developer guide ("Item sizes and formats") in the exact form dynalite
 * matched against DynamoDB's capacity figures.
 */
public final class ItemSize {
    private ItemSize() {}

    /** 400 KB, the largest item DynamoDB stores. */
    public static final int MAX_ITEM_SIZE = 400 * 1024;

    /**
     * An item that can tell its accounting size without a walk over its attributes: the item
     * store's items read it from their encoding, which holds every name's and string's UTF-8
     * length (counting a 1 KB string's characters was a tenth of a Query's CPU).
     */
    public interface Known {
        long accountingSize();
    }

    public static long of(Map<String, AttributeValue> item) {
        if (item instanceof Known known) return known.accountingSize();
        long size = 0;
        for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
            size += utf8Length(attribute.getKey()) + of(attribute.getValue());
        }
        return size;
    }

    public static long of(AttributeValue value) {
        switch (value.type()) {
            case S:
                return utf8Length(((AttributeValue.StringValue) value).value());
            case N:
                return ofNumber(((AttributeValue.NumberValue) value).value());
            case B:
                return ((AttributeValue.BinaryValue) value).value().length();
            case BOOL:
            case NULL:
                return 1;
            case SS: {
                long size = 0;
                for (String member : ((AttributeValue.StringSetValue) value).values()) size += utf8Length(member);
                return size;
            }
            case NS: {
                long size = 0;
                for (BigDecimal member : ((AttributeValue.NumberSetValue) value).values()) size += ofNumber(member);
                return size;
            }
            case BS: {
                long size = 0;
                for (Bytes member : ((AttributeValue.BinarySetValue) value).values()) size += member.length();
                return size;
            }
            case M: {
                Map<String, AttributeValue> entries = ((AttributeValue.MapValue) value).values();
                return 3 + entries.size() + of(entries);
            }
            case L: {
                long size = 3;
                for (AttributeValue element : ((AttributeValue.ListValue) value).values()) size += 1 + of(element);
                return size;
            }
            default:
                throw new IllegalStateException("unknown type " + value.type());
        }
    }

    /**
     * Numbers are stored as base-100 digit pairs aligned on the decimal exponent, plus an
     * exponent byte and a terminator byte for negatives. Zero takes one byte.
     */
    public static long ofNumber(BigDecimal number) {
        if (number.signum() == 0) return 1;
        BigDecimal normalized = DynamoNumbers.normalize(number);
        return ofNumber(normalized.signum() < 0, normalized.precision(), DynamoNumbers.exponentOf(normalized));
    }

    /**
     * {@link #ofNumber(BigDecimal)} of a non-zero number with {@code digits} significant digits (no
     * trailing zeros), the first of them at decimal {@code exponent}: for readers that know these
     * without building a BigDecimal.
     */
    public static long ofNumber(boolean negative, int digits, long exponent) {
        // Pairs are aligned on even exponents, so a leading digit at an even exponent sits alone in
        // its pair and an even digit count then needs one pair more.
        boolean extraPair = digits % 2 == 0 && exponent % 2 == 0;
        return 1 + (digits + 1) / 2 + (extraPair ? 1 : 0) + (negative ? 1 : 0);
    }

    /** The longest attribute name DynamoDB takes, in UTF-8 bytes (its documented 64 KB less one, as the service answers). */
    public static final int MAX_ATTRIBUTE_NAME_BYTES = 65_535;

    /** Refuses an attribute name (of an item, a nested map or ExpressionAttributeNames) longer than DynamoDB takes. */
    public static void checkAttributeName(String name) {
        if (name.length() > MAX_ATTRIBUTE_NAME_BYTES / 3 && utf8Length(name) > MAX_ATTRIBUTE_NAME_BYTES) {
            throw DynamoException.validation("1 validation error detected: Attribute name is too large, must be less than "
                    + (MAX_ATTRIBUTE_NAME_BYTES + 1) + " bytes");
        }
    }

    /** UTF-8 length without encoding the string; an unpaired surrogate counts 3 bytes. */
    public static long utf8Length(String text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
