package io.eddy.model.partiql;

import io.eddy.model.AttributeValue;
import io.eddy.model.Bytes;
import io.eddy.model.DynamoException;
import io.eddy.model.DynamoNumbers;
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
        try {
            return value();
        } finally {
            depth = 1;
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
                default -> throw PartiqlParser.malformed("expected a value, found " + token.shown());
            };
            default -> throw PartiqlParser.malformed("expected a value, found " + token.shown());
        };
    }

    private static AttributeValue number(String text) {
        return AttributeValue.NumberValue.of(DynamoNumbers.parse(text));
    }

    private static AttributeValue word(Token token) {
        if (token.isWord("TRUE")) return AttributeValue.BoolValue.TRUE;
        if (token.isWord("FALSE")) return AttributeValue.BoolValue.FALSE;
        if (token.isWord("NULL")) return AttributeValue.NullValue.INSTANCE;
        throw PartiqlParser.malformed("expected a value, found " + token.shown());
    }

    private AttributeValue list() {
        List<AttributeValue> elements = new ArrayList<>();
        if (!parser.acceptSymbol("]")) {
            do {
                elements.add(value());
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
                if (members.put(name, value()) != null) {
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
        if (first instanceof AttributeValue.StringValue) {
            Set<String> strings = new LinkedHashSet<>();
            for (AttributeValue member : members) strings.add(((AttributeValue.StringValue) member).value());
            return distinct(new AttributeValue.StringSetValue(strings), members);
        }
        if (first instanceof AttributeValue.NumberValue) {
            Set<BigDecimal> numbers = new LinkedHashSet<>();
            for (AttributeValue member : members) numbers.add(((AttributeValue.NumberValue) member).value());
            return distinct(new AttributeValue.NumberSetValue(numbers), members);
        }
        if (first instanceof AttributeValue.BinaryValue) {
            Set<Bytes> binaries = new LinkedHashSet<>();
            for (AttributeValue member : members) binaries.add(((AttributeValue.BinaryValue) member).value());
            return distinct(new AttributeValue.BinarySetValue(binaries), members);
        }
        throw unsupportedInBag();
    }

    /** A bag with a member twice is refused, as a set with duplicates is in an attribute value. */
    private static AttributeValue distinct(AttributeValue set, List<AttributeValue> members) {
        int size = set instanceof AttributeValue.StringSetValue ss ? ss.values().size()
                : set instanceof AttributeValue.NumberSetValue ns ? ns.values().size()
                : ((AttributeValue.BinarySetValue) set).values().size();
        if (size != members.size()) throw DynamoException.validation("Input collection contains duplicates");
        return set;
    }

    private static DynamoException unsupportedInBag() {
        return DynamoException.validation("Unsupported data type in Bag. DynamoDB only supports either numbers or strings in bags");
    }
}
