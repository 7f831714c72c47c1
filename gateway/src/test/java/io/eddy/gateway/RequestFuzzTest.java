package io.eddy.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eddy.model.ErrorCode;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.Tag;

/**
 * Sends 10,000 valid requests, each broken by one random mutation that makes it invalid (a wrong
 * JSON type, a missing required member, a value over a limit, invalid UTF-8, deep nesting, an
 * unknown or doubled attribute-value type, a bad enum value, a truncated or garbage body), and
 * checks that every answer is a 4xx with a DynamoDB error type, that the server keeps serving, and
 * that no rejected request wrote anything. The seed is fixed ({@code -Deddy.fuzz.seed} to change
 * it) and printed with any failure; request i depends only on the seed and i, so a failure replays
 * exactly although four connections send the requests concurrently.
 */
class RequestFuzzTest {

    static final long SEED = Long.getLong("eddy.fuzz.seed", 20_260_801L);
    static final int REQUESTS = Integer.getInteger("eddy.fuzz.requests", 10_000);
    static final Set<String> ERROR_TYPES = Arrays.stream(ErrorCode.values()).map(ErrorCode::wireType).collect(Collectors.toSet());
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    static final String TABLE = "Fuzz";
    static final String ARN = "arn:aws:dynamodb:us-east-1:000000000000:table/" + TABLE;
    static final int SEEDED_ITEMS = 10;
    /** Concurrent connections sending the requests. */
    static final int CLIENTS = 4;

    @RegisterExtension
    static final NodeExtension node = new NodeExtension();

    @BeforeAll
    static void start() throws Exception {
        var ddb = node.client();
        TestTables.create(ddb, TABLE, "pk", ScalarAttributeType.S, "sk", ScalarAttributeType.N);
        for (int k = 0; k < SEEDED_ITEMS; k++) {
            int key = k;
            ddb.putItem(b -> b.tableName(TABLE).item(Map.of("pk", AttributeValue.fromS("seed-" + key),
                    "sk", AttributeValue.fromN("1"), "v", AttributeValue.fromS("original"))));
        }
        ddb.tagResource(b -> b.resourceArn(ARN).tags(Tag.builder().key("fixed").value("tag").build()));
    }

    /** A valid request: its operation, body, the members it cannot do without and its enum-valued members. */
    record Template(String operation, ObjectNode body, List<String> required, List<String> enums) {}

    static JsonNode parse(String json) {
        try {
            return Json.MAPPER.readTree(json.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    static String item(int i) {
        return "{'pk':{'S':'fuzz-" + i + "'},'sk':{'N':'" + i + "'},'a':{'S':'text'},'b':{'N':'1.5'},"
                + "'c':{'L':[{'S':'x'},{'BOOL':true},{'NULL':true}]},'d':{'M':{'e':{'SS':['p','q']},'f':{'B':'AAEC'}}}}";
    }

    static String seedKey(int i) {
        return "{'pk':{'S':'seed-" + (i % SEEDED_ITEMS) + "'},'sk':{'N':'1'}}";
    }

    /** The valid requests mutations start from; each would write something visible if it got through. */
    static final List<IntFunction<Template>> TEMPLATES = List.of(
            i -> new Template("PutItem", (ObjectNode) parse("{'TableName':'Fuzz','Item':" + item(i)
                    + ",'ConditionExpression':'attribute_not_exists(pk)','ReturnValues':'NONE','ReturnConsumedCapacity':'TOTAL'}"),
                    List.of("/TableName", "/Item", "/Item/pk", "/Item/sk"), List.of("/ReturnValues", "/ReturnConsumedCapacity")),
            i -> new Template("DeleteItem", (ObjectNode) parse("{'TableName':'Fuzz','Key':" + seedKey(i)
                    + ",'ReturnValues':'ALL_OLD','ConditionExpression':'v = :v','ExpressionAttributeValues':{':v':{'S':'original'}}}"),
                    List.of("/TableName", "/Key", "/Key/pk", "/Key/sk", "/ExpressionAttributeValues"), List.of("/ReturnValues")),
            i -> new Template("UpdateItem", (ObjectNode) parse("{'TableName':'Fuzz','Key':" + seedKey(i)
                    + ",'UpdateExpression':'SET v = :v, n = if_not_exists(n, :z) + :one REMOVE w',"
                    + "'ConditionExpression':'attribute_exists(pk)',"
                    + "'ExpressionAttributeValues':{':v':{'S':'changed-" + i + "'},':z':{'N':'0'},':one':{'N':'1'}},'ReturnValues':'ALL_NEW'}"),
                    List.of("/TableName", "/Key", "/Key/sk", "/ExpressionAttributeValues"), List.of("/ReturnValues")),
            i -> new Template("BatchWriteItem", (ObjectNode) parse("{'RequestItems':{'Fuzz':[{'PutRequest':{'Item':" + item(i)
                    + "}},{'DeleteRequest':{'Key':" + seedKey(i) + "}}]},'ReturnConsumedCapacity':'NONE'}"),
                    List.of("/RequestItems", "/RequestItems/Fuzz/0/PutRequest/Item/pk", "/RequestItems/Fuzz/1/DeleteRequest/Key/sk"),
                    List.of("/ReturnConsumedCapacity")),
            i -> new Template("CreateTable", (ObjectNode) parse("{'TableName':'Fuzz-vec-" + i + "','BillingMode':'PAY_PER_REQUEST',"
                    + "'AttributeDefinitions':[{'AttributeName':'id','AttributeType':'S'},{'AttributeName':'c','AttributeType':'S'}],"
                    + "'KeySchema':[{'AttributeName':'id','KeyType':'HASH'}],'VectorIndexes':[{'IndexName':'vec',"
                    + "'VectorAttribute':{'AttributeName':'e'},'Dimensions':3,'DistanceFunction':'COSINE',"
                    + "'SearchSchema':[{'AttributeName':'c','SearchSchemaElementType':'HASH'}],'Projection':{'ProjectionType':'ALL'}}]}"),
                    List.of("/TableName", "/AttributeDefinitions/1", "/VectorIndexes/0/IndexName", "/VectorIndexes/0/VectorAttribute",
                            "/VectorIndexes/0/Dimensions", "/VectorIndexes/0/DistanceFunction", "/VectorIndexes/0/Projection"),
                    List.of("/BillingMode", "/VectorIndexes/0/DistanceFunction", "/VectorIndexes/0/SearchSchema/0/SearchSchemaElementType")),
            i -> new Template("UpdateTable", (ObjectNode) parse("{'TableName':'Fuzz','VectorIndexUpdates':[{'Create':{'IndexName':'vec',"
                    + "'VectorAttribute':{'AttributeName':'e'},'Dimensions':3,'DistanceFunction':'EUCLIDEAN',"
                    + "'Projection':{'ProjectionType':'KEYS_ONLY'}}}]}"),
                    List.of("/TableName", "/VectorIndexUpdates/0/Create/IndexName", "/VectorIndexUpdates/0/Create/Dimensions",
                            "/VectorIndexUpdates/0/Create/VectorAttribute", "/VectorIndexUpdates/0/Create/Projection"),
                    List.of("/VectorIndexUpdates/0/Create/DistanceFunction")),
            i -> new Template("UpdateTable", (ObjectNode) parse("{'TableName':'Fuzz','DeletionProtectionEnabled':true}"),
                    List.of("/TableName", "/DeletionProtectionEnabled"), List.of()),
            i -> new Template("UpdateTable", (ObjectNode) parse("{'TableName':'Fuzz','BillingMode':'PROVISIONED',"
                    + "'ProvisionedThroughput':{'ReadCapacityUnits':5,'WriteCapacityUnits':5}}"),
                    List.of("/TableName", "/ProvisionedThroughput/ReadCapacityUnits", "/ProvisionedThroughput"), List.of("/BillingMode")),
            i -> new Template("TagResource", (ObjectNode) parse("{'ResourceArn':'" + ARN + "','Tags':[{'Key':'fuzz-" + i + "','Value':'v'}]}"),
                    List.of("/ResourceArn", "/Tags", "/Tags/0/Key", "/Tags/0/Value"), List.of()),
            i -> new Template("UntagResource", (ObjectNode) parse("{'ResourceArn':'" + ARN + "','TagKeys':['fixed']}"),
                    List.of("/ResourceArn", "/TagKeys"), List.of()),
            i -> new Template("CreateTable", (ObjectNode) parse("{'TableName':'Fuzz-" + i + "','BillingMode':'PAY_PER_REQUEST',"
                    + "'AttributeDefinitions':[{'AttributeName':'id','AttributeType':'S'}],"
                    + "'KeySchema':[{'AttributeName':'id','KeyType':'HASH'}],'Tags':[{'Key':'k','Value':'v'}]}"),
                    List.of("/TableName", "/AttributeDefinitions", "/KeySchema", "/KeySchema/0/AttributeName",
                            "/AttributeDefinitions/0/AttributeType"),
                    List.of("/BillingMode", "/KeySchema/0/KeyType", "/AttributeDefinitions/0/AttributeType")),
            i -> new Template("CreateTable", (ObjectNode) parse("{'TableName':'Fuzz-ix-" + i + "','BillingMode':'PAY_PER_REQUEST',"
                    + "'AttributeDefinitions':[{'AttributeName':'id','AttributeType':'S'},{'AttributeName':'sk','AttributeType':'N'},"
                    + "{'AttributeName':'g','AttributeType':'S'}],"
                    + "'KeySchema':[{'AttributeName':'id','KeyType':'HASH'},{'AttributeName':'sk','KeyType':'RANGE'}],"
                    + "'LocalSecondaryIndexes':[{'IndexName':'lsi','KeySchema':[{'AttributeName':'id','KeyType':'HASH'},"
                    + "{'AttributeName':'g','KeyType':'RANGE'}],'Projection':{'ProjectionType':'INCLUDE','NonKeyAttributes':['x']}}],"
                    + "'GlobalSecondaryIndexes':[{'IndexName':'gsi','KeySchema':[{'AttributeName':'g','KeyType':'HASH'},"
                    + "{'AttributeName':'sk','KeyType':'RANGE'}],'Projection':{'ProjectionType':'KEYS_ONLY'}}]}"),
                    List.of("/TableName", "/AttributeDefinitions/2", "/LocalSecondaryIndexes/0/IndexName", "/LocalSecondaryIndexes/0/KeySchema",
                            "/LocalSecondaryIndexes/0/Projection", "/LocalSecondaryIndexes/0/Projection/NonKeyAttributes",
                            "/GlobalSecondaryIndexes/0/IndexName", "/GlobalSecondaryIndexes/0/KeySchema/0/AttributeName",
                            "/GlobalSecondaryIndexes/0/Projection"),
                    List.of("/LocalSecondaryIndexes/0/Projection/ProjectionType", "/GlobalSecondaryIndexes/0/KeySchema/0/KeyType",
                            "/GlobalSecondaryIndexes/0/Projection/ProjectionType")),
            i -> new Template("UpdateTable", (ObjectNode) parse("{'TableName':'Fuzz','AttributeDefinitions':[{'AttributeName':'v',"
                    + "'AttributeType':'S'}],'GlobalSecondaryIndexUpdates':[{'Create':{'IndexName':'byV','KeySchema':"
                    + "[{'AttributeName':'v','KeyType':'HASH'}],'Projection':{'ProjectionType':'ALL'}}}]}"),
                    List.of("/TableName", "/AttributeDefinitions", "/AttributeDefinitions/0/AttributeType",
                            "/GlobalSecondaryIndexUpdates/0/Create", "/GlobalSecondaryIndexUpdates/0/Create/IndexName",
                            "/GlobalSecondaryIndexUpdates/0/Create/KeySchema", "/GlobalSecondaryIndexUpdates/0/Create/Projection"),
                    List.of("/AttributeDefinitions/0/AttributeType", "/GlobalSecondaryIndexUpdates/0/Create/KeySchema/0/KeyType",
                            "/GlobalSecondaryIndexUpdates/0/Create/Projection/ProjectionType")),
            i -> new Template("GetItem", (ObjectNode) parse("{'TableName':'Fuzz','Key':" + seedKey(i) + ",'ConsistentRead':true,"
                    + "'ProjectionExpression':'pk, #v','ExpressionAttributeNames':{'#v':'v'}}"),
                    List.of("/TableName", "/Key", "/Key/sk", "/ExpressionAttributeNames"), List.of()),
            i -> new Template("Query", (ObjectNode) parse("{'TableName':'Fuzz','KeyConditionExpression':'pk = :p',"
                    + "'ExpressionAttributeValues':{':p':{'S':'seed-1'}},'Limit':5,'ScanIndexForward':false,'Select':'ALL_ATTRIBUTES'}"),
                    List.of("/TableName", "/KeyConditionExpression", "/ExpressionAttributeValues"), List.of("/Select")),
            i -> new Template("Scan", (ObjectNode) parse("{'TableName':'Fuzz','Limit':3,'ConsistentRead':true,'Segment':0,'TotalSegments':2}"),
                    List.of("/TableName", "/TotalSegments"), List.of()),
            // The table has no point-in-time recovery, so even unbroken this is refused; what is tested is the parsing.
            i -> new Template("ExportTableToPointInTime", (ObjectNode) parse("{'TableArn':'" + ARN + "','S3Bucket':'fuzz-bucket',"
                    + "'S3Prefix':'p/" + i + "','ExportTime':1767225600,'ExportFormat':'DYNAMODB_JSON','ExportType':'FULL_EXPORT',"
                    + "'S3SseAlgorithm':'AES256','ClientToken':'export-" + i + "'}"),
                    List.of("/TableArn", "/S3Bucket"), List.of("/ExportFormat", "/ExportType", "/S3SseAlgorithm")),
            i -> new Template("ImportTable", (ObjectNode) parse("{'ClientToken':'import-" + i + "','S3BucketSource':{'S3Bucket':'fuzz-bucket',"
                    + "'S3KeyPrefix':'in/'},'InputFormat':'CSV','InputCompressionType':'GZIP','InputFormatOptions':{'Csv':{'Delimiter':';',"
                    + "'HeaderList':['pk','sk']}},'TableCreationParameters':{'TableName':'Imported-" + i + "','BillingMode':'PAY_PER_REQUEST',"
                    + "'AttributeDefinitions':[{'AttributeName':'pk','AttributeType':'S'}],'KeySchema':[{'AttributeName':'pk','KeyType':'HASH'}]}}"),
                    List.of("/ClientToken", "/S3BucketSource", "/S3BucketSource/S3Bucket", "/InputFormat", "/TableCreationParameters",
                            "/TableCreationParameters/TableName", "/TableCreationParameters/KeySchema",
                            "/TableCreationParameters/AttributeDefinitions/0/AttributeType"),
                    List.of("/InputFormat", "/InputCompressionType", "/TableCreationParameters/BillingMode",
                            "/TableCreationParameters/KeySchema/0/KeyType")),
            i -> new Template("UpdateContributorInsights", (ObjectNode) parse("{'TableName':'Fuzz','ContributorInsightsAction':'"
                    + (i % 2 == 0 ? "ENABLE" : "DISABLE") + "','ContributorInsightsMode':'THROTTLED_KEYS'}"),
                    List.of("/TableName", "/ContributorInsightsAction"), List.of("/ContributorInsightsAction", "/ContributorInsightsMode")));

    enum Mutation { WRONG_TYPE, REMOVE_REQUIRED, HUGE_VALUE, INVALID_UTF8, DEEP_NESTING, UNKNOWN_VALUE_TYPE, TWO_VALUE_TYPES,
        BAD_ENUM, TRUNCATED, GARBAGE }

    /** A reference to one member of a JSON container: an object field or an array element. */
    record Slot(JsonNode container, String field, int index) {
        JsonNode get() {
            return field != null ? container.get(field) : container.get(index);
        }

        void set(JsonNode value) {
            if (field != null) ((ObjectNode) container).set(field, value);
            else ((ArrayNode) container).set(index, value);
        }
    }

    static List<Slot> slots(JsonNode node) {
        List<Slot> slots = new ArrayList<>();
        collect(node, slots);
        return slots;
    }

    private static void collect(JsonNode node, List<Slot> slots) {
        if (node.isObject()) {
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String field = it.next();
                slots.add(new Slot(node, field, -1));
                collect(node.get(field), slots);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                slots.add(new Slot(node, null, i));
                collect(node.get(i), slots);
            }
        }
    }

    /** Whether a node is an attribute value: an object with one member named by a DynamoDB type. */
    static boolean isAttributeValue(Slot slot) {
        JsonNode value = slot.get();
        if (!value.isObject() || value.size() != 1) return false;
        String type = value.fieldNames().next();
        return Set.of("S", "N", "B", "BOOL", "NULL", "SS", "NS", "BS", "L", "M").contains(type);
    }

    /** A value of another JSON kind than {@code node}; never null, which DynamoDB reads as absent. */
    static JsonNode otherKind(JsonNode node, Random random) {
        List<JsonNode> choices = new ArrayList<>();
        if (!node.isTextual()) choices.add(NODES.textNode("text"));
        if (!node.isNumber()) choices.add(random.nextBoolean() ? NODES.numberNode(7) : NODES.numberNode(2.5));
        if (!node.isBoolean()) choices.add(NODES.booleanNode(true));
        if (!node.isArray()) choices.add(NODES.arrayNode().add("x"));
        if (!node.isObject()) choices.add(NODES.objectNode().put("x", "y"));
        return choices.get(random.nextInt(choices.size()));
    }

    static String text(int length) {
        return "h".repeat(length);
    }

    /** A value over its limit at a member that has one, so the request is certainly invalid. */
    static void hugeValue(Template t, Random random) {
        ObjectNode body = t.body();
        switch (t.operation()) {
            // An item over 400 KB, or (cheaper to send) a partition key over 2048 bytes.
            case "PutItem" -> {
                if (random.nextInt(4) == 0) ((ObjectNode) body.at("/Item/a")).put("S", text(410 * 1024));
                else ((ObjectNode) body.at("/Item/pk")).put("S", text(2049 + random.nextInt(3000)));
            }
            case "BatchWriteItem" -> ((ObjectNode) body.at("/RequestItems/Fuzz/0/PutRequest/Item/a")).put("S", text(410 * 1024));
            case "DeleteItem", "GetItem" -> ((ObjectNode) body.at("/Key/pk")).put("S", text(2049 + random.nextInt(5000)));
            case "TagResource" -> ((ObjectNode) body.at("/Tags/0")).put("Value", text(257 + random.nextInt(1000)));
            case "UntagResource" -> ((ArrayNode) body.get("TagKeys")).set(0, NODES.textNode(text(129 + random.nextInt(1000))));
            case "Query", "Scan" -> body.put("Limit", new java.math.BigInteger("1" + "0".repeat(20 + random.nextInt(30))));
            case "ExportTableToPointInTime" -> body.put("S3Bucket", text(256 + random.nextInt(1000)));
            case "ImportTable" -> ((ObjectNode) body.get("S3BucketSource")).put("S3Bucket", text(256 + random.nextInt(1000)));
            default -> body.put("TableName", text(256 + random.nextInt(1000)));
        }
    }

    /** A value nested deeper than DynamoDB's 32 levels (or than the JSON parser's limit). */
    static JsonNode deep(Random random) {
        boolean parserLimit = random.nextInt(4) == 0;
        int depth = parserLimit ? 1001 + random.nextInt(200) : 33 + random.nextInt(60);
        JsonNode value = NODES.objectNode().put("S", "bottom");
        for (int d = 0; d < depth; d++) {
            value = parserLimit ? NODES.arrayNode().add(value)
                    : random.nextBoolean() ? NODES.objectNode().set("L", NODES.arrayNode().add(value))
                    : NODES.objectNode().set("M", NODES.objectNode().set("m", value));
        }
        return value;
    }

    /** Writes what the server must refuse: nesting beyond the parser's own limit too. */
    static final ObjectMapper WRITER = JsonMapper.builder(JsonFactory.builder()
            .streamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(100_000).build()).build()).build();

    static byte[] bytes(JsonNode body) {
        try {
            return WRITER.writeValueAsBytes(body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Invalid UTF-8 at the start of a random string value (not a member name). */
    static byte[] invalidUtf8(byte[] json, Random random) {
        List<Integer> valueStarts = new ArrayList<>();
        for (int i = 0; i < json.length; i++) {
            if (json[i] != '"') continue;
            int end = i + 1;
            while (json[end] != '"' || json[end - 1] == '\\') end++;
            if (end + 1 >= json.length || json[end + 1] != ':') valueStarts.add(i + 1);
            i = end;
        }
        byte[][] sequences = {{(byte) 0xFF}, {(byte) 0xFE, 'a'}, {(byte) 0x80}, {(byte) 0xE2, (byte) 0x82}, {(byte) 0xC3}};
        byte[] bad = sequences[random.nextInt(sequences.length)];
        int at = valueStarts.get(random.nextInt(valueStarts.size()));
        byte[] result = new byte[json.length + bad.length];
        System.arraycopy(json, 0, result, 0, at);
        System.arraycopy(bad, 0, result, at, bad.length);
        System.arraycopy(json, at, result, at + bad.length, json.length - at);
        return result;
    }

    /** Applies one mutation to the template; returns the body to send and a description for failures. */
    static byte[] mutate(Template t, Mutation mutation, Random random) {
        ObjectNode body = t.body();
        List<Slot> slots = slots(body);
        List<Slot> values = slots.stream().filter(RequestFuzzTest::isAttributeValue).toList();
        switch (mutation) {
            case WRONG_TYPE -> {
                Slot slot = slots.get(random.nextInt(slots.size()));
                slot.set(otherKind(slot.get(), random));
            }
            case REMOVE_REQUIRED -> {
                String path = t.required().get(random.nextInt(t.required().size()));
                int cut = path.lastIndexOf('/');
                JsonNode parent = cut == 0 ? body : body.at(path.substring(0, cut));
                if (parent.isObject()) ((ObjectNode) parent).remove(path.substring(cut + 1));
                else ((ArrayNode) parent).remove(Integer.parseInt(path.substring(cut + 1)));
            }
            case HUGE_VALUE -> hugeValue(t, random);
            case DEEP_NESTING -> {
                if (values.isEmpty() || random.nextInt(4) == 0) {
                    Slot slot = slots.get(random.nextInt(slots.size()));
                    ArrayNode wrapper = NODES.arrayNode();
                    JsonNode nested = slot.get();
                    int depth = 1001 + random.nextInt(200);
                    for (int d = 0; d < depth; d++) nested = NODES.arrayNode().add(nested);
                    wrapper.add(nested);
                    slot.set(wrapper);
                } else {
                    values.get(random.nextInt(values.size())).set(deep(random));
                }
            }
            case UNKNOWN_VALUE_TYPE -> {
                JsonNode[] unknown = {NODES.objectNode().put("X", "a"), NODES.objectNode().put("s", "lower"),
                        NODES.objectNode(), NODES.objectNode().put("STRING", "a")};
                values.get(random.nextInt(values.size())).set(unknown[random.nextInt(unknown.length)]);
            }
            case TWO_VALUE_TYPES -> {
                JsonNode[] doubled = {NODES.objectNode().put("S", "a").put("N", "1"),
                        NODES.objectNode().put("BOOL", true).put("NULL", true),
                        ((ObjectNode) NODES.objectNode().put("S", "a")).set("L", NODES.arrayNode())};
                values.get(random.nextInt(values.size())).set(doubled[random.nextInt(doubled.length)]);
            }
            case BAD_ENUM -> {
                String path = t.enums().get(random.nextInt(t.enums().size()));
                int cut = path.lastIndexOf('/');
                JsonNode parent = cut == 0 ? body : body.at(path.substring(0, cut));
                String[] bogus = {"BOGUS", "", "none", "ALL OLD"};
                ((ObjectNode) parent).put(path.substring(cut + 1), bogus[random.nextInt(bogus.length)]);
            }
            case INVALID_UTF8 -> {
                return invalidUtf8(bytes(body), random);
            }
            case TRUNCATED -> {
                byte[] json = bytes(body);
                return Arrays.copyOf(json, random.nextInt(json.length));
            }
            case GARBAGE -> {
                byte[] garbage = new byte[1 + random.nextInt(200)];
                random.nextBytes(garbage);
                garbage[0] = (byte) "{[\"x<".charAt(random.nextInt(5));
                return garbage;
            }
        }
        return bytes(body);
    }

    static List<Mutation> applicable(Template t) {
        List<Mutation> mutations = new ArrayList<>(List.of(Mutation.WRONG_TYPE, Mutation.REMOVE_REQUIRED, Mutation.HUGE_VALUE,
                Mutation.INVALID_UTF8, Mutation.DEEP_NESTING, Mutation.TRUNCATED, Mutation.GARBAGE));
        if (slots(t.body()).stream().anyMatch(RequestFuzzTest::isAttributeValue)) {
            mutations.add(Mutation.UNKNOWN_VALUE_TYPE);
            mutations.add(Mutation.TWO_VALUE_TYPES);
        }
        if (!t.enums().isEmpty()) mutations.add(Mutation.BAD_ENUM);
        return mutations;
    }

    /**
     * One client's keep-alive connection, written and read byte for byte: every answer must be
     * framed exactly, and an error must not cost the connection.
     */
    static final class Client implements AutoCloseable {
        private final Socket socket;

        Client() throws IOException {
            socket = new Socket("127.0.0.1", node.server().endpoint().getPort());
            socket.setSoTimeout(30_000);
        }

        RawHttp.Response send(String operation, byte[] body) throws IOException {
            socket.getOutputStream().write(RawHttp.post("/", "Content-Type: application/x-amz-json-1.0\r\n"
                    + "X-Amz-Date: 20260101T000000Z\r\nX-Amz-Target: DynamoDB_20120810." + operation + "\r\n"
                    + "Authorization: " + WireProtocolTest.AUTH + "\r\n", body));
            return RawHttp.read(socket.getInputStream());
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Test
    void everyMutatedRequestIsRefusedWithADynamoDbErrorAndWritesNothing() throws Exception {
        Map<String, Integer> answers = new ConcurrentSkipListMap<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int first = c;
                running.add(clients.submit(() -> {
                    try (Client client = new Client()) {
                        for (int i = first; i < REQUESTS && failure.get() == null; i += CLIENTS) {
                            String answer = refused(client, i);
                            answers.merge(answer, 1, Integer::sum);
                            if (i % 500 == 0) assertServing(client);
                        }
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    }
                }));
            }
            for (Future<?> client : running) client.get();
        } finally {
            clients.shutdownNow();
        }
        if (failure.get() instanceof AssertionError e) throw e;
        if (failure.get() != null) throw new AssertionError("seed " + SEED, failure.get());
        try (Client client = new Client()) {
            assertServing(client);
        }
        assertNothingWritten();
        System.out.println("fuzz seed " + SEED + ": " + REQUESTS + " requests refused: " + answers);
    }

    /**
     * Sends request {@code i}, which depends only on the seed and {@code i} (so one failure
     * replays alone), and checks it was refused; returns "mutation -> error type".
     */
    static String refused(Client client, int i) throws Exception {
        Random random = new Random(SEED * 1_000_003L + i);
        Template template = TEMPLATES.get(random.nextInt(TEMPLATES.size())).apply(i);
        List<Mutation> mutations = applicable(template);
        Mutation mutation = mutations.get(random.nextInt(mutations.size()));
        byte[] body = mutate(template, mutation, random);
        RawHttp.Response response = client.send(template.operation(), body);
        String context = "seed " + SEED + ", request " + i + ": " + template.operation() + " with " + mutation
                + "\nbody: " + excerpt(new String(body, StandardCharsets.UTF_8))
                + "\nanswer " + response.status() + " " + response.headers() + ": " + excerpt(response.text());
        assertTrue(response.status() >= 400 && response.status() < 500, context);
        JsonNode error = Json.MAPPER.readTree(response.body());
        assertTrue(ERROR_TYPES.contains(error.path("__type").asText()), context);
        assertTrue(response.headers().containsKey("x-amzn-requestid"), context);
        assertFalse("close".equalsIgnoreCase(response.headers().get("connection")), context);
        return mutation + " -> " + error.path("__type").asText().replaceAll(".*#", "");
    }

    static String excerpt(String text) {
        return text.length() <= 600 ? text : text.substring(0, 600) + "... (" + text.length() + " chars)";
    }

    static void assertServing(Client client) throws Exception {
        RawHttp.Response get = client.send("GetItem", bytes(parse("{'TableName':'Fuzz','Key':" + seedKey(0) + "}")));
        assertEquals(200, get.status(), get.text());
        assertEquals("original", Json.MAPPER.readTree(get.body()).at("/Item/v/S").asText());
    }

    static void assertNothingWritten() {
        var ddb = node.client();
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        ddb.scanPaginator(b -> b.tableName(TABLE).consistentRead(true)).items().forEach(items::add);
        assertEquals(SEEDED_ITEMS, items.size(), "only the seeded items: " + items);
        for (Map<String, AttributeValue> item : items) {
            assertTrue(item.get("pk").s().startsWith("seed-"), item.toString());
            assertEquals("original", item.get("v").s());
            assertEquals(Set.of("pk", "sk", "v"), item.keySet());
        }
        var table = ddb.describeTable(b -> b.tableName(TABLE)).table();
        assertFalse(table.deletionProtectionEnabled());
        assertFalse(table.hasGlobalSecondaryIndexes(), "no index created");
        assertFalse(table.hasVectorIndexes(), "no vector index created");
        assertEquals("PAY_PER_REQUEST", table.billingModeSummary().billingModeAsString());
        assertEquals(List.of(Tag.builder().key("fixed").value("tag").build()), ddb.listTagsOfResource(b -> b.resourceArn(ARN)).tags());
        assertEquals(List.of(TABLE), ddb.listTables().tableNames());
    }
}
