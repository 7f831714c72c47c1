package io.eddy.gateway;

import static io.eddy.gateway.TestTables.n;
import static io.eddy.gateway.TestTables.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ListStreamsResponse;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamDescription;
import software.amazon.awssdk.services.dynamodb.model.StreamStatus;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/** DynamoDB Streams end to end with the AWS SDK v2 DynamoDbStreamsClient. */
class StreamsTest {

    @RegisterExtension
    static final NodeExtension node = new NodeExtension();
    final DynamoDbClient ddb = node.client();
    static DynamoDbStreamsClient streams;

    @BeforeAll
    static void start() throws Exception {
        streams = node.server().streamsClient();
    }

    @AfterAll
    static void stop() throws Exception {
        streams.close();
    }

    static TableDescription createStreamed(String name, StreamViewType viewType) {
        return createStreamed(node.client(), name, viewType);
    }

    static TableDescription createStreamed(DynamoDbClient ddb, String name, StreamViewType viewType) {
        return ddb.createTable(b -> b.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName("sk").attributeType(ScalarAttributeType.N).build())
                .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build())
                .streamSpecification(spec -> spec.streamEnabled(true).streamViewType(viewType))).tableDescription();
    }

    static Map<String, AttributeValue> item(String pk, int sk, String value) {
        return Map.of("pk", s(pk), "sk", n(Integer.toString(sk)), "v", s(value));
    }

    static Map<String, AttributeValue> key(String pk, int sk) {
        return Map.of("pk", s(pk), "sk", n(Integer.toString(sk)));
    }

    @Test
    void everyViewTypeShowsInsertModifyAndRemoveWithItsImages() {
        for (StreamViewType viewType : List.of(StreamViewType.KEYS_ONLY, StreamViewType.NEW_IMAGE,
                StreamViewType.OLD_IMAGE, StreamViewType.NEW_AND_OLD_IMAGES)) {
            String table = "View_" + viewType;
            TableDescription created = createStreamed(table, viewType);
            assertEquals(viewType, created.streamSpecification().streamViewType());
            assertTrue(created.streamSpecification().streamEnabled());
            String arn = created.latestStreamArn();
            assertEquals("arn:aws:dynamodb:us-east-1:000000000000:table/" + table + "/stream/" + created.latestStreamLabel(), arn);

            ddb.putItem(b -> b.tableName(table).item(item("a", 1, "first")));
            ddb.putItem(b -> b.tableName(table).item(item("a", 1, "second")));
            ddb.putItem(b -> b.tableName(table).item(item("a", 1, "second"))); // changes nothing: no record
            ddb.deleteItem(b -> b.tableName(table).key(key("a", 1)));
            ddb.deleteItem(b -> b.tableName(table).key(key("a", 1))); // deletes nothing: no record

            List<Record> records = StreamReader.readAll(streams, arn, 1000);
            assertEquals(List.of(OperationType.INSERT, OperationType.MODIFY, OperationType.REMOVE),
                    records.stream().map(Record::eventName).toList(), viewType.toString());
            boolean withNew = viewType == StreamViewType.NEW_IMAGE || viewType == StreamViewType.NEW_AND_OLD_IMAGES;
            boolean withOld = viewType == StreamViewType.OLD_IMAGE || viewType == StreamViewType.NEW_AND_OLD_IMAGES;
            List<Map<String, AttributeValue>> expectedNew = List.of(item("a", 1, "first"), item("a", 1, "second"), Map.of());
            List<Map<String, AttributeValue>> expectedOld = List.of(Map.of(), item("a", 1, "first"), item("a", 1, "second"));
            BigInteger previous = BigInteger.valueOf(-1);
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < records.size(); i++) {
                Record r = records.get(i);
                assertEquals("aws:dynamodb", r.eventSource());
                assertEquals("us-east-1", r.awsRegion());
                assertEquals("1.1", r.eventVersion());
                assertTrue(ids.add(r.eventID()));
                assertNull(r.userIdentity());
                assertEquals(key("a", 1), r.dynamodb().keys());
                assertEquals(viewType, r.dynamodb().streamViewType());
                assertEquals(withNew ? expectedNew.get(i) : Map.of(), r.dynamodb().newImage());
                assertEquals(withOld ? expectedOld.get(i) : Map.of(), r.dynamodb().oldImage());
                assertTrue(r.dynamodb().sizeBytes() > 0);
                assertNotNull(r.dynamodb().approximateCreationDateTime());
                assertEquals(0, r.dynamodb().approximateCreationDateTime().getNano(), "whole seconds, as DynamoDB Streams gives it");
                String sequence = r.dynamodb().sequenceNumber();
                assertTrue(sequence.length() >= 21 && sequence.chars().allMatch(Character::isDigit), sequence);
                assertTrue(new BigInteger(sequence).compareTo(previous) > 0, "sequence numbers increase within a shard");
                previous = new BigInteger(sequence);
            }
        }
    }

    @Test
    void updateItemIsStreamedWithBothImagesAndANoOpUpdateIsNot() {
        String arn = createStreamed("Updated", StreamViewType.NEW_AND_OLD_IMAGES).latestStreamArn();
        ddb.updateItem(b -> b.tableName("Updated").key(key("u", 1))
                .updateExpression("SET v = :v").expressionAttributeValues(Map.of(":v", s("one"))));
        ddb.updateItem(b -> b.tableName("Updated").key(key("u", 1))
                .updateExpression("SET v = :v").expressionAttributeValues(Map.of(":v", s("two"))));
        ddb.updateItem(b -> b.tableName("Updated").key(key("u", 1))
                .updateExpression("SET v = :v").expressionAttributeValues(Map.of(":v", s("two"))));
        List<Record> records = StreamReader.readAll(streams, arn, 1000);
        assertEquals(List.of(OperationType.INSERT, OperationType.MODIFY), records.stream().map(Record::eventName).toList());
        assertEquals(item("u", 1, "one"), records.get(1).dynamodb().oldImage());
        assertEquals(item("u", 1, "two"), records.get(1).dynamodb().newImage());
    }

    @Test
    void describeTableListStreamsAndDescribeStream() {
        TableDescription created = createStreamed("Described", StreamViewType.NEW_AND_OLD_IMAGES);
        TableDescription described = ddb.describeTable(b -> b.tableName("Described")).table();
        assertEquals(created.latestStreamArn(), described.latestStreamArn());
        assertEquals(created.latestStreamLabel(), described.latestStreamLabel());
        assertEquals(StreamViewType.NEW_AND_OLD_IMAGES, described.streamSpecification().streamViewType());

        ListStreamsResponse listed = streams.listStreams(b -> b.tableName("Described"));
        assertEquals(1, listed.streams().size());
        assertEquals(created.latestStreamArn(), listed.streams().get(0).streamArn());
        assertEquals("Described", listed.streams().get(0).tableName());
        assertEquals(created.latestStreamLabel(), listed.streams().get(0).streamLabel());
        assertNull(listed.lastEvaluatedStreamArn());

        StreamDescription d = streams.describeStream(b -> b.streamArn(created.latestStreamArn())).streamDescription();
        assertEquals(StreamStatus.ENABLED, d.streamStatus());
        assertEquals(StreamViewType.NEW_AND_OLD_IMAGES, d.streamViewType());
        assertEquals("Described", d.tableName());
        assertEquals(created.latestStreamLabel(), d.streamLabel());
        assertEquals(List.of("pk", "sk"), d.keySchema().stream().map(KeySchemaElement::attributeName).toList());
        assertEquals(4, d.shards().size(), "one shard per partition");
        List<String> ids = d.shards().stream().map(Shard::shardId).toList();
        assertEquals(ids.stream().sorted().toList(), ids, "shards are listed in order");
        for (Shard shard : d.shards()) {
            assertTrue(shard.shardId().length() >= 28 && shard.shardId().length() <= 65);
            assertNotNull(shard.sequenceNumberRange().startingSequenceNumber());
            assertNull(shard.sequenceNumberRange().endingSequenceNumber(), "open shard");
            assertNull(shard.parentShardId());
        }

        // Paging shards by ExclusiveStartShardId.
        StreamDescription first = streams.describeStream(b -> b.streamArn(created.latestStreamArn()).limit(3)).streamDescription();
        assertEquals(ids.subList(0, 3), first.shards().stream().map(Shard::shardId).toList());
        assertEquals(ids.get(2), first.lastEvaluatedShardId());
        StreamDescription rest = streams.describeStream(b -> b.streamArn(created.latestStreamArn())
                .exclusiveStartShardId(first.lastEvaluatedShardId())).streamDescription();
        assertEquals(ids.subList(3, 4), rest.shards().stream().map(Shard::shardId).toList());
        assertNull(rest.lastEvaluatedShardId());
        assertTrue(streams.describeStream(b -> b.streamArn(created.latestStreamArn()).exclusiveStartShardId(ids.get(3)))
                .streamDescription().shards().isEmpty());

        // Paging streams of all tables.
        createStreamed("Described2", StreamViewType.KEYS_ONLY);
        List<String> tables = new ArrayList<>();
        List<String> arns = new ArrayList<>();
        String start = null;
        do {
            String from = start;
            ListStreamsResponse page = streams.listStreams(b -> b.limit(1).exclusiveStartStreamArn(from));
            assertTrue(page.streams().size() <= 1);
            page.streams().forEach(stream -> {
                tables.add(stream.tableName());
                arns.add(stream.streamArn());
            });
            start = page.lastEvaluatedStreamArn();
        } while (start != null);
        assertTrue(tables.containsAll(List.of("Described", "Described2")));
        assertEquals(tables.stream().sorted().toList(), tables);
        // A table name can have several streams (a disabled one, a deleted table's).
        assertEquals(new HashSet<>(arns).size(), arns.size(), "each stream listed once");
    }

    @Test
    void getRecordsPagesAndIteratorTypes() {
        TableDescription created = createStreamed("Paged", StreamViewType.NEW_IMAGE);
        String arn = created.latestStreamArn();
        // One partition key: all changes in one shard, in write order.
        for (int i = 0; i < 25; i++) {
            int k = i;
            ddb.putItem(b -> b.tableName("Paged").item(item("same", k, "v" + k)));
        }
        Shard shard = StreamReader.shards(streams, arn).stream()
                .filter(sh -> !StreamReader.readShard(streams, arn, sh.shardId(), 1000).isEmpty()).findFirst().orElseThrow();
        List<Record> byTwo = StreamReader.readShard(streams, arn, shard.shardId(), 2);
        assertEquals(25, byTwo.size());
        for (int i = 0; i < 25; i++) assertEquals(n(Integer.toString(i)), byTwo.get(i).dynamodb().keys().get("sk"));
        assertEquals(shard.sequenceNumberRange().startingSequenceNumber(), byTwo.get(0).dynamodb().sequenceNumber());

        String fifth = byTwo.get(4).dynamodb().sequenceNumber();
        String at = streams.getShardIterator(b -> b.streamArn(arn).shardId(shard.shardId())
                .shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER).sequenceNumber(fifth)).shardIterator();
        assertEquals(fifth, streams.getRecords(b -> b.shardIterator(at).limit(1)).records().get(0).dynamodb().sequenceNumber());
        String after = streams.getShardIterator(b -> b.streamArn(arn).shardId(shard.shardId())
                .shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER).sequenceNumber(fifth)).shardIterator();
        assertEquals(byTwo.get(5).dynamodb().sequenceNumber(),
                streams.getRecords(b -> b.shardIterator(after).limit(1)).records().get(0).dynamodb().sequenceNumber());

        String latest = streams.getShardIterator(b -> b.streamArn(arn).shardId(shard.shardId())
                .shardIteratorType(ShardIteratorType.LATEST)).shardIterator();
        var empty = streams.getRecords(b -> b.shardIterator(latest));
        assertTrue(empty.records().isEmpty());
        assertNotNull(empty.nextShardIterator(), "an open shard always has a next iterator");
        ddb.putItem(b -> b.tableName("Paged").item(item("same", 100, "late")));
        var next = streams.getRecords(b -> b.shardIterator(empty.nextShardIterator()));
        assertEquals(1, next.records().size());
        assertEquals(n("100"), next.records().get(0).dynamodb().keys().get("sk"));
    }

    /** A shard with no record yet reports a StartingSequenceNumber, and GetShardIterator takes it. */
    @Test
    void anEmptyShardsStartingSequenceNumberIsTaken() {
        String arn = createStreamed("Quiet", StreamViewType.KEYS_ONLY).latestStreamArn();
        Shard shard = StreamReader.shards(streams, arn).get(0);
        String start = shard.sequenceNumberRange().startingSequenceNumber();
        String at = streams.getShardIterator(b -> b.streamArn(arn).shardId(shard.shardId())
                .shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER).sequenceNumber(start)).shardIterator();
        var page = streams.getRecords(b -> b.shardIterator(at));
        assertTrue(page.records().isEmpty());
        assertNotNull(page.nextShardIterator());
        streams.getShardIterator(b -> b.streamArn(arn).shardId(shard.shardId())
                .shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER).sequenceNumber(start));
    }

    /** GetRecords answers at most 1 MB of records (a single bigger one alone). */
    @Test
    void getRecordsPagesAreAtMostAMegabyte() {
        String arn = createStreamed("Big", StreamViewType.NEW_AND_OLD_IMAGES).latestStreamArn();
        String big = "x".repeat(300_000);
        for (int i = 0; i < 4; i++) {
            int k = i;
            ddb.putItem(b -> b.tableName("Big").item(item("same", k, big)));
        }
        ddb.putItem(b -> b.tableName("Big").item(item("same", 0, big + "y"))); // a MODIFY: two images, ~600 KB
        Shard shard = StreamReader.shards(streams, arn).stream()
                .filter(sh -> !StreamReader.readShard(streams, arn, sh.shardId(), 1000).isEmpty()).findFirst().orElseThrow();
        String iterator = streams.getShardIterator(b -> b.streamArn(arn).shardId(shard.shardId())
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        List<Integer> pageSizes = new java.util.ArrayList<>();
        int read = 0;
        while (read < 5) {
            String current = iterator;
            var page = streams.getRecords(b -> b.shardIterator(current));
            long bytes = page.records().stream().mapToLong(r -> r.dynamodb().sizeBytes()).sum();
            assertTrue(page.records().size() == 1 || bytes <= 1024 * 1024, "page of " + bytes + " bytes");
            pageSizes.add(page.records().size());
            read += page.records().size();
            iterator = page.nextShardIterator();
        }
        assertEquals(List.of(3, 2), pageSizes);
    }

    @Test
    void disablingAndEnablingMakesANewStreamAndTheOldOneStaysReadable() {
        TableDescription created = createStreamed("Cycled", StreamViewType.KEYS_ONLY);
        String oldArn = created.latestStreamArn();
        ddb.putItem(b -> b.tableName("Cycled").item(item("before", 1, "x")));

        TableDescription disabled = ddb.updateTable(b -> b.tableName("Cycled")
                .streamSpecification(spec -> spec.streamEnabled(false))).tableDescription();
        assertNull(disabled.streamSpecification(), "no StreamSpecification once disabled");
        assertEquals(oldArn, disabled.latestStreamArn(), "the latest ARN stays");
        TestTables.invalid("Table has no stream to disable: TableName: Cycled",
                () -> ddb.updateTable(b -> b.tableName("Cycled").streamSpecification(spec -> spec.streamEnabled(false))));

        ddb.putItem(b -> b.tableName("Cycled").item(item("while-disabled", 1, "x")));

        TableDescription enabled = ddb.updateTable(b -> b.tableName("Cycled")
                .streamSpecification(spec -> spec.streamEnabled(true).streamViewType(StreamViewType.NEW_IMAGE))).tableDescription();
        String newArn = enabled.latestStreamArn();
        assertNotEquals(oldArn, newArn);
        assertEquals(StreamViewType.NEW_IMAGE, enabled.streamSpecification().streamViewType());
        TestTables.invalid("Table already has an enabled stream: TableName: Cycled",
                () -> ddb.updateTable(b -> b.tableName("Cycled")
                        .streamSpecification(spec -> spec.streamEnabled(true).streamViewType(StreamViewType.KEYS_ONLY))));
        ddb.putItem(b -> b.tableName("Cycled").item(item("after", 1, "x")));

        StreamDescription old = streams.describeStream(b -> b.streamArn(oldArn)).streamDescription();
        assertEquals(StreamStatus.DISABLED, old.streamStatus());
        for (Shard shard : old.shards()) {
            assertNotNull(shard.sequenceNumberRange().endingSequenceNumber(), "shards of a disabled stream are closed");
            // Reading a closed shard ends: no next iterator once its records are read.
            String it = streams.getShardIterator(b -> b.streamArn(oldArn).shardId(shard.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            var page = streams.getRecords(b -> b.shardIterator(it));
            assertNull(page.nextShardIterator());
        }
        List<Record> oldRecords = StreamReader.readAll(streams, oldArn, 1000);
        assertEquals(List.of(s("before")), oldRecords.stream().map(r -> r.dynamodb().keys().get("pk")).toList());
        List<Record> newRecords = StreamReader.readAll(streams, newArn, 1000);
        assertEquals(List.of(s("after")), newRecords.stream().map(r -> r.dynamodb().keys().get("pk")).toList());
        assertEquals(item("after", 1, "x"), newRecords.get(0).dynamodb().newImage());

        List<String> listed = streams.listStreams(b -> b.tableName("Cycled")).streams().stream()
                .map(software.amazon.awssdk.services.dynamodb.model.Stream::streamArn).toList();
        assertEquals(List.of(oldArn, newArn), listed);
    }

    @Test
    void aDeletedTablesStreamIsDisabledAndStaysReadable() {
        String oldArn = createStreamed("Dropped", StreamViewType.NEW_AND_OLD_IMAGES).latestStreamArn();
        for (int i = 0; i < 6; i++) {
            int k = i;
            ddb.putItem(b -> b.tableName("Dropped").item(item("p" + k, k, "before")));
        }
        // An iterator taken while the table lived, at the end of a shard that has records.
        Shard busy = StreamReader.shards(streams, oldArn).stream()
                .filter(s -> !StreamReader.readShard(streams, oldArn, s.shardId(), 100).isEmpty()).findFirst().orElseThrow();
        String latest = streams.getShardIterator(b -> b.streamArn(oldArn).shardId(busy.shardId())
                .shardIteratorType(ShardIteratorType.LATEST)).shardIterator();

        ddb.deleteTable(b -> b.tableName("Dropped"));
        assertThrows(ResourceNotFoundException.class, () -> ddb.describeTable(b -> b.tableName("Dropped")));

        StreamDescription old = streams.describeStream(b -> b.streamArn(oldArn)).streamDescription();
        assertEquals(StreamStatus.DISABLED, old.streamStatus());
        assertEquals("Dropped", old.tableName());
        assertEquals(StreamViewType.NEW_AND_OLD_IMAGES, old.streamViewType());
        for (Shard shard : old.shards()) {
            assertNotNull(shard.sequenceNumberRange().endingSequenceNumber(), "a deleted table's shards are closed");
        }
        List<Record> records = StreamReader.readAll(streams, oldArn, 1000);
        assertEquals(6, records.size(), "every change made before the deletion, and no REMOVE for the dropped items");
        assertTrue(records.stream().allMatch(r -> r.eventName() == OperationType.INSERT));
        var afterDeletion = streams.getRecords(b -> b.shardIterator(latest));
        assertEquals(List.of(), afterDeletion.records());
        assertNull(afterDeletion.nextShardIterator(), "the shard closed with the deletion");
        assertTrue(streams.listStreams(b -> b.tableName("Dropped")).streams().stream().anyMatch(st -> st.streamArn().equals(oldArn)));

        // A new table of the same name has a stream of its own; the old one stays beside it.
        String newArn = createStreamed("Dropped", StreamViewType.KEYS_ONLY).latestStreamArn();
        assertNotEquals(oldArn, newArn);
        ddb.putItem(b -> b.tableName("Dropped").item(item("p0", 0, "after")));
        assertEquals(1, StreamReader.readAll(streams, newArn, 1000).size());
        assertEquals(records, StreamReader.readAll(streams, oldArn, 1000));
        assertEquals(List.of(oldArn, newArn), streams.listStreams(b -> b.tableName("Dropped")).streams().stream()
                .map(software.amazon.awssdk.services.dynamodb.model.Stream::streamArn).toList());
        assertEquals(newArn, ddb.describeTable(b -> b.tableName("Dropped")).table().latestStreamArn());
        ddb.deleteTable(b -> b.tableName("Dropped"));
    }

    @Test
    void streamSpecificationIsValidatedAsDynamoDbDoes() {
        TestTables.invalid("One or more parameter values were invalid: Table is being created with a stream enabled, UpdateViewType is required",
                () -> ddb.createTable(ControlPlaneTest.hashTable("NoViewType", ScalarAttributeType.S)
                        .streamSpecification(spec -> spec.streamEnabled(true)).build()));
        TestTables.invalid("One or more parameter values were invalid: Table is being created with a stream disabled, UpdateViewType should not be specified",
                () -> ddb.createTable(ControlPlaneTest.hashTable("ViewTypeDisabled", ScalarAttributeType.S)
                        .streamSpecification(spec -> spec.streamEnabled(false).streamViewType(StreamViewType.NEW_IMAGE)).build()));
        TestTables.invalid("1 validation error detected: Value 'SOME_IMAGES' at 'streamSpecification.streamViewType' failed to satisfy constraint: "
                        + "Member must satisfy enum value set: [NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES, KEYS_ONLY]",
                () -> ddb.createTable(ControlPlaneTest.hashTable("BadViewType", ScalarAttributeType.S)
                        .streamSpecification(spec -> spec.streamEnabled(true).streamViewType("SOME_IMAGES")).build()));
        assertFalse(ddb.listTables().tableNames().contains("NoViewType"));

        ddb.createTable(ControlPlaneTest.hashTable("Plain", ScalarAttributeType.S).streamSpecification(spec -> spec.streamEnabled(false)).build());
        TableDescription plain = ddb.describeTable(b -> b.tableName("Plain")).table();
        assertNull(plain.streamSpecification());
        assertNull(plain.latestStreamArn());
        assertTrue(streams.listStreams(b -> b.tableName("Plain")).streams().isEmpty());
        TestTables.invalid("One or more parameter values were invalid: If stream is being enabled then UpdateViewType is required",
                () -> ddb.updateTable(b -> b.tableName("Plain").streamSpecification(spec -> spec.streamEnabled(true))));
        TestTables.invalid("One or more parameter values were invalid: If stream is being disabled, then UpdateViewType must not be specified",
                () -> ddb.updateTable(b -> b.tableName("Plain")
                        .streamSpecification(spec -> spec.streamEnabled(false).streamViewType(StreamViewType.KEYS_ONLY))));
        TestTables.invalid("One or more parameter values were invalid: You cannot modify stream status while updating table IOPS",
                () -> ddb.updateTable(b -> b.tableName("Plain").provisionedThroughput(p -> p.readCapacityUnits(1L).writeCapacityUnits(1L))
                        .streamSpecification(spec -> spec.streamEnabled(true).streamViewType(StreamViewType.KEYS_ONLY))));
        assertNull(ddb.describeTable(b -> b.tableName("Plain")).table().latestStreamArn(), "nothing changed");
    }

    @Test
    void badStreamRequestsGetDynamoDbErrors() {
        TableDescription created = createStreamed("Errors", StreamViewType.KEYS_ONLY);
        String arn = created.latestStreamArn();
        String shardId = StreamReader.shards(streams, arn).get(0).shardId();

        DynamoDbException badArn = assertThrows(DynamoDbException.class,
                () -> streams.describeStream(b -> b.streamArn("sdfadfsdfnlfkajakfgjalksfgklasjklasdjfklasdfasdfgasf")));
        assertEquals("ValidationException", badArn.awsErrorDetails().errorCode());
        assertThrows(ResourceNotFoundException.class, () -> streams.describeStream(b -> b.streamArn(
                "arn:aws:dynamodb:us-east-1:000000000000:table/Errors/stream/2001-01-01T00:00:00.000")));
        assertThrows(ResourceNotFoundException.class, () -> streams.getShardIterator(b -> b.streamArn(arn)
                .shardId("shardId-00000000000000000000-00000000").shardIteratorType(ShardIteratorType.LATEST)));

        DynamoDbException limit = assertThrows(DynamoDbException.class, () -> streams.listStreams(b -> b.limit(0)));
        assertEquals("1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: "
                + "Member must have value greater than or equal to 1", limit.awsErrorDetails().errorMessage());
        String iterator = streams.getShardIterator(b -> b.streamArn(arn).shardId(shardId)
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        DynamoDbException tooMany = assertThrows(DynamoDbException.class,
                () -> streams.getRecords(b -> b.shardIterator(iterator).limit(1001)));
        assertEquals("1 validation error detected: Value '1001' at 'limit' failed to satisfy constraint: "
                + "Member must have value less than or equal to 1000", tooMany.awsErrorDetails().errorMessage());
        DynamoDbException badIterator = assertThrows(DynamoDbException.class,
                () -> streams.getRecords(b -> b.shardIterator("sdfsdfsgagaddafgagasgasgasdfasdfasdfasdfasdgasdasdgasdg")));
        assertEquals("ValidationException", badIterator.awsErrorDetails().errorCode());
        for (ShardIteratorType type : List.of(ShardIteratorType.AT_SEQUENCE_NUMBER, ShardIteratorType.AFTER_SEQUENCE_NUMBER)) {
            DynamoDbException missing = assertThrows(DynamoDbException.class,
                    () -> streams.getShardIterator(b -> b.streamArn(arn).shardId(shardId).shardIteratorType(type)));
            assertEquals("ValidationException", missing.awsErrorDetails().errorCode());
        }
        DynamoDbException extra = assertThrows(DynamoDbException.class, () -> streams.getShardIterator(b -> b.streamArn(arn)
                .shardId(shardId).shardIteratorType(ShardIteratorType.LATEST).sequenceNumber("000000000000000000001")));
        assertEquals("ValidationException", extra.awsErrorDetails().errorCode());
        DynamoDbException badType = assertThrows(DynamoDbException.class, () -> streams.getShardIterator(b -> b.streamArn(arn)
                .shardId(shardId).shardIteratorType("bulle")));
        assertEquals("1 validation error detected: Value 'bulle' at 'shardIteratorType' failed to satisfy constraint: "
                + "Member must satisfy enum value set: [TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER]",
                badType.awsErrorDetails().errorMessage());
        DynamoDbException notInShard = assertThrows(DynamoDbException.class, () -> streams.getShardIterator(b -> b.streamArn(arn)
                .shardId(shardId).shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER).sequenceNumber("999999999999999999999")));
        assertEquals("ValidationException", notInShard.awsErrorDetails().errorCode());
    }
}
