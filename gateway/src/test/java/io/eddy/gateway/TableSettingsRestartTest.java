package io.eddy.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.OnDemandThroughput;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableClass;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.Tag;

/** Tags and table settings are journaled with the table: they survive a stop and a start on the same data directory. */
class TableSettingsRestartTest {

    @TempDir
    Path dataDir;

    @Test
    void tagsAndSettingsSurviveRestart() throws Exception {
        String arn;
        TableDescription before;
        try (TestNode first = TestNode.start(dataDir)) {
            var ddb = first.client;
            ddb.createTable(ControlPlaneTest.hashTable("Settled", ScalarAttributeType.S)
                    .tags(TagsTest.tag("created", "at start"), TagsTest.tag("removed", "later"))
                    .deletionProtectionEnabled(true)
                    .onDemandThroughput(o -> o.maxReadRequestUnits(300L)).build());
            arn = ddb.describeTable(b -> b.tableName("Settled")).table().tableArn();
            ddb.tagResource(b -> b.resourceArn(arn).tags(TagsTest.tag("added", "later"), TagsTest.tag("created", "replaced")));
            ddb.untagResource(b -> b.resourceArn(arn).tagKeys("removed"));
            ddb.updateTable(b -> b.tableName("Settled").tableClass(TableClass.STANDARD_INFREQUENT_ACCESS));
            ddb.updateTable(b -> b.tableName("Settled").onDemandThroughput(o -> o.maxWriteRequestUnits(40L)));
            before = ddb.describeTable(b -> b.tableName("Settled")).table();
        }

        try (TestNode second = TestNode.start(dataDir)) {
            var ddb = second.client;
            TableDescription after = ddb.describeTable(b -> b.tableName("Settled")).table();
            assertTrue(after.deletionProtectionEnabled());
            assertEquals(TableClass.STANDARD_INFREQUENT_ACCESS, after.tableClassSummary().tableClass());
            assertEquals(before.tableClassSummary(), after.tableClassSummary());
            assertEquals(OnDemandThroughput.builder().maxReadRequestUnits(300L).maxWriteRequestUnits(40L).build(),
                    after.onDemandThroughput());
            List<Tag> tags = ddb.listTagsOfResource(b -> b.resourceArn(arn)).tags();
            assertEquals(List.of(TagsTest.tag("created", "replaced"), TagsTest.tag("added", "later")), tags);

            // Changes after the restart continue from the recovered state.
            ddb.untagResource(b -> b.resourceArn(arn).tagKeys("created"));
            ddb.updateTable(b -> b.tableName("Settled").deletionProtectionEnabled(false));
        }

        try (TestNode third = TestNode.start(dataDir)) {
            var ddb = third.client;
            assertEquals(List.of(TagsTest.tag("added", "later")), ddb.listTagsOfResource(b -> b.resourceArn(arn)).tags());
            ddb.deleteTable(b -> b.tableName("Settled"));
        }
    }
}
