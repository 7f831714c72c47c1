package io.eddy.gateway;

import static io.eddy.gateway.TestTables.invalid;
import static io.eddy.gateway.TestTables.rejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ListTagsOfResourceResponse;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.Tag;

/** TagResource, UntagResource, ListTagsOfResource and CreateTable's Tags through the AWS SDK v2. */
class TagsTest {

    static final int PAGE_SIZE = 10;

    // A small page, so a table's tags take several ListTagsOfResource pages.
    @RegisterExtension
    static final NodeExtension node = NodeExtension.with(Map.of("eddy.list-tags-page-size", PAGE_SIZE));
    final DynamoDbClient ddb = node.client();

    static String createTable(String name) {
        TestTables.create(node.client(), name, "pk", ScalarAttributeType.S, null, null);
        return node.client().describeTable(b -> b.tableName(name)).table().tableArn();
    }

    static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }

    /** Every tag of the resource, following NextToken. */
    static List<Tag> allTags(String arn) {
        List<Tag> tags = new ArrayList<>();
        String token = null;
        do {
            String from = token;
            ListTagsOfResourceResponse page = node.client().listTagsOfResource(b -> b.resourceArn(arn).nextToken(from));
            assertTrue(page.tags().size() <= PAGE_SIZE);
            tags.addAll(page.tags());
            token = page.nextToken();
        } while (token != null);
        return tags;
    }

    @Test
    void tagsAreSetReplacedAndRemoved() {
        String arn = createTable("Tagged");
        assertEquals(List.of(), allTags(arn));

        ddb.tagResource(b -> b.resourceArn(arn).tags(tag("env", "prod"), tag("team", "db"), tag("Empty", "")));
        assertEquals(List.of(tag("env", "prod"), tag("team", "db"), tag("Empty", "")), allTags(arn));

        // A key already set takes the new value in place; keys are case-sensitive.
        ddb.tagResource(b -> b.resourceArn(arn).tags(tag("env", "staging"), tag("ENV", "x")));
        assertEquals(List.of(tag("env", "staging"), tag("team", "db"), tag("Empty", ""), tag("ENV", "x")), allTags(arn));

        // Removing a key that is not set is no error.
        ddb.untagResource(b -> b.resourceArn(arn).tagKeys("team", "never-set", "ENV"));
        assertEquals(List.of(tag("env", "staging"), tag("Empty", "")), allTags(arn));
    }

    @Test
    void tagsGivenToCreateTableArePagedWithNextToken() {
        List<Tag> fifty = new ArrayList<>();
        for (int i = 0; i < 50; i++) fifty.add(tag("key" + i, "value " + i));
        ddb.createTable(ControlPlaneTest.hashTable("CreatedTagged", ScalarAttributeType.S).tags(fifty).build());
        String arn = ddb.describeTable(b -> b.tableName("CreatedTagged")).table().tableArn();

        ListTagsOfResourceResponse first = ddb.listTagsOfResource(b -> b.resourceArn(arn));
        assertEquals(fifty.subList(0, PAGE_SIZE), first.tags());
        assertNotNull(first.nextToken());
        assertEquals(fifty, allTags(arn));

        // An invalid token is ignored, as DynamoDB does: the first page again.
        assertEquals(fifty.subList(0, PAGE_SIZE), ddb.listTagsOfResource(b -> b.resourceArn(arn).nextToken("not a token!")).tags());

        String limit = "Number of Tags exceed the current limit for the provided ResourceArn";
        invalid(limit, () -> ddb.tagResource(b -> b.resourceArn(arn).tags(tag("one-more", "v"))));
        // The limit counts the tags after the change: replacing values of existing keys is fine.
        ddb.tagResource(b -> b.resourceArn(arn).tags(tag("key0", "changed")));
        assertEquals("changed", allTags(arn).get(0).value());
    }

    @Test
    void invalidTagsAreRefusedAndChangeNothing() {
        String arn = createTable("Strict");
        ddb.tagResource(b -> b.resourceArn(arn).tags(tag("kept", "v")));

        invalid("Tag Key cannot be prefixed with aws:, Key: aws:foo",
                () -> ddb.tagResource(b -> b.resourceArn(arn).tags(tag("good", "v"), tag("aws:foo", "v"))));
        invalid("Tag Key cannot be prefixed with aws:, Key: AWS:foo",
                () -> ddb.untagResource(b -> b.resourceArn(arn).tagKeys("AWS:foo")));
        invalid("The Tag Key provided is invalid, Key: bad#char",
                () -> ddb.tagResource(b -> b.resourceArn(arn).tags(tag("bad#char", "v"))));
        invalid("The Tag Value provided is invalid, Value: 100%",
                () -> ddb.tagResource(b -> b.resourceArn(arn).tags(tag("k", "100%"))));
        invalid("The Tag Key provided is invalid, Key: " + "k".repeat(129),
                () -> ddb.tagResource(b -> b.resourceArn(arn).tags(tag("k".repeat(129), "v"))));
        invalid("The Tag Value provided is invalid, Value: " + "v".repeat(257),
                () -> ddb.tagResource(b -> b.resourceArn(arn).tags(tag("k", "v".repeat(257)))));
        invalid("Duplicate Tag Keys provided as input: Duplicate Tag Key found dup",
                () -> ddb.tagResource(b -> b.resourceArn(arn).tags(tag("dup", "1"), tag("dup", "2"))));
        invalid("Atleast one Tag needs to be provided as Input.", () -> ddb.tagResource(b -> b.resourceArn(arn).tags(List.of())));
        invalid("Atleast one Tag Key needs to be provided as Input.",
                () -> ddb.untagResource(b -> b.resourceArn(arn).tagKeys(List.of())));
        List<Tag> fiftyOne = new ArrayList<>();
        for (int i = 0; i < 51; i++) fiftyOne.add(tag("k" + i, "v"));
        invalid("Number of Tags exceed the current limit for the provided ResourceArn",
                () -> ddb.tagResource(b -> b.resourceArn(arn).tags(fiftyOne)));

        assertEquals(List.of(tag("kept", "v")), allTags(arn));
    }

    @Test
    void createTableWithInvalidTagsCreatesNothing() {
        invalid("Tag Key cannot be prefixed with aws:, Key: aws:x", () -> ddb.createTable(
                ControlPlaneTest.hashTable("NeverTagged", ScalarAttributeType.S).tags(tag("aws:x", "y")).build()));
        List<Tag> fiftyOne = new ArrayList<>();
        for (int i = 0; i < 51; i++) fiftyOne.add(tag("k" + i, "v"));
        invalid("Number of Tags exceed the current limit for the provided ResourceArn", () -> ddb.createTable(
                ControlPlaneTest.hashTable("NeverTagged", ScalarAttributeType.S).tags(fiftyOne).build()));
        assertFalse(ddb.listTables().tableNames().contains("NeverTagged"));

        // An empty list is accepted at creation (TagResource refuses it).
        ddb.createTable(ControlPlaneTest.hashTable("NoTags", ScalarAttributeType.S).tags(List.of()).build());
        String arn = ddb.describeTable(b -> b.tableName("NoTags")).table().tableArn();
        assertEquals(List.of(), allTags(arn));
    }

    @Test
    void resourceArnsAreCheckedAsDynamoDbDoes() throws Exception {
        String missing = "arn:aws:dynamodb:us-east-1:000000000000:table/NoSuchTable";
        rejected("ResourceNotFoundException", "Requested resource not found: ResourceArn: " + missing + " not found",
                () -> ddb.listTagsOfResource(b -> b.resourceArn(missing)));
        rejected("ResourceNotFoundException", "Requested resource not found: ResourceArn: " + missing + " not found",
                () -> ddb.tagResource(b -> b.resourceArn(missing).tags(tag("k", "v"))));
        rejected("ResourceNotFoundException", "Requested resource not found: ResourceArn: " + missing + " not found",
                () -> ddb.untagResource(b -> b.resourceArn(missing).tagKeys("k")));

        invalid("One or more parameter values were invalid: ARNs must start with 'arn:': Orders",
                () -> ddb.listTagsOfResource(b -> b.resourceArn("Orders")));
        String s3 = "arn:aws:s3:::bucket";
        invalid("One or more parameter values were invalid: Provided Arn is not a DynamoDB resource arn: " + s3,
                () -> ddb.listTagsOfResource(b -> b.resourceArn(s3)));
        String index = "arn:aws:dynamodb:us-east-1:000000000000:table/Tagged/index/byName";
        invalid("One or more parameter values were invalid: Invalid resource arn provided, only table or stream is accepted. "
                + "Provided resource arn: " + index, () -> ddb.tagResource(b -> b.resourceArn(index).tags(tag("k", "v"))));
        String otherRegion = "arn:aws:dynamodb:eu-west-1:000000000000:table/Tagged";
        invalid("Invalid TableArn: Invalid ResourceArn provided as input " + otherRegion,
                () -> ddb.listTagsOfResource(b -> b.resourceArn(otherRegion)));
        String otherAccount = "arn:aws:dynamodb:us-east-1:123456789012:table/Tagged";
        // DynamoDB's words (measured), as for an export of another account's table.
        rejected("AccessDeniedException", "Access is denied", () -> ddb.listTagsOfResource(b -> b.resourceArn(otherAccount)));
        // A backup's ARN is no taggable resource; a stream's passes the checks but has no tags (measured: ResourceNotFound).
        String backup = "arn:aws:dynamodb:us-east-1:000000000000:table/Tagged/backup/01700000000000-a1b2c3d4";
        invalid("One or more parameter values were invalid: Provided Arn is not a DynamoDB resource arn: " + backup,
                () -> ddb.tagResource(b -> b.resourceArn(backup).tags(tag("k", "v"))));
        invalid("One or more parameter values were invalid: Provided Arn is not a DynamoDB resource arn: " + backup,
                () -> ddb.listTagsOfResource(b -> b.resourceArn(backup)));
        String stream = "arn:aws:dynamodb:us-east-1:000000000000:table/Tagged/stream/2026-01-01T00:00:00.000";
        rejected("ResourceNotFoundException", "Requested resource not found: ResourceArn: " + stream + " not found",
                () -> ddb.listTagsOfResource(b -> b.resourceArn(stream)));
        rejected("ResourceNotFoundException", "Requested resource not found: ResourceArn: " + stream + " not found",
                () -> ddb.untagResource(b -> b.resourceArn(stream).tagKeys("k")));
        // The Tags and TagKeys members are looked at before the rest of an ARN (dynalite's tests, recorded against DynamoDB).
        String unknownRegion = "arn:aws:dynamodb:eu-west-1:000000000000:table/Tagged";
        assertEquals("1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null",
                TestTables.raw(node.server(), "TagResource", "{'ResourceArn':'" + unknownRegion + "'}").message());
        assertEquals("1 validation error detected: Value null at 'tagKeys' failed to satisfy constraint: Member must not be null",
                TestTables.raw(node.server(), "UntagResource", "{'ResourceArn':'" + backup + "'}").message());

        TestTables.Raw noArn = TestTables.raw(node.server(), "TagResource", "{'Tags':[{'Key':'k','Value':'v'}]}");
        assertEquals(400, noArn.status());
        assertEquals("Invalid TableArn", noArn.message());
        String arn = createTable("TagsNull");
        // Answered with an empty body, as DynamoDB answers the tagging operations.
        TestTables.Raw tagged = TestTables.raw(node.server(), "TagResource", "{'ResourceArn':'" + arn + "','Tags':[{'Key':'k','Value':'v'}]}");
        assertEquals(200, tagged.status());
        assertTrue(tagged.body().isMissingNode(), tagged.body().toString());
        TestTables.Raw untagged = TestTables.raw(node.server(), "UntagResource", "{'ResourceArn':'" + arn + "','TagKeys':['k']}");
        assertEquals(200, untagged.status());
        assertTrue(untagged.body().isMissingNode(), untagged.body().toString());
        TestTables.Raw noTags = TestTables.raw(node.server(), "TagResource", "{'ResourceArn':'" + arn + "'}");
        assertEquals("1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null",
                noTags.message());
        TestTables.Raw noValue = TestTables.raw(node.server(), "TagResource", "{'ResourceArn':'" + arn + "','Tags':[{'Key':'k'}]}");
        assertEquals("The Tag Value provided is invalid, Value: null", noValue.message());
        TestTables.Raw noKeys = TestTables.raw(node.server(), "UntagResource", "{'ResourceArn':'" + arn + "'}");
        assertEquals("1 validation error detected: Value null at 'tagKeys' failed to satisfy constraint: Member must not be null",
                noKeys.message());
        TestTables.Raw wrongType = TestTables.raw(node.server(), "TagResource", "{'ResourceArn':'" + arn + "','Tags':{'k':'v'}}");
        assertEquals("com.amazon.coral.service#SerializationException", wrongType.type());
    }

    @Test
    void tagsGoWithTheTable() {
        String arn = createTable("Recreated");
        ddb.tagResource(b -> b.resourceArn(arn).tags(tag("old", "v")));
        ddb.deleteTable(b -> b.tableName("Recreated"));
        rejected("ResourceNotFoundException", "Requested resource not found: ResourceArn: " + arn + " not found",
                () -> ddb.listTagsOfResource(b -> b.resourceArn(arn)));
        // The same name again is a new table with the same ARN and no tags.
        assertEquals(arn, createTable("Recreated"));
        assertEquals(List.of(), allTags(arn));
        assertNull(ddb.listTagsOfResource(b -> b.resourceArn(arn)).nextToken());
    }
}
