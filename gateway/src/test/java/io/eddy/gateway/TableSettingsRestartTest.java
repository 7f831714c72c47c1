package io.eddy.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.persistence.JournalExtension;
import io.eddy.persistence.JournalStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
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

    @Test
    void theCatalogCompactsAndAStartReplaysOnlyWhatFollowsItsLastCompaction() throws Exception {
        List<String> tables;
        String arn;
        try (TestNode first = TestNode.start(dataDir, Map.of("eddy.catalog-compact-every", 5))) {
            var ddb = first.client;
            for (int i = 0; i < 12; i++) ddb.createTable(ControlPlaneTest.hashTable("Churn" + i, ScalarAttributeType.S).build());
            for (int i = 0; i < 12; i += 2) {
                String name = "Churn" + i;
                ddb.deleteTable(b -> b.tableName(name));
            }
            String tagged = ddb.describeTable(b -> b.tableName("Churn1")).table().tableArn();
            ddb.tagResource(b -> b.resourceArn(tagged).tags(TagsTest.tag("kept", "yes")));
            arn = tagged;
            ddb.putItem(b -> b.tableName("Churn3").item(Map.of("pk", AttributeValue.fromS("a"))));
            tables = ddb.listTables().tableNames();
            assertEquals(List.of("Churn1", "Churn11", "Churn3", "Churn5", "Churn7", "Churn9"), tables);

            // 19 changes: compacted after the 5th, 10th and 15th; the events before the last go.
            JournalStore journal = JournalExtension.get(Adapter.toClassic(first.node.system())).store();
            TriggersTest.await(() -> journal.lowestSequenceNr("table-catalog") == 18, "the catalog's events before its last compaction deleted");
            assertEquals(22, journal.highestSequenceNr("table-catalog"));
        }

        try (TestNode second = TestNode.start(dataDir)) {
            var ddb = second.client;
            assertEquals(tables, ddb.listTables().tableNames());
            String tagged = arn;
            assertEquals(List.of(TagsTest.tag("kept", "yes")), ddb.listTagsOfResource(b -> b.resourceArn(tagged)).tags());
            assertEquals(Map.of("pk", AttributeValue.fromS("a")),
                    ddb.getItem(b -> b.tableName("Churn3").key(Map.of("pk", AttributeValue.fromS("a")))).item());
            ddb.createTable(ControlPlaneTest.hashTable("Churn0", ScalarAttributeType.S).build());
            assertEquals("ACTIVE", ddb.describeTable(b -> b.tableName("Churn0")).table().tableStatusAsString());
        }
    }
}
