package io.eddy.gateway;

import static io.eddy.gateway.TestTables.invalid;
import static io.eddy.gateway.TestTables.rejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** PutResourcePolicy, GetResourcePolicy and DeleteResourcePolicy through the AWS SDK, as DynamoDB answers them. */
class ResourcePolicyTest {

    private static final String MUSIC = "arn:aws:dynamodb:us-east-1:000000000000:table/Music";
    private static final String PREFIX = "Resource-based policy not found for the provided ResourceArn: ";

    @TempDir
    Path dataDir;

    private static String policy(String action) {
        return ("{'Version': '2012-10-17', 'Statement': [{'Sid': 'S', 'Effect': 'Allow', 'Principal': {'AWS': '000000000000'},"
                + " 'Action': ['" + action + "'], 'Resource': '*'}]}").replace('\'', '"');
    }

    private static String canonical(String action) {
        return ("{'Version':'2012-10-17','Statement':[{'Sid':'S','Effect':'Allow','Principal':{'AWS':'arn:aws:iam::000000000000:root'},"
                + "'Action':'" + action + "','Resource':'*'}]}").replace('\'', '"');
    }

    @Test
    void attachedReadAndDetachedWithRevisions() throws Exception {
        String first;
        String streamArn;
        try (TestNode node = TestNode.start(dataDir)) {
            DynamoDbClient ddb = node.client;
            TestTables.create(ddb, "Music", "Artist", ScalarAttributeType.S, "Title", ScalarAttributeType.S);
            rejected("PolicyNotFoundException", PREFIX + MUSIC, () -> ddb.getResourcePolicy(b -> b.resourceArn(MUSIC)));
            // A table that never had a policy: deleting one answers {} (DynamoDB's idempotent 200), unless a revision is expected.
            assertNull(ddb.deleteResourcePolicy(b -> b.resourceArn(MUSIC)).revisionId());
            rejected("PolicyNotFoundException", PREFIX + MUSIC,
                    () -> ddb.deleteResourcePolicy(b -> b.resourceArn(MUSIC).expectedRevisionId("1234567890123")));

            first = ddb.putResourcePolicy(b -> b.resourceArn(MUSIC).policy(policy("dynamodb:GetItem"))).revisionId();
            assertTrue(first.matches("\\d{13}"), first);
            var read = ddb.getResourcePolicy(b -> b.resourceArn(MUSIC));
            assertEquals(canonical("dynamodb:GetItem"), read.policy());
            assertEquals(first, read.revisionId());
            // The same policy, in another form, changes nothing; its canonical form neither.
            assertEquals(first, ddb.putResourcePolicy(b -> b.resourceArn(MUSIC).policy(policy("dynamodb:GetItem"))).revisionId());
            assertEquals(first, ddb.putResourcePolicy(b -> b.resourceArn(MUSIC).policy(read.policy())).revisionId());

            rejected("PolicyNotFoundException", PREFIX + "Requested policy update expecting none to be present for table Music, but a "
                            + "policy exists with revision id " + first + ".",
                    () -> ddb.putResourcePolicy(b -> b.resourceArn(MUSIC).policy(policy("dynamodb:PutItem")).expectedRevisionId("NO_POLICY")));
            rejected("PolicyNotFoundException", PREFIX + "Requested update for policy with revision id 1, but the policy associated to "
                            + "target table Music has revision id " + first + ".",
                    () -> ddb.putResourcePolicy(b -> b.resourceArn(MUSIC).policy(policy("dynamodb:PutItem")).expectedRevisionId("1")));
            String second = ddb.putResourcePolicy(b -> b.resourceArn(MUSIC).policy(policy("dynamodb:PutItem")).expectedRevisionId(first))
                    .revisionId();
            assertTrue(Long.parseLong(second) > Long.parseLong(first), second + " after " + first);
            assertEquals(canonical("dynamodb:PutItem"), ddb.getResourcePolicy(b -> b.resourceArn(MUSIC)).policy());

            // A stream has a policy of its own, with stream actions.
            streamArn = ddb.updateTable(b -> b.tableName("Music").streamSpecification(s -> s.streamEnabled(true).streamViewType("KEYS_ONLY")))
                    .tableDescription().latestStreamArn();
            String stream = streamArn;
            rejected("PolicyNotFoundException", PREFIX + stream, () -> ddb.getResourcePolicy(b -> b.resourceArn(stream)));
            String streamPolicy = ("{'Statement': [{'Effect': 'Deny', 'Principal': '*', 'Action': 'dynamodb:GetRecords', 'Resource': '"
                    + stream + "'}]}").replace('\'', '"');
            ddb.putResourcePolicy(b -> b.resourceArn(stream).policy(streamPolicy));
            assertEquals(("{'Version':'2008-10-17','Statement':[{'Effect':'Deny','Principal':'*','Action':'dynamodb:GetRecords','Resource':'"
                    + stream + "'}]}").replace('\'', '"'), ddb.getResourcePolicy(b -> b.resourceArn(stream)).policy());
            assertEquals(second, ddb.getResourcePolicy(b -> b.resourceArn(MUSIC)).revisionId());
            rejected("ResourceNotFoundException", "Requested resource not found: Stream: 2000-01-01T00:00:00.000 not found for Table: Music",
                    () -> ddb.getResourcePolicy(b -> b.resourceArn(MUSIC + "/stream/2000-01-01T00:00:00.000")));
        }

        try (TestNode node = TestNode.start(dataDir)) {
            DynamoDbClient ddb = node.client;
            // Durable: both are there after a restart.
            assertEquals(canonical("dynamodb:PutItem"), ddb.getResourcePolicy(b -> b.resourceArn(MUSIC)).policy());
            String stream = streamArn;
            assertTrue(ddb.getResourcePolicy(b -> b.resourceArn(stream)).policy().contains("dynamodb:GetRecords"));

            String current = ddb.getResourcePolicy(b -> b.resourceArn(MUSIC)).revisionId();
            rejected("PolicyNotFoundException", PREFIX + "Requested update for policy with revision id " + first
                            + ", but the policy associated to target table Music has revision id " + current + ".",
                    () -> ddb.deleteResourcePolicy(b -> b.resourceArn(MUSIC).expectedRevisionId(first)));
            assertEquals(current, ddb.deleteResourcePolicy(b -> b.resourceArn(MUSIC).expectedRevisionId(current)).revisionId());
            rejected("PolicyNotFoundException", PREFIX + MUSIC, () -> ddb.getResourcePolicy(b -> b.resourceArn(MUSIC)));
            // Deleting again is idempotent, as in DynamoDB: it answers the detached policy's revision and changes nothing.
            assertEquals(current, ddb.deleteResourcePolicy(b -> b.resourceArn(MUSIC)).revisionId());
            rejected("PolicyNotFoundException", PREFIX + MUSIC, () -> ddb.getResourcePolicy(b -> b.resourceArn(MUSIC)));
            // NO_POLICY: only when there is none.
            String third = ddb.putResourcePolicy(b -> b.resourceArn(MUSIC).policy(policy("dynamodb:Query"))
                    .expectedRevisionId("NO_POLICY")).revisionId();
            // Later than the detached policy's, whenever attached.
            assertTrue(Long.parseLong(third) > Long.parseLong(current), third + " after " + current);

            // The policies go with the table.
            ddb.deleteTable(b -> b.tableName("Music"));
            rejected("ResourceNotFoundException", "Requested resource not found: Table: Music not found",
                    () -> ddb.getResourcePolicy(b -> b.resourceArn(MUSIC)));
            rejected("ResourceNotFoundException", "Requested resource not found: Table: Music not found",
                    () -> ddb.putResourcePolicy(b -> b.resourceArn(MUSIC).policy(policy("dynamodb:GetItem"))));
            rejected("PolicyNotFoundException", PREFIX + stream, () -> ddb.getResourcePolicy(b -> b.resourceArn(stream)));
        }
    }

    @Test
    void aTableCreatedWithAPolicyHasIt() throws Exception {
        try (TestNode node = TestNode.start(dataDir)) {
            DynamoDbClient ddb = node.client;
            var created = ddb.createTable(b -> b.tableName("Music").billingMode("PAY_PER_REQUEST").resourcePolicy(policy("dynamodb:GetItem"))
                    .attributeDefinitions(d -> d.attributeName("Artist").attributeType(ScalarAttributeType.S))
                    .keySchema(k -> k.attributeName("Artist").keyType(KeyType.HASH))).tableDescription();
            var read = ddb.getResourcePolicy(b -> b.resourceArn(MUSIC));
            assertEquals(canonical("dynamodb:GetItem"), read.policy());
            assertEquals(Long.toString(created.creationDateTime().toEpochMilli()), read.revisionId());

            invalid("One or more parameter values were invalid: Invalid policy document: This policy contains invalid Json",
                    () -> ddb.createTable(b -> b.tableName("Other").billingMode("PAY_PER_REQUEST").resourcePolicy("{")
                            .attributeDefinitions(d -> d.attributeName("Artist").attributeType(ScalarAttributeType.S))
                            .keySchema(k -> k.attributeName("Artist").keyType(KeyType.HASH))));
            assertEquals(java.util.List.of("Music"), ddb.listTables().tableNames());
        }
    }

    @Test
    void badRequestsAreRefusedAndChangeNothing() throws Exception {
        try (TestNode node = TestNode.start(dataDir)) {
            DynamoDbClient ddb = node.client;
            TestTables.create(ddb, "Music", "Artist", ScalarAttributeType.S, null, null);
            String revision = ddb.putResourcePolicy(b -> b.resourceArn(MUSIC).policy(policy("dynamodb:GetItem"))).revisionId();

            invalid("One or more parameter values were invalid: ARNs must start with 'arn:': Music",
                    () -> ddb.getResourcePolicy(b -> b.resourceArn("Music")));
            invalid("This action is only supported by accounts that match the resource owner\u2019s account.",
                    () -> ddb.getResourcePolicy(b -> b.resourceArn("arn:aws:dynamodb:us-east-1:111111111111:table/Music")));
            invalid("One or more parameter values were invalid: Invalid resource Arn: arn:aws:dynamodb:eu-west-1:000000000000:table/Music",
                    () -> ddb.putResourcePolicy(b -> b.resourceArn("arn:aws:dynamodb:eu-west-1:000000000000:table/Music")
                            .policy(policy("dynamodb:GetItem"))));
            invalid("One or more parameter values were invalid: Invalid resource arn provided, only table or stream is accepted. "
                            + "Provided resource arn: " + MUSIC + "/index/byYear",
                    () -> ddb.deleteResourcePolicy(b -> b.resourceArn(MUSIC + "/index/byYear")));
            invalid("One or more parameter values were invalid: Provided Arn is not a DynamoDB resource arn: " + MUSIC + "/backup/0170",
                    () -> ddb.getResourcePolicy(b -> b.resourceArn(MUSIC + "/backup/0170")));
            rejected("ResourceNotFoundException", "Requested resource not found: Table: music not found",
                    () -> ddb.getResourcePolicy(b -> b.resourceArn("arn:aws:dynamodb:us-east-1:000000000000:table/music")));
            invalid("One or more parameter values were invalid: Maximum policy size of 20480 bytes exceeded",
                    () -> ddb.putResourcePolicy(b -> b.resourceArn(MUSIC).policy(policy("dynamodb:PutItem") + " ".repeat(20480))));
            invalid("One or more parameter values were invalid: Invalid policy document: Missing required field Resource",
                    () -> ddb.putResourcePolicy(b -> b.resourceArn(MUSIC).policy(policy("dynamodb:PutItem").replace(", \"Resource\": \"*\"", ""))));
            invalid("Resource-based policy grants unbounded access in one or more elements. Please revise the policy to ensure "
                            + "least-privilege form of access",
                    () -> ddb.putResourcePolicy(b -> b.resourceArn(MUSIC).policy(policy("dynamodb:PutItem").replace("\"000000000000\"", "\"*\""))));
            invalid("1 validation error detected: Value null at 'policy' failed to satisfy constraint: Member must not be null",
                    () -> ddb.putResourcePolicy(b -> b.resourceArn(MUSIC)));

            var read = ddb.getResourcePolicy(b -> b.resourceArn(MUSIC));
            assertEquals(revision, read.revisionId());
            assertEquals(canonical("dynamodb:GetItem"), read.policy());
        }
    }
}
