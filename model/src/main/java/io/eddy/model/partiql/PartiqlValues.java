package io.eddy.model.partiql;

import io.eddy.model.AttributeValue;
import io.eddy.model.Bytes;
import io.eddy.model.DynamoException;
import io.eddy.model.DynamoNumbers;
import io.eddy.model.RepeatedSetMembers;
import io.eddy.model.partiql.PartiqlLexer.Kind;
import io.eddy.model.partiql.PartiqlLexer.Token;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * PartiQL's literals as attribute values: {@code 'text'} S, numbers N, TRUE/FALSE BOOL, NULL,
 * {@code [...]} L, <code>{'name': value}</code> M, {@code <<...>>} a string, number or binary
 * set, and {@code ?}, the next of the request's Parameters.
 */
final class PartiqlValues {

    /** DynamoDB's limit on how deep values nest. */
    private static final int MAX_DEPTH = 32;

    private final PartiqlParser parser;
    private final List<AttributeValue> parameters;
    private int nextParameter;
    /** How deep the value being read is: an item's attributes are at 1, as in an item's JSON. */
    private int depth = 1;
    /**
     * Where the value being read sits, as DynamoDB names it in a refused number ("root" for a
     * whole operand or an INSERT attribute's value, then "root.x", "root[1]" inside it); null
     * while an INSERT's item itself is read.
     */
    private String path = "root";

    PartiqlValues(PartiqlParser parser, List<AttributeValue> parameters) {
        this.parser = parser;
        this.parameters = parameters;
    }

    static boolean isSet(AttributeValue value) {
        return value instanceof AttributeValue.StringSetValue || value instanceof AttributeValue.NumberSetValue
                || value instanceof AttributeValue.BinarySetValue;
    }

    /** An INSERT's item: its attributes' values are at the top level. */
    AttributeValue item() {
        depth = 0;
        path = null;
        try {
            return value();
        } finally {
            depth = 1;
            path = "root";
        }
    }

    AttributeValue value() {
        if (depth > MAX_DEPTH) {
            throw DynamoException.validation("Nesting Levels have exceeded supported limits: "
                    + "Attributes in the item have nested levels beyond supported limit");
        }
        depth++;
        try {
            return read();
        } finally {
            depth--;
        }
    }

    private AttributeValue read() {
        Token token = parser.next();
        return switch (token.kind()) {
            case PARAMETER -> parameters.get(nextParameter++);
            case STRING -> new AttributeValue.StringValue(token.text());
            case NUMBER -> number(token.text());
            case WORD -> word(token);
            case SYMBOL -> switch (token.text()) {
                case "-" -> {
                    Token digits = parser.next();
                    if (digits.kind() != Kind.NUMBER) throw PartiqlParser.malformed("expected a number after '-'");
                    yield number("-" + digits.text());
                }
                case "[" -> list();
                case "{" -> struct();
                case "<<" -> bag();
                default -> throw unexpectedTerm();
            };
            default -> throw unexpectedTerm();
        };
    }

    /**
     * A symbol or the statement's end where a value must stand, in the words of PartiQL's parser,
     * which DynamoDB gives (captured 2026-10: a WHERE that breaks off).
     */
    private static DynamoException unexpectedTerm() {
        return PartiqlParser.malformed("Unexpected term");
    }

    /**
     * A number literal. One past the int exponent or scale DynamoDB's older layer reads numbers
     * with does not parse at all; one out of DynamoDB's range is refused with its place (captured
     * 2026-10).
     */
    private AttributeValue number(String text) {
        try {
            return AttributeValue.NumberValue.of(DynamoNumbers.parse(text));
        } catch (DynamoException e) {
            if (e.getMessage().startsWith(DynamoNumbers.NOT_CONVERTIBLE)) throw PartiqlParser.malformed("");
            throw DynamoException.validation(e.getMessage() + " under " + place());
        }
    }

    /** The value being read's place; an INSERT's item itself is "root" too. */
    private String place() {
        return path == null ? "root" : path;
    }

    /** {@code read} with the value at {@code place}. */
    private AttributeValue valueAt(String place) {
        String outer = path;
        path = place;
        try {
            return value();
        } finally {
            path = outer;
        }
    }

    private AttributeValue word(Token token) {
        if (token.isWord("TRUE")) return AttributeValue.BoolValue.TRUE;
        if (token.isWord("FALSE")) return AttributeValue.BoolValue.FALSE;
        if (token.isWord("NULL")) return AttributeValue.NullValue.INSTANCE;
        if (parser.peek().isSymbol("(")) {
            // A function where a value must stand (captured 2026-10: set_add in an INSERT's item).
            throw DynamoException.validation("Unsupported data type: " + token.text() + " under key " + place() + parser.at(token));
        }
        throw PartiqlParser.malformed("expected a value, found " + token.shown());
    }

    private AttributeValue list() {
        List<AttributeValue> elements = new ArrayList<>();
        if (!parser.acceptSymbol("]")) {
            do {
                elements.add(valueAt(place() + "[" + elements.size() + "]"));
            } while (parser.acceptSymbol(","));
            parser.expectSymbol("]");
        }
        return new AttributeValue.ListValue(elements);
    }

    private AttributeValue struct() {
        Map<String, AttributeValue> members = new LinkedHashMap<>();
        if (!parser.acceptSymbol("}")) {
            do {
                Token key = parser.next();
                String name = key.kind() == Kind.STRING ? key.text() : null;
                if (key.kind() == Kind.PARAMETER && parameters.get(nextParameter) instanceof AttributeValue.StringValue s) {
                    nextParameter++;
                    name = s.value();
                }
                if (name == null) {
                    throw DynamoException.validation("Tuple keys must be of type String. Actual type: " + key.shown());
                }
                parser.expectSymbol(":");
                if (members.put(name, valueAt(path == null ? "root" : path + "." + name)) != null) {
                    throw DynamoException.validation("Duplicate keys in tuple. Key: " + name);
                }
            } while (parser.acceptSymbol(","));
            parser.expectSymbol("}");
        }
        return new AttributeValue.MapValue(members);
    }

    /** A bag of strings, numbers or binaries: DynamoDB's sets. */
    private AttributeValue bag() {
        if (parser.acceptSymbol(">>")) throw DynamoException.validation("Empty bags are not supported");
        List<AttributeValue> members = new ArrayList<>();
        do {
            members.add(value());
        } while (parser.acceptSymbol(","));
        parser.expectSymbol(">>");
        AttributeValue first = members.get(0);
        if (members.stream().anyMatch(member -> member.getClass() != first.getClass())) {
            throw unsupportedInBag();
        }
        // A bag with a member twice is refused, as a set with duplicates is in an attribute value (in the older
        // request layer's words, which PartiQL gives).
        if (first instanceof AttributeValue.StringValue) {
            List<String> strings = members.stream().map(member -> ((AttributeValue.StringValue) member).value()).toList();
            Set<String> distinct = new LinkedHashSet<>(strings);
            if (distinct.size() != strings.size()) throw RepeatedSetMembers.strings(strings);
            return new AttributeValue.StringSetValue(distinct);
        }
        if (first instanceof AttributeValue.NumberValue) {
            Set<BigDecimal> numbers = new LinkedHashSet<>();
            for (AttributeValue member : members) numbers.add(((AttributeValue.NumberValue) member).value());
            if (numbers.size() != members.size()) throw RepeatedSetMembers.numbers();
            return new AttributeValue.NumberSetValue(numbers);
        }
        if (first instanceof AttributeValue.BinaryValue) {
            List<Bytes> binaries = members.stream().map(member -> ((AttributeValue.BinaryValue) member).value()).toList();
            Set<Bytes> distinct = new LinkedHashSet<>(binaries);
            if (distinct.size() != binaries.size()) {
                throw RepeatedSetMembers.binaries(binaries, binaries.stream().map(Bytes::toBase64).toList());
            }
            return new AttributeValue.BinarySetValue(distinct);
        }
        throw unsupportedInBag();
    }

    private static DynamoException unsupportedInBag() {
        return DynamoException.validation("Unsupported data type in Bag. DynamoDB only supports either numbers or strings in bags");
    }
}
