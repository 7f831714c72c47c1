package io.eddy.gateway;

import static io.eddy.gateway.TestTables.n;
import static io.eddy.gateway.TestTables.rejected;
import static io.eddy.gateway.TestTables.s;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Condition;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Per-key permissions ({@code eddy.auth.permissions}) with requests the AWS SDK signs: each
 * request needs IAM's actions on the resources it names, and a refused one changes nothing.
 */
class AccessPolicyTest {

    private static final String MUSIC = "arn:aws:dynamodb:us-east-1:000000000000:table/Music";
    private static final String OTHER = "arn:aws:dynamodb:us-east-1:000000000000:table/Other";

    @TempDir
    Path dataDir;

    private static DynamoDbClient client(TestNode node, String key) {
        return DynamoDbClient.builder().endpointOverride(node.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(key, key + "-secret")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    private static String denied(String key, String action, String resource) {
        return "User: arn:aws:iam::000000000000:user/" + key + " is not authorized to perform: " + action + " on resource: " + resource
                + " because no identity-based policy allows the " + action + " action";
    }

    /** Music, with a global index byYear, and Other. */
    private static void createTables(DynamoDbClient admin) {
        admin.createTable(b -> b.tableName("Music").billingMode("PAY_PER_REQUEST")
                    .attributeDefinitions(d -> d.attributeName("Artist").attributeType(ScalarAttributeType.S),
                            d -> d.attributeName("Title").attributeType(ScalarAttributeType.S),
                            d -> d.attributeName("Year").attributeType(ScalarAttributeType.N))
                    .keySchema(k -> k.attributeName("Artist").keyType(KeyType.HASH), k -> k.attributeName("Title").keyType(KeyType.RANGE))
                    .globalSecondaryIndexes(g -> g.indexName("byYear").keySchema(k -> k.attributeName("Year").keyType(KeyType.HASH))
                            .projection(p -> p.projectionType(ProjectionType.ALL))));
            TestTables.create(admin, "Other", "Artist", ScalarAttributeType.S, "Title", ScalarAttributeType.S);
    }

    private static Map<String, AttributeValue> song(String title) {
        return Map.of("Artist", s("Arvo Pärt"), "Title", s(title), "Year", n("1977"));
    }

    @Test
    void eachRequestNeedsItsActionsOnWhatItNames() throws Exception {
        Map<String, Object> settings = Map.of(
                "eddy.auth.credentials", Map.of("ADMIN", "ADMIN-secret", "READER", "READER-secret", "WRITER", "WRITER-secret"),
                "eddy.auth.permissions.READER", List.of(Map.of(
                        "actions", List.of("dynamodb:Get*", "dynamodb:query"),
                        "resources", List.of("arn:aws:dynamodb:*:*:table/Music", "arn:aws:dynamodb:*:*:table/Music/index/*"))),
                "eddy.auth.permissions.WRITER", List.of(Map.of(
                        "actions", List.of("dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:BatchWriteItem", "dynamodb:PartiQLInsert",
                                "dynamodb:ExportTableToPointInTime", "dynamodb:ImportTable"),
                        "resources", List.of(MUSIC))));
        try (TestNode node = TestNode.start(dataDir, settings);
             DynamoDbClient admin = client(node, "ADMIN"); DynamoDbClient reader = client(node, "READER");
             DynamoDbClient writer = client(node, "WRITER")) {
            // A key without permissions may do anything.
            createTables(admin);

            writer.putItem(b -> b.tableName("Music").item(song("Fratres")));
            writer.executeStatement(b -> b.statement("INSERT INTO \"Music\" VALUE {'Artist': 'Arvo Pärt', 'Title': 'Spiegel', 'Year': 1978}"));
            writer.transactWriteItems(b -> b.transactItems(t -> t.put(p -> p.tableName("Music").item(song("Tabula"))),
                    t -> t.update(u -> u.tableName("Music").key(Map.of("Artist", s("Arvo Pärt"), "Title", s("Fratres")))
                            .updateExpression("SET Plays = :one").expressionAttributeValues(Map.of(":one", n("1"))))));
            rejected("AccessDeniedException", denied("WRITER", "dynamodb:DeleteItem", MUSIC),
                    () -> writer.transactWriteItems(b -> b.transactItems(t -> t.put(p -> p.tableName("Music").item(song("Para"))),
                            t -> t.delete(d -> d.tableName("Music").key(Map.of("Artist", s("Arvo Pärt"), "Title", s("Tabula")))))));
            rejected("AccessDeniedException", denied("WRITER", "dynamodb:BatchWriteItem", OTHER),
                    () -> writer.batchWriteItem(b -> b.requestItems(Map.of(
                            "Music", List.of(WriteRequest.builder().putRequest(p -> p.item(song("Alina"))).build()),
                            "Other", List.of(WriteRequest.builder().putRequest(p -> p.item(song("Alina"))).build())))));
            rejected("AccessDeniedException", denied("WRITER", "dynamodb:PartiQLSelect", MUSIC),
                    () -> writer.executeStatement(b -> b.statement("SELECT * FROM \"Music\"")));
            rejected("AccessDeniedException", denied("WRITER", "dynamodb:GetItem", MUSIC),
                    () -> writer.getItem(b -> b.tableName("Music").key(Map.of("Artist", s("Arvo Pärt"), "Title", s("Tabula")))));

            assertEquals("1", reader.getItem(b -> b.tableName("Music").key(Map.of("Artist", s("Arvo Pärt"), "Title", s("Fratres"))))
                    .item().get("Plays").n());
            // A global index follows its table asynchronously: the reader may query it once it has both songs.
            GlobalSecondaryIndexTest.awaitUntil("byYear has both songs", () -> reader.query(b -> b.tableName("Music").indexName("byYear")
                    .keyConditionExpression("#y = :y").expressionAttributeNames(Map.of("#y", "Year"))
                    .expressionAttributeValues(Map.of(":y", n("1977")))).count() == 2);
            rejected("AccessDeniedException", denied("READER", "dynamodb:PutItem", MUSIC),
                    () -> reader.putItem(b -> b.tableName("Music").item(song("Refused"))));
            rejected("AccessDeniedException", denied("READER", "dynamodb:GetItem", OTHER),
                    () -> reader.getItem(b -> b.tableName("Other").key(Map.of("Artist", s("Arvo Pärt"), "Title", s("Alina")))));
            rejected("AccessDeniedException", denied("READER", "dynamodb:Scan", MUSIC), () -> reader.scan(b -> b.tableName("Music")));
            rejected("AccessDeniedException", denied("READER", "dynamodb:ListTables", "*"), reader::listTables);

            // Only the fields an operation takes name what it needs: a spare one changes nothing.
            var readerKey = AwsBasicCredentials.create("READER", "READER-secret");
            assertDenied(TestTables.signed(node, readerKey, "DeleteTable",
                    "{'TableName': 'Other', 'TransactItems': [{'Get': {'TableName': 'Music', 'Key': {}}}]}"), denied("READER", "dynamodb:DeleteTable", OTHER));
            assertDenied(TestTables.signed(node, readerKey, "PutItem",
                    "{'TableName': 'Other', 'Item': {'Artist': {'S': 'a'}, 'Title': {'S': 'b'}}, 'Statement': 'SELECT * FROM \\'Music\\''}"),
                    denied("READER", "dynamodb:PutItem", OTHER));
            assertDenied(TestTables.signed(node, readerKey, "DeleteItem",
                    "{'TableName': 'Music', 'IndexName': 'byYear', 'Key': {'Artist': {'S': 'Arvo Pärt'}, 'Title': {'S': 'Fratres'}}}"),
                    denied("READER", "dynamodb:DeleteItem", MUSIC));
            // An export is of its TableArn's table, taken as this region's whatever region the ARN names; an import, of its
            // TableCreationParameters' table; an export's description, of the export.
            var writerKey = AwsBasicCredentials.create("WRITER", "WRITER-secret");
            assertDenied(TestTables.signed(node, writerKey, "ExportTableToPointInTime", "{'TableArn': "
                    + "'arn:aws:dynamodb:eu-south-9:000000000000:table/Other', 'TableName': 'Music', 'S3Bucket': 'bucket'}"),
                    denied("WRITER", "dynamodb:ExportTableToPointInTime", OTHER));
            assertDenied(TestTables.signed(node, writerKey, "ImportTable", "{'TableName': 'Music', 'TableCreationParameters': "
                    + "{'TableName': 'Other'}, 'S3BucketSource': {'S3Bucket': 'bucket'}, 'InputFormat': 'CSV'}"),
                    denied("WRITER", "dynamodb:ImportTable", OTHER));
            assertDenied(TestTables.signed(node, writerKey, "DescribeExport", "{'TableName': 'Music', 'ExportArn': '" + OTHER
                    + "/export/01700000000000-abcdef12'}"), denied("WRITER", "dynamodb:DescribeExport", OTHER + "/export/01700000000000-abcdef12"));
            // A malformed transaction needs nothing, and is refused by its operation.
            assertEquals("com.amazon.coral.validate#ValidationException", TestTables.signed(node, readerKey, "TransactWriteItems",
                    "{'TransactItems': []}").body().path("__type").asText());

            // Nothing a refused request carried was written.
            assertEquals(3, admin.scan(b -> b.tableName("Music")).count());
            assertEquals(0, admin.scan(b -> b.tableName("Other")).count());
            assertEquals(List.of("Music", "Other"), admin.listTables().tableNames());
        }
    }

    @Test
    void streamReadsAreAuthorizedOnTheStreamTheIteratorReads() throws Exception {
        Map<String, Object> settings = Map.of(
                "eddy.auth.credentials", Map.of("ADMIN", "ADMIN-secret", "STREAMER", "STREAMER-secret", "READER", "READER-secret"),
                "eddy.auth.permissions.STREAMER", List.of(Map.of(
                        "actions", List.of("dynamodb:DescribeStream", "dynamodb:GetShardIterator", "dynamodb:GetRecords"),
                        "resources", List.of("arn:aws:dynamodb:*:*:table/Music/stream/*"))),
                "eddy.auth.permissions.READER", List.of(Map.of("actions", List.of("dynamodb:*"), "resources", List.of(MUSIC))));
        try (TestNode node = TestNode.start(dataDir, settings); DynamoDbClient admin = client(node, "ADMIN");
             var streamer = streamsClient(node, "STREAMER"); var reader = streamsClient(node, "READER")) {
            TestTables.create(admin, "Music", "Artist", ScalarAttributeType.S, "Title", ScalarAttributeType.S);
            String streamArn = admin.updateTable(b -> b.tableName("Music").streamSpecification(sp -> sp.streamEnabled(true)
                    .streamViewType("NEW_IMAGE"))).tableDescription().latestStreamArn();
            admin.putItem(b -> b.tableName("Music").item(Map.of("Artist", s("Arvo Pärt"), "Title", s("Fratres"))));

            String shard = streamer.describeStream(b -> b.streamArn(streamArn)).streamDescription().shards().stream()
                    .map(software.amazon.awssdk.services.dynamodb.model.Shard::shardId).toList().get(0);
            String iterator = streamer.getShardIterator(b -> b.streamArn(streamArn).shardId(shard).shardIteratorType("TRIM_HORIZON"))
                    .shardIterator();
            streamer.getRecords(b -> b.shardIterator(iterator));
            rejected("AccessDeniedException", denied("READER", "dynamodb:GetRecords", streamArn),
                    () -> reader.getRecords(b -> b.shardIterator(iterator)));
        }
    }

    private static software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient streamsClient(TestNode node, String key) {
        return software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient.builder().endpointOverride(node.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(key, key + "-secret")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    @Test
    void anEffectOtherThanAllowOrDenyIsRefusedAtStart() {
        Map<String, Object> settings = Map.of("eddy.auth.credentials", Map.of("K", "K-secret"),
                "eddy.auth.permissions.K", List.of(Map.of("effect", "Maybe", "actions", List.of("dynamodb:*"), "resources", List.of("*"))));
        Exception refused = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> TestNode.start(dataDir, settings).close());
        org.junit.jupiter.api.Assertions.assertTrue(String.valueOf(refused.getMessage()).contains("effect is Allow or Deny, not Maybe")
                || String.valueOf(refused.getCause()).contains("effect is Allow or Deny, not Maybe"), String.valueOf(refused));
    }

    private static String explicitlyDenied(String key, String action, String resource, String policyKind) {
        return "User: arn:aws:iam::000000000000:user/" + key + " is not authorized to perform: " + action + " on resource: " + resource
                + " with an explicit deny in " + policyKind + " policy";
    }

    private static String policy(String... statements) {
        return ("{'Version': '2012-10-17', 'Statement': [" + String.join(", ", statements) + "]}").replace('\'', '"');
    }

    @Test
    void resourcePoliciesAllowAndDenyBesideTheKeysOwnPolicies() throws Exception {
        Map<String, Object> settings = Map.of(
                "eddy.auth.credentials", Map.of("ADMIN", "ADMIN-secret", "READER", "READER-secret", "GUEST", "GUEST-secret",
                        "CREATOR", "CREATOR-secret"),
                "eddy.auth.permissions.CREATOR", List.of(Map.of("actions", List.of("dynamodb:CreateTable"), "resources", List.of("*"))),
                "eddy.auth.permissions.ADMIN", List.of(
                        Map.of("actions", List.of("dynamodb:*"), "resources", List.of("*")),
                        Map.of("effect", "Deny", "actions", List.of("dynamodb:DeleteTable"), "resources", List.of(OTHER))),
                "eddy.auth.permissions.READER", List.of(Map.of("actions", List.of("dynamodb:GetItem", "dynamodb:Query"),
                        "resources", List.of(MUSIC, MUSIC + "/index/*"))));
        try (TestNode node = TestNode.start(dataDir, settings); DynamoDbClient admin = client(node, "ADMIN");
             DynamoDbClient reader = client(node, "READER"); DynamoDbClient guest = client(node, "GUEST");
             DynamoDbClient creator = client(node, "CREATOR")) {
            createTables(admin);
            // A Deny in the key's own policy.
            rejected("AccessDeniedException", explicitlyDenied("ADMIN", "dynamodb:DeleteTable", OTHER, "an identity-based"),
                    () -> admin.deleteTable(b -> b.tableName("Other")));

            rejected("AccessDeniedException", denied("READER", "dynamodb:PutItem", MUSIC),
                    () -> reader.putItem(b -> b.tableName("Music").item(song("Fratres"))));
            admin.putResourcePolicy(b -> b.resourceArn(MUSIC).policy(policy(
                    // An Allow naming a user grants what the user's own policy does not.
                    "{'Effect': 'Allow', 'Principal': {'AWS': 'arn:aws:iam::000000000000:user/READER'}, 'Action': 'dynamodb:PutItem', 'Resource': '" + MUSIC + "'}",
                    // The table's policy governs its indexes.
                    "{'Effect': 'Deny', 'Principal': {'AWS': 'arn:aws:iam::000000000000:user/READER'}, 'Action': 'dynamodb:Query', 'Resource': '" + MUSIC + "/index/*'}",
                    // A Deny naming the account speaks for every key, even one allowed everything.
                    "{'Effect': 'Deny', 'Principal': {'AWS': '000000000000'}, 'Action': 'dynamodb:Scan', 'Resource': '" + MUSIC + "'}",
                    "{'Effect': 'Deny', 'Principal': '*', 'Action': 'dynamodb:DeleteItem', 'Resource': '*', 'Condition': {'StringEquals': {'aws:username': 'GUEST'}}}")));
            reader.putItem(b -> b.tableName("Music").item(song("Fratres")));
            assertEquals(1, reader.query(b -> b.tableName("Music").keyConditionExpression("Artist = :a")
                    .expressionAttributeValues(Map.of(":a", s("Arvo Pärt")))).count());
            rejected("AccessDeniedException", explicitlyDenied("READER", "dynamodb:Query", MUSIC + "/index/byYear", "a resource-based"),
                    () -> reader.query(b -> b.tableName("Music").indexName("byYear").keyConditionExpression("#y = :y")
                            .expressionAttributeNames(Map.of("#y", "Year")).expressionAttributeValues(Map.of(":y", n("1977")))));
            rejected("AccessDeniedException", explicitlyDenied("ADMIN", "dynamodb:Scan", MUSIC, "a resource-based"),
                    () -> admin.scan(b -> b.tableName("Music")));
            rejected("AccessDeniedException", explicitlyDenied("GUEST", "dynamodb:DeleteItem", MUSIC, "a resource-based"),
                    () -> guest.deleteItem(b -> b.tableName("Music").key(Map.of("Artist", s("Arvo Pärt"), "Title", s("Fratres")))));
            // A table's policy says nothing of another table, even where its Resource is "*".
            guest.deleteItem(b -> b.tableName("Other").key(Map.of("Artist", s("Arvo Pärt"), "Title", s("Fratres"))));
            assertEquals("1977", guest.getItem(b -> b.tableName("Music").key(Map.of("Artist", s("Arvo Pärt"), "Title", s("Fratres"))))
                    .item().get("Year").n());

            // A policy that would refuse the caller the next PutResourcePolicy needs ConfirmRemoveSelfResourceAccess.
            String lockout = policy("{'Effect': 'Deny', 'Principal': {'AWS': '000000000000'}, 'Action': 'dynamodb:PutResourcePolicy', 'Resource': '*'}");
            String revision = admin.getResourcePolicy(b -> b.resourceArn(MUSIC)).revisionId();
            rejected("AccessDeniedException", "The new resource policy will not allow you to update the resource policy in the future.",
                    () -> admin.putResourcePolicy(b -> b.resourceArn(MUSIC).policy(lockout)));
            assertEquals(revision, admin.getResourcePolicy(b -> b.resourceArn(MUSIC)).revisionId());
            admin.putResourcePolicy(b -> b.resourceArn(MUSIC).policy(lockout).confirmRemoveSelfResourceAccess(true));
            rejected("AccessDeniedException", explicitlyDenied("ADMIN", "dynamodb:PutResourcePolicy", MUSIC, "a resource-based"),
                    () -> admin.putResourcePolicy(b -> b.resourceArn(MUSIC).policy(lockout)));
            admin.scan(b -> b.tableName("Music"));
            admin.deleteResourcePolicy(b -> b.resourceArn(MUSIC));
            admin.putResourcePolicy(b -> b.resourceArn(MUSIC).policy(lockout.replace("PutResourcePolicy", "Scan")));
            // Creating a table with a policy needs PutResourcePolicy as well.
            String third = "arn:aws:dynamodb:us-east-1:000000000000:table/Third";
            rejected("AccessDeniedException", denied("CREATOR", "dynamodb:PutResourcePolicy", third),
                    () -> creator.createTable(b -> b.tableName("Third").billingMode("PAY_PER_REQUEST").resourcePolicy(lockout)
                            .attributeDefinitions(d -> d.attributeName("Artist").attributeType(ScalarAttributeType.S))
                            .keySchema(k -> k.attributeName("Artist").keyType(KeyType.HASH))));
            creator.createTable(b -> b.tableName("Third").billingMode("PAY_PER_REQUEST")
                    .attributeDefinitions(d -> d.attributeName("Artist").attributeType(ScalarAttributeType.S))
                    .keySchema(k -> k.attributeName("Artist").keyType(KeyType.HASH)));
        }
    }

    @Test
    void tagsARequestSetsByRequestTagAndTagKeys() throws Exception {
        // Tables only with the tag team=blue, and no other tag, as tag-based access control grants it.
        Map<String, Object> blueOnly = Map.of(
                "actions", List.of("dynamodb:CreateTable", "dynamodb:TagResource", "dynamodb:DeleteItem"),
                "resources", List.of("arn:aws:dynamodb:us-east-1:000000000000:table/*"),
                "conditions", Map.of("\"StringEquals\"", Map.of("\"aws:RequestTag/team\"", List.of("blue")),
                        "\"ForAllValues:StringEqualsIgnoreCase\"", Map.of("\"aws:TagKeys\"", List.of("team"))));
        Map<String, Object> settings = Map.of(
                "eddy.auth.credentials", Map.of("ADMIN", "ADMIN-secret", "erin", "erin-secret"),
                "eddy.auth.permissions.erin", List.of(blueOnly));
        try (TestNode node = TestNode.start(dataDir, settings); DynamoDbClient erin = client(node, "erin")) {
            String red = "arn:aws:dynamodb:us-east-1:000000000000:table/Red";
            rejected("AccessDeniedException", denied("erin", "dynamodb:CreateTable", red), () -> erin.createTable(b -> b.tableName("Red")
                    .billingMode("PAY_PER_REQUEST").tags(t -> t.key("team").value("red"))
                    .attributeDefinitions(d -> d.attributeName("Id").attributeType(ScalarAttributeType.S))
                    .keySchema(k -> k.attributeName("Id").keyType(KeyType.HASH))));
            rejected("AccessDeniedException", denied("erin", "dynamodb:CreateTable", red), () -> erin.createTable(b -> b.tableName("Red")
                    .billingMode("PAY_PER_REQUEST")
                    .attributeDefinitions(d -> d.attributeName("Id").attributeType(ScalarAttributeType.S))
                    .keySchema(k -> k.attributeName("Id").keyType(KeyType.HASH))));
            erin.createTable(b -> b.tableName("Blue").billingMode("PAY_PER_REQUEST").tags(t -> t.key("team").value("blue"))
                    .attributeDefinitions(d -> d.attributeName("Id").attributeType(ScalarAttributeType.S))
                    .keySchema(k -> k.attributeName("Id").keyType(KeyType.HASH)));
            String blue = "arn:aws:dynamodb:us-east-1:000000000000:table/Blue";
            rejected("AccessDeniedException", denied("erin", "dynamodb:TagResource", blue), () -> erin.tagResource(b -> b.resourceArn(blue)
                    .tags(t -> t.key("team").value("blue"), t -> t.key("cost").value("1"))));
            erin.tagResource(b -> b.resourceArn(blue).tags(t -> t.key("team").value("blue")));
            // Only the operations that set tags have the request's tags: Tags sent to a DeleteItem name nothing.
            assertDenied(TestTables.signed(node, AwsBasicCredentials.create("erin", "erin-secret"), "DeleteItem",
                    "{'TableName': 'Blue', 'Key': {'Id': {'S': 'x'}}, 'Tags': [{'Key': 'team', 'Value': 'blue'}]}"),
                    denied("erin", "dynamodb:DeleteItem", blue));
            // Two tags whose keys differ only in case: which one a condition on aws:RequestTag/team means is not decided.
            assertDenied(TestTables.signed(node, AwsBasicCredentials.create("erin", "erin-secret"), "TagResource",
                    "{'ResourceArn': '" + blue + "', 'Tags': [{'Key': 'team', 'Value': 'blue'}, {'Key': 'Team', 'Value': 'red'}]}"),
                    denied("erin", "dynamodb:TagResource", blue));
        }
    }

    @Test
    void accessForAPeriodByDateAndNumericConditions() throws Exception {
        String diary = "arn:aws:dynamodb:us-east-1:000000000000:table/Diary";
        // Reads until the end of 2999 (and after an epoch second long past); writes only from 3000 on.
        Map<String, Object> untilThen = Map.of("actions", List.of("dynamodb:GetItem"), "resources", List.of(diary),
                "conditions", Map.of("\"DateLessThan\"", Map.of("\"aws:CurrentTime\"", List.of("3000-01-01T00:00:00Z")),
                        "\"NumericGreaterThan\"", Map.of("\"aws:EpochTime\"", List.of("1000000000"))));
        Map<String, Object> fromThen = Map.of("actions", List.of("dynamodb:PutItem"), "resources", List.of(diary),
                "conditions", Map.of("\"DateGreaterThanEquals\"", Map.of("\"aws:CurrentTime\"", List.of("3000-01-01"))));
        Map<String, Object> settings = Map.of(
                "eddy.auth.credentials", Map.of("ADMIN", "ADMIN-secret", "fay", "fay-secret"),
                "eddy.auth.permissions.fay", List.of(untilThen, fromThen));
        try (TestNode node = TestNode.start(dataDir, settings); DynamoDbClient admin = client(node, "ADMIN");
             DynamoDbClient fay = client(node, "fay")) {
            TestTables.create(admin, "Diary", "Day", ScalarAttributeType.S, null, null);
            admin.putItem(b -> b.tableName("Diary").item(Map.of("Day", s("monday"))));
            assertEquals("monday", fay.getItem(b -> b.tableName("Diary").key(Map.of("Day", s("monday")))).item().get("Day").s());
            rejected("AccessDeniedException", denied("fay", "dynamodb:PutItem", diary),
                    () -> fay.putItem(b -> b.tableName("Diary").item(Map.of("Day", s("tuesday")))));
        }
    }

    @Test
    void accessFromAddressesBySourceIp() throws Exception {
        String ledger = "arn:aws:dynamodb:us-east-1:000000000000:table/Ledger";
        // The test's client connects from 127.0.0.1: reads from the loopback range, writes only from a documentation range.
        Map<String, Object> reads = Map.of("actions", List.of("dynamodb:GetItem"), "resources", List.of(ledger),
                "conditions", Map.of("\"IpAddress\"", Map.of("\"aws:SourceIp\"", List.of("127.0.0.0/8"))));
        Map<String, Object> writes = Map.of("actions", List.of("dynamodb:PutItem"), "resources", List.of(ledger),
                "conditions", Map.of("\"IpAddress\"", Map.of("\"aws:SourceIp\"", List.of("192.0.2.0/24", "::1"))));
        Map<String, Object> settings = Map.of(
                "eddy.auth.credentials", Map.of("ADMIN", "ADMIN-secret", "gus", "gus-secret"),
                "eddy.auth.permissions.gus", List.of(reads, writes));
        try (TestNode node = TestNode.start(dataDir, settings); DynamoDbClient admin = client(node, "ADMIN");
             DynamoDbClient gus = client(node, "gus")) {
            TestTables.create(admin, "Ledger", "Id", ScalarAttributeType.S, null, null);
            admin.putItem(b -> b.tableName("Ledger").item(Map.of("Id", s("first"))));
            assertEquals("first", gus.getItem(b -> b.tableName("Ledger").key(Map.of("Id", s("first")))).item().get("Id").s());
            rejected("AccessDeniedException", denied("gus", "dynamodb:PutItem", ledger),
                    () -> gus.putItem(b -> b.tableName("Ledger").item(Map.of("Id", s("second")))));
            // A table's policy that refuses every address but the clients' own network: the admin from loopback is let through.
            admin.putResourcePolicy(b -> b.resourceArn(ledger).policy(policy(
                    "{'Effect': 'Deny', 'Principal': '*', 'Action': 'dynamodb:*', 'Resource': '*',"
                            + " 'Condition': {'NotIpAddress': {'aws:SourceIp': ['10.1.0.0/16']}, 'StringEquals': {'aws:username': 'gus'}}}")));
            rejected("AccessDeniedException", explicitlyDenied("gus", "dynamodb:GetItem", ledger, "a resource-based"),
                    () -> gus.getItem(b -> b.tableName("Ledger").key(Map.of("Id", s("first")))));
            admin.putItem(b -> b.tableName("Ledger").item(Map.of("Id", s("third"))));
            assertEquals(2, admin.scan(b -> b.tableName("Ledger")).count());
        }
        // Behind a trusted proxy (the test's loopback), X-Forwarded-For names the client.
        Map<String, Object> proxied = new java.util.HashMap<>(settings);
        proxied.put("eddy.http.trusted-proxies", List.of("127.0.0.0/8"));
        try (TestNode node = TestNode.start(dataDir, proxied); DynamoDbClient admin = client(node, "ADMIN")) {
            admin.deleteResourcePolicy(b -> b.resourceArn(ledger));
            var gus = AwsBasicCredentials.create("gus", "gus-secret");
            String put = "{'TableName': 'Ledger', 'Item': {'Id': {'S': 'proxied'}}}";
            assertEquals(200, TestTables.signed(node, gus, "PutItem", put, Map.of("X-Forwarded-For", "192.0.2.44")).status());
            assertDenied(TestTables.signed(node, gus, "PutItem", put, Map.of("X-Forwarded-For", "198.51.100.44")),
                    denied("gus", "dynamodb:PutItem", ledger));
            // A proxy that adds a header of its own behind the client's: every header is read, the last hop first.
            Map<String, String> twoHeaders = new java.util.LinkedHashMap<>();
            twoHeaders.put("X-Forwarded-For", "192.0.2.44");
            twoHeaders.put("x-forwarded-for", "198.51.100.44");
            assertDenied(TestTables.signed(node, gus, "PutItem", put, twoHeaders), denied("gus", "dynamodb:PutItem", ledger));
        }
    }

    /** An admin API call signed with {@code key}, as {@code curl --aws-sigv4} sends one. */
    private static java.net.http.HttpResponse<String> admin(TestNode node, String key, String method, String path, String body)
            throws Exception {
        var unsigned = software.amazon.awssdk.http.SdkHttpRequest.builder()
                .method(software.amazon.awssdk.http.SdkHttpMethod.fromValue(method)).uri(node.endpoint().resolve(path)).build();
        var signed = software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsBasicCredentials.create(key, key + "-secret")).request(unsigned)
                .payload(software.amazon.awssdk.http.ContentStreamProvider.fromUtf8String(body == null ? "" : body))
                .putProperty(software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner.SERVICE_SIGNING_NAME, "dynamodb")
                .putProperty(software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner.REGION_NAME, "us-east-1"));
        var request = java.net.http.HttpRequest.newBuilder(signed.request().getUri()).method(method, body == null
                ? java.net.http.HttpRequest.BodyPublishers.noBody() : java.net.http.HttpRequest.BodyPublishers.ofString(body));
        signed.request().forEachHeader((name, values) -> {
            if (!List.of("host", "content-length").contains(name.toLowerCase())) request.header(name, values.get(0));
        });
        return RawHttp.oneShotClient().send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void adminCallsNeedTheirActions() throws Exception {
        String feed = "arn:aws:dynamodb:us-east-1:000000000000:table/Feed";
        Map<String, Object> settings = Map.of(
                "eddy.auth.credentials", Map.of("ADMIN", "ADMIN-secret", "ops", "ops-secret", "reader", "reader-secret"),
                "eddy.auth.permissions.ops", List.of(Map.of("actions", List.of("eddy:PutTrigger", "eddy:GetTrigger"), "resources", List.of(feed))),
                "eddy.auth.permissions.reader", List.of(Map.of("actions", List.of("dynamodb:GetItem"), "resources", List.of("*"))));
        try (TestNode node = TestNode.start(dataDir, settings); DynamoDbClient admin = client(node, "ADMIN")) {
            admin.createTable(b -> b.tableName("Feed").billingMode("PAY_PER_REQUEST")
                    .attributeDefinitions(d -> d.attributeName("id").attributeType(ScalarAttributeType.S))
                    .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH))
                    .streamSpecification(st -> st.streamEnabled(true).streamViewType("NEW_IMAGE")));
            String trigger = "{\"table\": \"Feed\", \"endpoint\": \"http://127.0.0.1:9/\"}";
            // A trigger sends the table's stream to a URL: only a key given eddy:PutTrigger may make one.
            var refused = admin(node, "reader", "PUT", "/admin/triggers/out", trigger);
            assertEquals(403, refused.statusCode(), refused.body());
            assertEquals(denied("reader", "eddy:PutTrigger", feed), Json.MAPPER.readTree(refused.body()).path("message").asText(),
                    refused.body());
            assertEquals(200, admin(node, "ops", "PUT", "/admin/triggers/out", trigger).statusCode());
            assertEquals(200, admin(node, "ops", "GET", "/admin/triggers/out", null).statusCode());
            assertEquals(403, admin(node, "ops", "DELETE", "/admin/triggers/out", null).statusCode());
            // The list holds the triggers of the tables a key may list: none for ops.
            assertEquals(0, Json.MAPPER.readTree(admin(node, "ops", "GET", "/admin/triggers", null).body()).path("Triggers").size());
            assertEquals(1, Json.MAPPER.readTree(admin(node, "ADMIN", "GET", "/admin/triggers", null).body()).path("Triggers").size());
            // A trigger that does not exist is refused as a forbidden one is, not told apart by a 404.
            assertEquals(403, admin(node, "reader", "GET", "/admin/triggers/nothing", null).statusCode());
            assertEquals(404, admin(node, "ADMIN", "GET", "/admin/triggers/nothing", null).statusCode());
            assertEquals(200, admin(node, "ADMIN", "DELETE", "/admin/triggers/out", null).statusCode());

            // A Contributor Insights rule's report: DescribeContributorInsights on its table.
            admin.updateContributorInsights(b -> b.tableName("Feed").contributorInsightsAction("ENABLE"));
            String rule = admin.describeContributorInsights(b -> b.tableName("Feed")).contributorInsightsRuleList().get(0);
            var report = admin(node, "reader", "GET", "/admin/contributor-insights/" + rule, null);
            assertEquals(403, report.statusCode(), report.body());
            assertEquals(denied("reader", "dynamodb:DescribeContributorInsights", feed),
                    Json.MAPPER.readTree(report.body()).path("message").asText());
            assertEquals(200, admin(node, "ADMIN", "GET", "/admin/contributor-insights/" + rule, null).statusCode());
        }
    }

    @Test
    void writesOnlyInsideTransactionsByEnclosingOperation() throws Exception {
        String ledger = "arn:aws:dynamodb:us-east-1:000000000000:table/Ledger";
        // Puts and PartiQL inserts only as parts of a transaction, as AWS's examples grant them.
        Map<String, Object> transactionalOnly = Map.of(
                "actions", List.of("dynamodb:PutItem", "dynamodb:PartiQLInsert"),
                "resources", List.of(ledger),
                "conditions", Map.of("\"StringEquals\"", Map.of("\"dynamodb:EnclosingOperation\"",
                        List.of("TransactWriteItems", "ExecuteTransaction"))));
        Map<String, Object> settings = Map.of(
                "eddy.auth.credentials", Map.of("ADMIN", "ADMIN-secret", "dave", "dave-secret"),
                "eddy.auth.permissions.dave", List.of(transactionalOnly));
        try (TestNode node = TestNode.start(dataDir, settings); DynamoDbClient admin = client(node, "ADMIN");
             DynamoDbClient dave = client(node, "dave")) {
            TestTables.create(admin, "Ledger", "Id", ScalarAttributeType.S, null, null);
            rejected("AccessDeniedException", denied("dave", "dynamodb:PutItem", ledger),
                    () -> dave.putItem(b -> b.tableName("Ledger").item(Map.of("Id", s("plain")))));
            dave.transactWriteItems(b -> b.transactItems(t -> t.put(p -> p.tableName("Ledger").item(Map.of("Id", s("in-transaction"))))));
            rejected("AccessDeniedException", denied("dave", "dynamodb:PartiQLInsert", ledger),
                    () -> dave.executeStatement(b -> b.statement("INSERT INTO \"Ledger\" VALUE {'Id': 'statement'}")));
            dave.executeTransaction(b -> b.transactStatements(st -> st.statement("INSERT INTO \"Ledger\" VALUE {'Id': 'partiql'}")));
            assertEquals(2, admin.scan(b -> b.tableName("Ledger")).count());
        }
    }

    @Test
    void fineGrainedAccessByAttributes() throws Exception {
        String scores = "arn:aws:dynamodb:us-east-1:000000000000:table/Scores";
        // DynamoDB's documented allow-list: the key attributes and TopScore, and reads of specific attributes only.
        Map<String, Object> topScoreOnly = Map.of(
                "actions", List.of("dynamodb:GetItem", "dynamodb:Query", "dynamodb:UpdateItem", "dynamodb:PutItem", "dynamodb:BatchGetItem",
                        "dynamodb:PartiQLSelect", "dynamodb:PartiQLUpdate", "dynamodb:PartiQLInsert"),
                "resources", List.of(scores),
                "conditions", Map.of(
                        "\"ForAllValues:StringEquals\"", Map.of("\"dynamodb:Attributes\"", List.of("UserId", "GameTitle", "TopScore")),
                        "\"StringEqualsIfExists\"", Map.of("\"dynamodb:Select\"", List.of("SPECIFIC_ATTRIBUTES"))));
        Map<String, Object> settings = Map.of(
                "eddy.auth.credentials", Map.of("ADMIN", "ADMIN-secret", "carol", "carol-secret"),
                "eddy.auth.permissions.carol", List.of(topScoreOnly));
        try (TestNode node = TestNode.start(dataDir, settings); DynamoDbClient admin = client(node, "ADMIN");
             DynamoDbClient carol = client(node, "carol")) {
            TestTables.create(admin, "Scores", "UserId", ScalarAttributeType.S, "GameTitle", ScalarAttributeType.S);
            Map<String, AttributeValue> key = Map.of("UserId", s("carol"), "GameTitle", s("Chess"));
            admin.putItem(b -> b.tableName("Scores").item(Map.of("UserId", s("carol"), "GameTitle", s("Chess"), "TopScore", n("10"),
                    "Secret", s("hidden"))));

            assertEquals("10", carol.getItem(b -> b.tableName("Scores").key(key).projectionExpression("TopScore")).item().get("TopScore").n());
            // A read without a projection names only the key, but would return the whole item: its Select is ALL_ATTRIBUTES.
            rejected("AccessDeniedException", denied("carol", "dynamodb:GetItem", scores), () -> carol.getItem(b -> b.tableName("Scores").key(key)));
            rejected("AccessDeniedException", denied("carol", "dynamodb:BatchGetItem", scores),
                    () -> carol.batchGetItem(b -> b.requestItems(Map.of("Scores", KeysAndAttributes.builder().keys(key).build()))));
            rejected("AccessDeniedException", denied("carol", "dynamodb:Query", scores), () -> carol.query(b -> b.tableName("Scores")
                    .keyConditionExpression("UserId = :u").expressionAttributeValues(Map.of(":u", s("carol")))));
            // A nested path counts as its top-level attribute; a placeholder as the name it stands for.
            rejected("AccessDeniedException", denied("carol", "dynamodb:GetItem", scores),
                    () -> carol.getItem(b -> b.tableName("Scores").key(key).projectionExpression("TopScore, Secret.part")));
            rejected("AccessDeniedException", denied("carol", "dynamodb:GetItem", scores),
                    () -> carol.getItem(b -> b.tableName("Scores").key(key).projectionExpression("#s").expressionAttributeNames(Map.of("#s", "Secret"))));
            rejected("AccessDeniedException", denied("carol", "dynamodb:BatchGetItem", scores),
                    () -> carol.batchGetItem(b -> b.requestItems(Map.of("Scores", KeysAndAttributes.builder().keys(key)
                            .projectionExpression("Secret").build()))));
            assertEquals(1, carol.batchGetItem(b -> b.requestItems(Map.of("Scores", KeysAndAttributes.builder().keys(key)
                    .projectionExpression("TopScore").build()))).responses().get("Scores").size());
            // Reads: Select must be SPECIFIC_ATTRIBUTES where the request has it.
            assertEquals(1, carol.query(b -> b.tableName("Scores").keyConditionExpression("UserId = :u")
                    .expressionAttributeValues(Map.of(":u", s("carol"))).select("SPECIFIC_ATTRIBUTES").projectionExpression("TopScore")).count());
            rejected("AccessDeniedException", denied("carol", "dynamodb:Query", scores), () -> carol.query(b -> b.tableName("Scores")
                    .keyConditionExpression("UserId = :u").expressionAttributeValues(Map.of(":u", s("carol"))).select("ALL_ATTRIBUTES")));
            rejected("AccessDeniedException", denied("carol", "dynamodb:Query", scores), () -> carol.query(b -> b.tableName("Scores")
                    .keyConditionExpression("UserId = :u").filterExpression("Secret = :x")
                    .expressionAttributeValues(Map.of(":u", s("carol"), ":x", s("hidden"))).select("SPECIFIC_ATTRIBUTES")
                    .projectionExpression("TopScore")));
            // Writes: what an update writes, reads and checks; what a put's item holds.
            carol.updateItem(b -> b.tableName("Scores").key(key).updateExpression("SET TopScore = TopScore + :one")
                    .expressionAttributeValues(Map.of(":one", n("1"))));
            rejected("AccessDeniedException", denied("carol", "dynamodb:UpdateItem", scores), () -> carol.updateItem(b -> b.tableName("Scores")
                    .key(key).updateExpression("SET Secret = :v").expressionAttributeValues(Map.of(":v", s("mine")))));
            rejected("AccessDeniedException", denied("carol", "dynamodb:UpdateItem", scores), () -> carol.updateItem(b -> b.tableName("Scores")
                    .key(key).updateExpression("SET TopScore = if_not_exists(Secret, :v)").expressionAttributeValues(Map.of(":v", n("1")))));
            rejected("AccessDeniedException", denied("carol", "dynamodb:UpdateItem", scores), () -> carol.updateItem(b -> b.tableName("Scores")
                    .key(key).updateExpression("SET TopScore = :v").conditionExpression("attribute_exists(Secret)")
                    .expressionAttributeValues(Map.of(":v", n("1")))));
            rejected("AccessDeniedException", denied("carol", "dynamodb:PutItem", scores), () -> carol.putItem(b -> b.tableName("Scores")
                    .item(Map.of("UserId", s("carol"), "GameTitle", s("Go"), "Secret", s("mine")))));
            carol.putItem(b -> b.tableName("Scores").item(Map.of("UserId", s("carol"), "GameTitle", s("Go"), "TopScore", n("3"))));
            // PartiQL: what a statement names, and a SELECT * returns whole items (its Select is ALL_ATTRIBUTES).
            assertEquals(1, carol.executeStatement(b -> b.statement("SELECT TopScore FROM Scores WHERE UserId = 'carol' AND GameTitle = 'Chess'"))
                    .items().size());
            for (String statement : List.of("SELECT * FROM Scores WHERE UserId = 'carol'",
                    "SELECT TopScore FROM Scores WHERE UserId = 'carol' AND Secret = 'hidden'",
                    "SELECT TopScore, Secret.part FROM Scores WHERE UserId = 'carol'")) {
                rejected("AccessDeniedException", denied("carol", "dynamodb:PartiQLSelect", scores),
                        () -> carol.executeStatement(b -> b.statement(statement)));
            }
            carol.executeStatement(b -> b.statement("UPDATE Scores SET TopScore = TopScore + 1 WHERE UserId = 'carol' AND GameTitle = 'Chess'"));
            for (String statement : List.of("UPDATE Scores SET Secret = 'mine' WHERE UserId = 'carol' AND GameTitle = 'Chess'",
                    "UPDATE Scores REMOVE Secret WHERE UserId = 'carol' AND GameTitle = 'Chess'",
                    "UPDATE Scores SET TopScore = 1 WHERE UserId = 'carol' AND GameTitle = 'Chess' AND Secret = 'hidden'")) {
                rejected("AccessDeniedException", denied("carol", "dynamodb:PartiQLUpdate", scores),
                        () -> carol.executeStatement(b -> b.statement(statement)));
            }
            rejected("AccessDeniedException", denied("carol", "dynamodb:PartiQLInsert", scores), () -> carol.executeStatement(b ->
                    b.statement("INSERT INTO Scores VALUE {'UserId': 'carol', 'GameTitle': 'Poker', 'Secret': 'mine'}")));
            carol.executeStatement(b -> b.statement("INSERT INTO Scores VALUE {'UserId': 'carol', 'GameTitle': 'Poker', 'TopScore': 1}"));
            // A failed condition that would return the whole item: no key says so, so the allow-list refuses it.
            rejected("AccessDeniedException", denied("carol", "dynamodb:UpdateItem", scores), () -> carol.updateItem(b -> b.tableName("Scores")
                    .key(key).updateExpression("SET TopScore = :v").conditionExpression("TopScore > :v")
                    .expressionAttributeValues(Map.of(":v", n("1000"))).returnValuesOnConditionCheckFailure("ALL_OLD")));
            rejected("AccessDeniedException", denied("carol", "dynamodb:PartiQLUpdate", scores), () -> carol.executeStatement(b -> b
                    .statement("UPDATE Scores SET TopScore = 1 WHERE UserId = 'carol' AND GameTitle = 'Chess' AND TopScore > 1000")
                    .returnValuesOnConditionCheckFailure("ALL_OLD")));
            // A Select sent beside a statement names nothing: the statement's own is ALL_ATTRIBUTES.
            assertDenied(TestTables.signed(node, AwsBasicCredentials.create("carol", "carol-secret"), "ExecuteStatement",
                    "{'Statement': 'SELECT * FROM Scores WHERE UserId = ?', 'Parameters': [{'S': 'carol'}], 'Select': 'SPECIFIC_ATTRIBUTES'}"),
                    denied("carol", "dynamodb:PartiQLSelect", scores));
            // RETURNING is the statement's ReturnValues.
            admin.putResourcePolicy(b -> b.resourceArn(scores).policy(policy("{'Effect': 'Deny', 'Principal': {'AWS': '000000000000'},"
                    + " 'Action': 'dynamodb:PartiQLUpdate', 'Resource': '*', 'Condition': {'StringEquals': {'dynamodb:ReturnValues': 'ALL_OLD'}}}")));
            rejected("AccessDeniedException", explicitlyDenied("carol", "dynamodb:PartiQLUpdate", scores, "a resource-based"),
                    () -> carol.executeStatement(b -> b.statement(
                            "UPDATE Scores SET TopScore = 0 WHERE UserId = 'carol' AND GameTitle = 'Chess' RETURNING ALL OLD *")));
            assertEquals("12", carol.executeStatement(b -> b.statement(
                    "UPDATE Scores SET TopScore = TopScore + 1 WHERE UserId = 'carol' AND GameTitle = 'Chess' RETURNING MODIFIED OLD *"))
                    .items().get(0).get("TopScore").n());
            assertEquals("13", admin.getItem(b -> b.tableName("Scores").key(key)).item().get("TopScore").n());
            assertEquals("hidden", admin.getItem(b -> b.tableName("Scores").key(key)).item().get("Secret").s());
        }
    }

    @Test
    void fineGrainedAccessByPartitionKeyTableTagAndParameter() throws Exception {
        String notes = "arn:aws:dynamodb:us-east-1:000000000000:table/Notes";
        // Each key reads and writes only the items under its own name, as DynamoDB's documentation shows it.
        Map<String, Object> ownItems = Map.of(
                "actions", List.of("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:BatchWriteItem", "dynamodb:PartiQLSelect",
                        "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchGetItem", "dynamodb:PartiQLInsert",
                        "dynamodb:PartiQLUpdate", "dynamodb:PartiQLDelete"),
                "resources", List.of(notes),
                // Quoted, as in a HOCON file: a key with ':' is a path of one element.
                "conditions", Map.of("\"ForAllValues:StringEquals\"", Map.of("\"dynamodb:LeadingKeys\"", List.of("${aws:username}"))));
        Map<String, Object> settings = Map.of(
                "eddy.auth.credentials", Map.of("ADMIN", "ADMIN-secret", "alice", "alice-secret"),
                "eddy.auth.permissions.alice", List.of(ownItems));
        try (TestNode node = TestNode.start(dataDir, settings); DynamoDbClient admin = client(node, "ADMIN");
             DynamoDbClient alice = client(node, "alice")) {
            TestTables.create(admin, "Notes", "Owner", ScalarAttributeType.S, "Id", ScalarAttributeType.S);
            Map<String, AttributeValue> own = Map.of("Owner", s("alice"), "Id", s("1"));
            Map<String, AttributeValue> bobs = Map.of("Owner", s("bob"), "Id", s("1"));
            admin.putItem(b -> b.tableName("Notes").item(Map.of("Owner", s("bob"), "Id", s("1"), "Text", s("bob's"))));

            alice.putItem(b -> b.tableName("Notes").item(own));
            rejected("AccessDeniedException", denied("alice", "dynamodb:PutItem", notes), () -> alice.putItem(b -> b.tableName("Notes").item(bobs)));
            assertEquals("alice", alice.getItem(b -> b.tableName("Notes").key(own)).item().get("Owner").s());
            rejected("AccessDeniedException", denied("alice", "dynamodb:GetItem", notes), () -> alice.getItem(b -> b.tableName("Notes").key(bobs)));
            assertEquals(1, alice.query(b -> b.tableName("Notes").keyConditionExpression("#o = :o")
                    .expressionAttributeNames(Map.of("#o", "Owner")).expressionAttributeValues(Map.of(":o", s("alice")))).count());
            rejected("AccessDeniedException", denied("alice", "dynamodb:Query", notes), () -> alice.query(b -> b.tableName("Notes")
                    .keyConditionExpression("#o = :o").expressionAttributeNames(Map.of("#o", "Owner"))
                    .expressionAttributeValues(Map.of(":o", s("bob")))));
            rejected("AccessDeniedException", denied("alice", "dynamodb:BatchWriteItem", notes),
                    () -> alice.batchWriteItem(b -> b.requestItems(Map.of("Notes", List.of(
                            WriteRequest.builder().putRequest(p -> p.item(Map.of("Owner", s("alice"), "Id", s("2")))).build(),
                            WriteRequest.builder().deleteRequest(d -> d.key(bobs)).build())))));
            // PartiQL: the partition key values a statement names, parameters bound; a SELECT that scans has none known.
            assertEquals(1, alice.executeStatement(b -> b.statement("SELECT * FROM \"Notes\" WHERE \"Owner\" = 'alice'")).items().size());
            assertEquals(1, alice.executeStatement(b -> b.statement("SELECT * FROM \"Notes\" WHERE \"Owner\" IN ['alice'] AND Id = ?")
                    .parameters(s("1"))).items().size());
            for (String statement : List.of("SELECT * FROM \"Notes\" WHERE \"Owner\" = 'bob'",
                    "SELECT * FROM \"Notes\" WHERE \"Owner\" IN ['alice', 'bob']",
                    "SELECT * FROM \"Notes\" WHERE \"Owner\" = 'alice' OR \"Owner\" = ?",
                    "SELECT * FROM \"Notes\" WHERE Id = '1'")) {
                rejected("AccessDeniedException", denied("alice", "dynamodb:PartiQLSelect", notes),
                        () -> alice.executeStatement(b -> b.statement(statement).parameters(statement.contains("?") ? List.of(s("bob")) : null)));
            }
            alice.executeStatement(b -> b.statement("INSERT INTO \"Notes\" VALUE {'Owner': ?, 'Id': '3'}").parameters(s("alice")));
            alice.executeStatement(b -> b.statement("UPDATE \"Notes\" SET Text = 'x' WHERE \"Owner\" = 'alice' AND Id = '3'"));
            alice.executeStatement(b -> b.statement("DELETE FROM \"Notes\" WHERE \"Owner\" = 'alice' AND Id = '3'"));
            rejected("AccessDeniedException", denied("alice", "dynamodb:PartiQLInsert", notes),
                    () -> alice.executeStatement(b -> b.statement("INSERT INTO \"Notes\" VALUE {'Owner': ?, 'Id': '3'}").parameters(s("bob"))));
            rejected("AccessDeniedException", denied("alice", "dynamodb:PartiQLUpdate", notes),
                    () -> alice.executeStatement(b -> b.statement("UPDATE \"Notes\" SET Text = 'x' WHERE \"Owner\" = 'bob' AND Id = '1'")));
            rejected("AccessDeniedException", denied("alice", "dynamodb:PartiQLDelete", notes),
                    () -> alice.executeStatement(b -> b.statement("DELETE FROM \"Notes\" WHERE \"Owner\" = 'bob' AND Id = '1'")));
            rejected("AccessDeniedException", denied("alice", "dynamodb:PartiQLUpdate", notes), () -> alice.executeTransaction(b ->
                    b.transactStatements(st -> st.statement("UPDATE \"Notes\" SET Text = 'x' WHERE \"Owner\" = 'bob' AND Id = '1'"))));
            // Each statement of a batch and each condition of a transaction counts on its own.
            assertEquals(2, alice.batchExecuteStatement(b -> b.statements(
                    st -> st.statement("SELECT * FROM \"Notes\" WHERE \"Owner\" = 'alice' AND Id = '1'"),
                    st -> st.statement("SELECT * FROM \"Notes\" WHERE \"Owner\" = ? AND Id = '2'").parameters(s("alice")))).responses().size());
            rejected("AccessDeniedException", denied("alice", "dynamodb:PartiQLSelect", notes), () -> alice.batchExecuteStatement(b -> b.statements(
                    st -> st.statement("SELECT * FROM \"Notes\" WHERE \"Owner\" = 'alice' AND Id = '1'"),
                    st -> st.statement("SELECT * FROM \"Notes\" WHERE \"Owner\" = 'bob' AND Id = '1'"))));
            rejected("AccessDeniedException", denied("alice", "dynamodb:PartiQLSelect", notes), () -> alice.executeTransaction(b -> b.transactStatements(
                    st -> st.statement("UPDATE \"Notes\" SET Text = 'x' WHERE \"Owner\" = 'alice' AND Id = '1'"),
                    st -> st.statement("EXISTS(SELECT * FROM \"Notes\" WHERE \"Owner\" = 'bob' AND Id = '1')"))));
            // Other request shapes: each names bob's item somewhere.
            rejected("AccessDeniedException", denied("alice", "dynamodb:UpdateItem", notes), () -> alice.updateItem(b -> b.tableName("Notes")
                    .key(bobs).updateExpression("SET #t = :t").expressionAttributeNames(Map.of("#t", "Text"))
                    .expressionAttributeValues(Map.of(":t", s("alice's")))));
            rejected("AccessDeniedException", denied("alice", "dynamodb:DeleteItem", notes),
                    () -> alice.deleteItem(b -> b.tableName("Notes").key(bobs)));
            rejected("AccessDeniedException", denied("alice", "dynamodb:GetItem", notes),
                    () -> alice.getItem(b -> b.tableName(notes).key(bobs)));
            rejected("AccessDeniedException", denied("alice", "dynamodb:BatchGetItem", notes),
                    () -> alice.batchGetItem(b -> b.requestItems(Map.of("Notes", KeysAndAttributes.builder().keys(own, bobs).build()))));
            rejected("AccessDeniedException", denied("alice", "dynamodb:Query", notes), () -> alice.query(b -> b.tableName("Notes")
                    .keyConditions(Map.of("Owner", Condition.builder().comparisonOperator("EQ").attributeValueList(s("bob")).build()))));
            var aliceKey = AwsBasicCredentials.create("alice", "alice-secret");
            // A spare field does not speak for the item a part acts on.
            assertDenied(TestTables.signed(node, aliceKey, "TransactWriteItems", "{'TransactItems': [{'Delete': {'TableName': 'Notes',"
                    + " 'Key': {'Owner': {'S': 'bob'}, 'Id': {'S': '1'}}, 'Item': {'Owner': {'S': 'alice'}, 'Id': {'S': '1'}}}}]}"),
                    denied("alice", "dynamodb:DeleteItem", notes));
            // Malformed parts are the operation's to refuse, not an internal error.
            var adminKey = AwsBasicCredentials.create("ADMIN", "ADMIN-secret");
            assertEquals("com.amazon.coral.validate#ValidationException", TestTables.signed(node, adminKey, "TransactWriteItems",
                    "{'TransactItems': [{'ConditionCheck': {'TableName': 'Notes', 'ConditionExpression': 'attribute_exists(Id)'}}]}")
                    .body().path("__type").asText());
            assertEquals(400, TestTables.signed(node, adminKey, "TransactWriteItems", "{'TransactItems': [{'Put': null}]}").status());
            // Keys not known refuse what a condition on them would allow.
            assertDenied(TestTables.signed(node, aliceKey, "PutItem", "{'TableName': 'Notes', 'Item': {'Id': {'S': '9'}}}"),
                    denied("alice", "dynamodb:PutItem", notes));
            // A null PutRequest is absent, as the operation reads it: the DeleteRequest's item counts.
            assertDenied(TestTables.signed(node, aliceKey, "BatchWriteItem", "{'RequestItems': {'Notes': [{'PutRequest': null,"
                    + " 'DeleteRequest': {'Key': {'Owner': {'S': 'bob'}, 'Id': {'S': '1'}}}}]}}"), denied("alice", "dynamodb:BatchWriteItem", notes));
            assertEquals("bob's", admin.getItem(b -> b.tableName("Notes").key(bobs)).item().get("Text").s());
            assertEquals(2, admin.scan(b -> b.tableName("Notes")).count());

            // A table's tags, and a request's parameters, in a resource policy's conditions.
            admin.tagResource(b -> b.resourceArn(notes).tags(t -> t.key("Tier").value("secret")));
            admin.putResourcePolicy(b -> b.resourceArn(notes).policy(policy("{'Effect': 'Deny', 'Principal': {'AWS': '000000000000'},"
                    + " 'Action': 'dynamodb:Scan', 'Resource': '*', 'Condition': {'StringEquals': {'aws:ResourceTag/Tier': 'secret'},"
                    + " 'StringNotEqualsIfExists': {'dynamodb:Select': 'COUNT'}}}")));
            rejected("AccessDeniedException", explicitlyDenied("ADMIN", "dynamodb:Scan", notes, "a resource-based"),
                    () -> admin.scan(b -> b.tableName("Notes")));
            assertEquals(2, admin.scan(b -> b.tableName("Notes").select("COUNT")).count());
            admin.untagResource(b -> b.resourceArn(notes).tagKeys("Tier"));
            assertEquals(2, admin.scan(b -> b.tableName("Notes")).count());
        }
    }

    @Test
    void aStreamsPolicyGovernsReadsOfTheStream() throws Exception {
        Map<String, Object> settings = Map.of("eddy.auth.credentials", Map.of("ADMIN", "ADMIN-secret", "STREAMER", "STREAMER-secret"));
        try (TestNode node = TestNode.start(dataDir, settings); DynamoDbClient admin = client(node, "ADMIN");
             var streamer = streamsClient(node, "STREAMER"); var adminStreams = streamsClient(node, "ADMIN")) {
            TestTables.create(admin, "Music", "Artist", ScalarAttributeType.S, "Title", ScalarAttributeType.S);
            String streamArn = admin.updateTable(b -> b.tableName("Music").streamSpecification(sp -> sp.streamEnabled(true)
                    .streamViewType("NEW_IMAGE"))).tableDescription().latestStreamArn();
            streamer.describeStream(b -> b.streamArn(streamArn));
            admin.putResourcePolicy(b -> b.resourceArn(streamArn).policy(policy("{'Effect': 'Deny', 'Principal': {'AWS': "
                    + "'arn:aws:iam::000000000000:user/STREAMER'}, 'Action': 'dynamodb:*', 'Resource': '" + streamArn + "'}")));
            rejected("AccessDeniedException", explicitlyDenied("STREAMER", "dynamodb:DescribeStream", streamArn, "a resource-based"),
                    () -> streamer.describeStream(b -> b.streamArn(streamArn)));
            // The stream's policy says nothing of its table.
            try (DynamoDbClient streamerTables = client(node, "STREAMER")) {
                streamerTables.describeTable(b -> b.tableName("Music"));
                streamerTables.putItem(b -> b.tableName("Music").item(Map.of("Artist", s("Arvo Pärt"), "Title", s("Fratres"))));
            }
            // A deleted table's stream stays readable for a while, and its policy applies still.
            admin.deleteTable(b -> b.tableName("Music"));
            rejected("AccessDeniedException", explicitlyDenied("STREAMER", "dynamodb:DescribeStream", streamArn, "a resource-based"),
                    () -> streamer.describeStream(b -> b.streamArn(streamArn)));
            adminStreams.describeStream(b -> b.streamArn(streamArn));
        }
    }

    private static void assertDenied(TestTables.Raw answer, String message) {
        assertEquals(400, answer.status(), answer.body().toString());
        assertEquals("com.amazon.coral.service#AccessDeniedException", answer.body().path("__type").asText(), answer.body().toString());
        assertEquals(message, answer.message());
    }
}
