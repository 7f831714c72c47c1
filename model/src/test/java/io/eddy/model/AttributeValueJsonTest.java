package io.eddy.model;

import com.fasterxml.jackson.core.JsonParser;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.eddy.model.TestSupport.assertSerialization;
import static io.eddy.model.TestSupport.assertValidation;
import static io.eddy.model.TestSupport.item;
import static io.eddy.model.TestSupport.json;
import static io.eddy.model.TestSupport.toJson;
import static io.eddy.model.TestSupport.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AttributeValueJsonTest {

    @Test
    void parsersDoNotInternFieldNames() throws Exception {
        // A map key never seen before, as in maps keyed by ids. Put an equal String in the JVM's
        // string table first: an interning parser would hand that instance back.
        String name = "k" + UUID.randomUUID();
        String interned = new String(name).intern();
        try (JsonParser parser = AttributeValueJson.factory()
                .createParser(("{\"" + name + "\":{\"N\":\"1\"}}").getBytes(StandardCharsets.UTF_8))) {
            parser.nextToken();
            parser.nextToken();
            assertEquals(name, parser.currentName());
            assertNotSame(interned, parser.currentName());
        }
    }

    private static final String EMPTY = "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes";
    private static final String SEVERAL =
            "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes";
    private static final String TOO_DEEP = "Nesting Levels have exceeded supported limits: "
            + "Attributes in the item have nested levels beyond supported limit";

    @Nested
    class Reading {
        @Test
        void readsEveryType() {
            Map<String, AttributeValue> item = item("{'s':{'S':'x'},'n':{'N':'-0015.789e6'},'b':{'B':'Yg=='},"
                    + "'t':{'BOOL':true},'f':{'BOOL':false},'z':{'NULL':true},'ss':{'SS':['a','b']},"
                    + "'ns':{'NS':['1','2.50']},'bs':{'BS':['Yg==','']},'l':{'L':[{'S':'a'},{'L':[]}]},"
                    + "'m':{'M':{'k':{'N':'1'},'e':{'M':{}}}}}");
            assertEquals(List.of("s", "n", "b", "t", "f", "z", "ss", "ns", "bs", "l", "m"), List.copyOf(item.keySet()));
            assertEquals(AttributeValue.s("x"), item.get("s"));
            assertEquals(AttributeValue.n("-15789000"), item.get("n"));
            assertEquals(AttributeValue.b("b".getBytes()), item.get("b"));
            assertEquals(AttributeValue.BoolValue.TRUE, item.get("t"));
            assertEquals(AttributeValue.BoolValue.FALSE, item.get("f"));
            assertEquals(AttributeValue.NullValue.INSTANCE, item.get("z"));
            assertEquals(new AttributeValue.StringSetValue(Set.of("a", "b")), item.get("ss"));
            assertEquals(new AttributeValue.NumberSetValue(Set.of(BigDecimal.ONE, new BigDecimal("2.5"))), item.get("ns"));
            assertEquals(new AttributeValue.BinarySetValue(Set.of(Bytes.of("b".getBytes()), Bytes.EMPTY)), item.get("bs"));
            assertEquals(new AttributeValue.ListValue(List.of(AttributeValue.s("a"), new AttributeValue.ListValue(List.of()))),
                    item.get("l"));
            assertEquals(new AttributeValue.MapValue(Map.of("k", AttributeValue.n("1"), "e", new AttributeValue.MapValue(Map.of()))),
                    item.get("m"));
        }

        @Test
        void emptyStringsAndBinariesAreValuesOfNonKeyAttributes() {
            assertEquals(AttributeValue.s(""), value("{'S':''}"));
            assertEquals(new AttributeValue.BinaryValue(Bytes.EMPTY), value("{'B':''}"));
            assertEquals(new AttributeValue.StringSetValue(Set.of("")), value("{'SS':['']}"));
        }

        @Test
        void unknownMembersAndNullMembersAreIgnored() {
            assertEquals(AttributeValue.s("x"), value("{'S':'x','foo':1,'N':null}"));
        }

        @Test
        void nullItemReadsAsEmpty() {
            assertEquals(Map.of(), AttributeValueJson.readItem(json("null")));
        }

        @ParameterizedTest
        @ValueSource(strings = {"{}", "{'a':''}", "{'S':null}", "{'M':{'a':{}}}", "{'L':[{}]}", "{'L':[{'a':{}}]}", "null"})
        void refusesEmptyValues(String json) {
            assertValidation(EMPTY, () -> value(json));
        }

        @Test
        void refusesSeveralTypes() {
            assertValidation(SEVERAL, () -> value("{'S':'a','N':'1'}"));
        }

        @Test
        void memberProblemsComeBeforeSeveralTypes() {
            assertValidation("The parameter cannot be converted to a numeric value: b", () -> value("{'S':'a','N':'b'}"));
            assertValidation("The parameter cannot be converted to a numeric value", () -> value("{'S':'','N':''}"));
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
                "{'NULL':false}|One or more parameter values were invalid: Null attribute value types must have the value of true",
                "{'M':{'x':{'L':[{'NULL':false}]}}}|One or more parameter values were invalid: Null attribute value types must have the value of true",
                "{'SS':[]}|One or more parameter values were invalid: An string set  may not be empty",
                "{'NS':[]}|One or more parameter values were invalid: An number set  may not be empty",
                "{'BS':[]}|One or more parameter values were invalid: Binary sets should not be empty",
                "{'SS':['a','a']}|One or more parameter values were invalid: Input collection [a, a] contains duplicates.",
                "{'BS':['Yg==','Yg==']}|One or more parameter values were invalid: Input collection [Yg==, Yg==]of type BS contains duplicates.",
                "{'NS':['1','1']}|Input collection contains duplicates",
                "{'NS':['1','1.0']}|Input collection contains duplicates",
                "{'NS':['1','']}|The parameter cannot be converted to a numeric value",
                "{'NS':['1','b','a']}|The parameter cannot be converted to a numeric value: b",
                "{'N':'1e126'}|Number overflow. Attempting to store a number with magnitude larger than supported range",
                "{'SS':['a',null]}|One or more parameter values were invalid: An string set may not have a null string as a member",
                "{'NS':['1',null]}|One or more parameter values were invalid: Sets may not contain null values",
        })
        void refusesInvalidValues(String json, String message) {
            assertValidation(message, () -> value(json));
        }

        /** As DynamoDB returns them (eu-west-2, 2026-10): strings by UTF-8 bytes, numbers by value, binaries unsigned. */
        @Test
        void setMembersAreInDynamoDbsOrder() {
            // U+FFFD sorts before U+1F600 in UTF-8, after its surrogates in Java's UTF-16 compareTo.
            assertEquals("{\"SS\":[\"Z\",\"a\",\"b\",\"\uFFFD\",\"\uD83D\uDE00\"]}",
                    toJson(value("{'SS':['b','\uD83D\uDE00','a','\uFFFD','Z']}")));
            assertEquals("{\"NS\":[\"-1\",\"2.5\",\"10\"]}", toJson(value("{'NS':['10','-1','2.5']}")));
            assertEquals("{\"BS\":[\"AA==\",\"fw==\",\"/w==\"]}", toJson(value("{'BS':['/w==','AA==','fw==']}")));
            assertValidation("One or more parameter values were invalid: Input collection [b, a, b] contains duplicates.",
                    () -> value("{'SS':['b','a','b']}"));
        }

        /**
         * The newer request layer (GetItem, Query, the single-item writes) lists a repeated member
         * after the distinct members met before it, in the set's order (captured 2026-10).
         */
        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "{'SS':['b','a','b']}|One or more parameter values were invalid: Input collection [\"a\", \"b\", \"b\"] contains duplicates.",
                "{'SS':['c','a','c','b','a']}|One or more parameter values were invalid: Input collection [\"a\", \"c\", \"c\"] contains duplicates.",
                "{'BS':['/w==','AA==','AA==']}|One or more parameter values were invalid: Input collection [\"AA==\",\"/w==\",\"AA==\"]of type BS contains duplicates.",
                "{'NS':['2','1','2']}|One or more parameter values were invalid: Input collection contains duplicates.",
        })
        void repeatedSetMembersInTheNewerLayersWords(String json, String message) {
            assertEquals(message, assertThrows(DynamoException.class, () -> value(json)).currentWording());
        }

        @Test
        void acceptsNesting32LevelsDeep() {
            AttributeValue value = value(nestedMaps(31));
            int depth = 1;
            while (value instanceof AttributeValue.MapValue map) {
                value = map.values().get("n");
                depth++;
            }
            assertEquals(32, depth);
        }

        @Test
        void refusesNestingDeeperThan32Levels() {
            assertValidation(TOO_DEEP, () -> value(nestedMaps(32)));
            assertValidation(TOO_DEEP, () -> item("{'a':" + nestedMaps(32) + "}"));
            String lists = "{'L':[".repeat(32) + "{'S':'x'}" + "]}".repeat(32);
            assertValidation(TOO_DEEP, () -> value(lists));
        }

        private String nestedMaps(int wraps) {
            return "{'M':{'n':".repeat(wraps) + "{'S':'leaf'}" + "}}".repeat(wraps);
        }
    }

    @Nested
    class Serialization {
        @Test
        void valueMustBeAStructure() {
            assertSerialization("Unexpected value type in payload", () -> value("'23'"));
            assertSerialization("Unexpected value type in payload", () -> value("true"));
            assertSerialization("Unexpected value type in payload", () -> value("23"));
            assertSerialization("Unrecognized collection type class com.amazonaws.dynamodb.v20120810.AttributeValue",
                    () -> value("[]"));
        }

        @Test
        void itemMustBeAMap() {
            assertSerialization("Unexpected field type", () -> item("'23'"));
            assertSerialization("Unexpected field type", () -> item("23"));
            assertSerialization("Unrecognized collection type java.util.Map<java.lang.String, "
                    + "com.amazonaws.dynamodb.v20120810.AttributeValue>", () -> item("[]"));
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
                "{'S':true}|TRUE_VALUE cannot be converted to String",
                "{'S':false}|FALSE_VALUE cannot be converted to String",
                "{'S':23}|NUMBER_VALUE cannot be converted to String",
                "{'S':2147483648}|NUMBER_VALUE cannot be converted to String",
                "{'N':34.56}|DECIMAL_VALUE cannot be converted to String",
                "{'N':[]}|Unrecognized collection type class java.lang.String",
                "{'S':{}}|Start of structure or map found where not expected",
                "{'BOOL':'23'}|Unexpected token received from parser",
                "{'NULL':23}|NUMBER_VALUE cannot be converted to Boolean",
                "{'BOOL':34.56}|DECIMAL_VALUE cannot be converted to Boolean",
                "{'BOOL':[]}|Unrecognized collection type class java.lang.Boolean",
                "{'NULL':{}}|Start of structure or map found where not expected",
                "{'B':true}|only base-64-encoded strings are convertible to bytes",
                "{'B':23}|only base-64-encoded strings are convertible to bytes",
                "{'B':[]}|Unrecognized collection type class java.nio.ByteBuffer",
                "{'B':{}}|Start of structure or map found where not expected",
                "{'B':'23456'}|Base64 encoded length is expected a multiple of 4 bytes but found: 5",
                "{'B':'abc'}|Base64 encoded length is expected a multiple of 4 bytes but found: 3",
                "{'B':'=+/='}|Invalid last non-pad Base64 character dectected",
                "{'B':'+/+='}|Invalid last non-pad Base64 character dectected",
                "{'B':'YQ==='}|Base64 encoded length is expected a multiple of 4 bytes but found: 5",
                "{'B':'Y==='}|Invalid last non-pad Base64 character dectected",
                "{'B':'Yh=='}|Invalid last non-pad Base64 character dectected",
                "{'B':'ab$d'}|Invalid Base64 character: '$'",
                "{'SS':'23'}|Unexpected field type",
                "{'NS':true}|Unexpected field type",
                "{'BS':{}}|Start of structure or map found where not expected",
                "{'SS':[23]}|NUMBER_VALUE cannot be converted to String",
                "{'BS':[true]}|only base-64-encoded strings are convertible to bytes",
                "{'L':23}|Unexpected field type",
                "{'L':{}}|Start of structure or map found where not expected",
                "{'L':['23']}|Unexpected value type in payload",
                "{'L':[[]]}|Unrecognized collection type class com.amazonaws.dynamodb.v20120810.AttributeValue",
                "{'M':'23'}|Unexpected field type",
                "{'M':[]}|Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.AttributeValue>",
                "{'M':{'a':23}}|Unexpected value type in payload",
                "{'M':{'a':{'BS':[23]}}}|only base-64-encoded strings are convertible to bytes",
        })
        void refusesWrongJsonTypes(String json, String message) {
            assertSerialization(message, () -> value(json));
        }

        @Test
        void serializationProblemsAnywhereComeBeforeValidationProblems() {
            assertSerialization("NUMBER_VALUE cannot be converted to String",
                    () -> item("{'a':{},'b':{'SS':[]},'c':{'S':5}}"));
        }

        @Test
        void shapeChecksAloneDoNotValidate() {
            AttributeValueJson.checkItemShape(json("{'a':{},'b':{'SS':[]}}"));
            AttributeValueJson.checkValueShape(json("{'NULL':false}"));
            AttributeValueJson.checkStringShape(json("'x'"));
            assertSerialization("TRUE_VALUE cannot be converted to String", () -> AttributeValueJson.checkStringShape(json("true")));
        }
    }

    @Nested
    class Writing {
        @Test
        void writesCanonicalNumbersAndBase64() {
            assertEquals("{\"N\":\"100\"}", toJson(AttributeValue.n("1E+2")));
            assertEquals("{\"N\":\"-0.001\"}", toJson(AttributeValue.n("-1.000e-3")));
            assertEquals("{\"B\":\"AQI=\"}", toJson(AttributeValue.b(new byte[]{1, 2})));
            assertEquals("{\"NS\":[\"1\",\"250\"]}", toJson(value("{'NS':['1.0','2.5e2']}")));
            assertEquals("{\"NULL\":true}", toJson(AttributeValue.NullValue.INSTANCE));
            assertEquals("{\"BOOL\":false}", toJson(AttributeValue.BoolValue.FALSE));
        }

        @Test
        void roundTripsAnItem() {
            String wire = "{\"a\":{\"S\":\"x\"},\"b\":{\"SS\":[\"p\",\"q\"]},\"c\":{\"BS\":[\"Yg==\"]},"
                    + "\"d\":{\"L\":[{\"M\":{\"k\":{\"BOOL\":true}}},{\"NULL\":true}]},\"e\":{\"M\":{}},\"f\":{\"N\":\"-12.5\"}}";
            Map<String, AttributeValue> item = AttributeValueJson.readItem(json(wire));
            assertEquals(wire, toJson(item));
            assertInstanceOf(AttributeValue.ListValue.class, item.get("d"));
        }
    }
}
