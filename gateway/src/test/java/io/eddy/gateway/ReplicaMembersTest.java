package io.eddy.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.model.DynamoException;
import io.eddy.model.SharedSettingsVersion;
import io.eddy.model.TableOptions;
import io.eddy.model.TableOptions.RemovedReplica;
import io.eddy.model.TableOptions.Replica;
import io.eddy.model.TableOptions.ReplicaStatus;
import io.eddy.model.TimeToLive;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How a node merges another region's view of a global table's shared settings: each replica's
 * entry, each removal and the TTL setting go by their own versions, so views that cross (two
 * regions changing different replicas at once, a region back from being down with an older view)
 * lose no change.
 */
class ReplicaMembersTest {

    private static final String HERE = "us-east-1";
    private static final String SOURCE = "us-west-2";

    private static SharedSettingsVersion v(long counter, String region) {
        return new SharedSettingsVersion(counter, region);
    }

    /** A view from SOURCE: entries as "region:STATUS:counter:versionRegion", removals as "region:counter:versionRegion". */
    private static RequestBody view(List<String> entries, List<String> removals, String ttl) throws Exception {
        StringBuilder json = new StringBuilder("{\"TableName\":\"T\",\"SourceRegion\":\"" + SOURCE + "\",\"Replicas\":[");
        json.append("{\"RegionName\":\"" + SOURCE + "\",\"ReplicaStatus\":\"ACTIVE\",\"Version\":{\"Counter\":0,\"Region\":\"\"}}");
        for (String entry : entries) {
            String[] p = entry.split(":");
            json.append(",{\"RegionName\":\"" + p[0] + "\",\"ReplicaStatus\":\"" + p[1] + "\",\"Version\":{\"Counter\":" + p[2]
                    + ",\"Region\":\"" + p[3] + "\"}}");
        }
        json.append("],\"RemovedReplicas\":[");
        for (int i = 0; i < removals.size(); i++) {
            String[] p = removals.get(i).split(":");
            json.append(i == 0 ? "" : ",").append("{\"RegionName\":\"" + p[0] + "\",\"Version\":{\"Counter\":" + p[1]
                    + ",\"Region\":\"" + p[2] + "\"}}");
        }
        json.append("],\"TimeToLive\":").append(ttl).append('}');
        return new RequestBody(Json.MAPPER.readTree(json.toString()));
    }

    private static final String OLD_TTL = "{\"Version\":{\"Counter\":1,\"Region\":\"us-west-2\"}}";

    private static TableOptions merged(RequestBody view, TableOptions options) {
        return ReplicaMembers.merged(view, HERE, SOURCE, options);
    }

    @Test
    void eachEntryIsTakenOnlyWhereTheViewIsNewer() throws Exception {
        TableOptions here = TableOptions.DEFAULTS.withReplicas(List.of(
                new Replica(SOURCE, ReplicaStatus.ACTIVE, false, null, v(5, HERE)),
                new Replica("eu-west-1", ReplicaStatus.ACTIVE, false, "creation", v(20, HERE)),
                new Replica("ap-south-1", ReplicaStatus.CREATING, false, null, v(10, SOURCE))));
        TableOptions result = merged(view(List.of("eu-west-1:CREATING:15:us-west-2", "ap-south-1:ACTIVE:30:us-west-2",
                "sa-east-1:CREATING:12:us-west-2", HERE + ":DELETING:99:us-west-2", SOURCE + ":DELETING:99:us-west-2"),
                List.of(HERE + ":99:us-west-2", SOURCE + ":99:us-west-2"), OLD_TTL), here);
        // Older than what this node made: kept, creation id and all.
        assertEquals(new Replica("eu-west-1", ReplicaStatus.ACTIVE, false, "creation", v(20, HERE)),
                result.replica("eu-west-1").orElseThrow());
        assertEquals(new Replica("ap-south-1", ReplicaStatus.ACTIVE, false, null, v(30, SOURCE)), result.replica("ap-south-1").orElseThrow());
        assertEquals(ReplicaStatus.CREATING, result.replica("sa-east-1").orElseThrow().status(), "a replica this node had not heard of");
        // The sender's own entry and this region's are never taken from a view.
        assertEquals(v(5, HERE), result.replica(SOURCE).orElseThrow().version());
        assertTrue(result.replica(HERE).isEmpty());
        assertTrue(result.removedReplicas().isEmpty());
    }

    /** A view from SOURCE whose own entry reports the read maximum {@code maxRead} at {@code reportedMicros}. */
    private static RequestBody reporting(long maxRead, long reportedMicros, String otherEntry) throws Exception {
        String settings = ",\"Settings\":{\"MaxReadRequestUnits\":" + maxRead + ",\"IndexMaxReadRequestUnits\":{\"ByYear\":7},"
                + "\"ReportedMicros\":" + reportedMicros + "}";
        return new RequestBody(Json.MAPPER.readTree("{\"TableName\":\"T\",\"SourceRegion\":\"" + SOURCE + "\",\"Replicas\":["
                + "{\"RegionName\":\"" + SOURCE + "\",\"ReplicaStatus\":\"ACTIVE\",\"Version\":{\"Counter\":0,\"Region\":\"\"}"
                + settings + "}" + otherEntry + "],\"RemovedReplicas\":[],\"TimeToLive\":" + OLD_TTL + "}"));
    }

    @Test
    void aReplicasOwnSettingsAreTakenFromALaterReportThatChangesThem() throws Exception {
        TableOptions here = TableOptions.DEFAULTS.withReplicas(List.of(new Replica(SOURCE, ReplicaStatus.ACTIVE, false, null, v(5, HERE)),
                new Replica("eu-west-1", ReplicaStatus.ACTIVE, false, null, v(5, HERE))));
        TableOptions first = merged(reporting(100, 1_000, ""), here);
        TableOptions.ReplicaSettings reported = first.replica(SOURCE).orElseThrow().settings();
        assertEquals(100L, reported.maxReadRequestUnits());
        assertEquals(java.util.Map.of("ByYear", 7L), reported.indexMaxReadRequestUnits());
        // The same settings reported later change nothing (no view change, no announcement); older ones are not taken.
        assertEquals(first, merged(reporting(100, 2_000, ""), first));
        assertEquals(first, merged(reporting(50, 500, ""), first));
        assertEquals(200L, merged(reporting(200, 3_000, ""), first).replica(SOURCE).orElseThrow().settings().maxReadRequestUnits());
        // A replica being created again lists no settings until it reports its own.
        TableOptions withEurope = first.withReplicaSettings("eu-west-1", reported);
        TableOptions recreated = merged(reporting(100, 1_000, ",{\"RegionName\":\"eu-west-1\",\"ReplicaStatus\":\"CREATING\","
                + "\"Version\":{\"Counter\":9,\"Region\":\"us-west-2\"}}"), withEurope);
        assertEquals(null, recreated.replica("eu-west-1").orElseThrow().settings());
    }

    @Test
    void aViewThatLeavesAReplicaOutDoesNotRemoveIt() throws Exception {
        // Two regions each created a replica at once: neither view names the other's, and both stay.
        TableOptions here = TableOptions.DEFAULTS.withReplicas(List.of(
                new Replica("eu-west-1", ReplicaStatus.CREATING, true, "mine", v(40, HERE))));
        TableOptions result = merged(view(List.of("ap-south-1:CREATING:41:us-west-2"), List.of(), OLD_TTL), here);
        assertEquals(List.of("eu-west-1", "ap-south-1"), result.replicas().stream().map(Replica::regionName).toList());
        assertTrue(result.replica("eu-west-1").orElseThrow().seeding(), "still this node's to seed");
    }

    @Test
    void removalsGoByVersionToo() throws Exception {
        TableOptions here = TableOptions.DEFAULTS.withReplicas(List.of(
                new Replica("eu-west-1", ReplicaStatus.ACTIVE, false, null, v(10, HERE)),
                new Replica("ap-south-1", ReplicaStatus.ACTIVE, false, null, v(50, HERE))))
                .withRemovedReplicas(List.of(new RemovedReplica("sa-east-1", v(30, HERE))));
        TableOptions result = merged(view(List.of("sa-east-1:ACTIVE:20:us-west-2"),
                List.of("eu-west-1:11:us-west-2", "ap-south-1:49:us-west-2"), OLD_TTL), here);
        assertTrue(result.replica("eu-west-1").isEmpty(), "removed after the entry this node had");
        assertEquals(v(11, SOURCE), result.removedReplica("eu-west-1").orElseThrow().version());
        assertTrue(result.replica("ap-south-1").isPresent(), "re-created after that removal");
        assertTrue(result.removedReplica("ap-south-1").isEmpty());
        assertTrue(result.replica("sa-east-1").isEmpty(), "an entry from before its removal does not bring it back");

        TableOptions again = merged(view(List.of("sa-east-1:CREATING:31:us-west-2"), List.of(), OLD_TTL), result);
        assertEquals(ReplicaStatus.CREATING, again.replica("sa-east-1").orElseThrow().status(), "created again after its removal");
        assertTrue(again.removedReplica("sa-east-1").isEmpty());
    }

    @Test
    void theTtlSettingGoesByItsVersionAndASeedingTakenOverIsNoLongerThisNodes() throws Exception {
        TableOptions here = TableOptions.DEFAULTS.withTimeToLive(new TimeToLive("expires", 1000L, v(100, HERE)))
                .withReplicas(List.of(new Replica("eu-west-1", ReplicaStatus.CREATING, true, "mine", v(40, HERE))));
        TableOptions older = merged(view(List.of(), List.of(), OLD_TTL), here);
        assertEquals("expires", older.timeToLive().attributeName());
        TableOptions newer = merged(view(List.of("eu-west-1:DELETING:41:us-west-2"), List.of(),
                "{\"LastUpdateMillis\":2000,\"Version\":{\"Counter\":101,\"Region\":\"us-west-2\"}}"), here);
        assertEquals(new TimeToLive(null, 2000L, v(101, SOURCE)), newer.timeToLive());
        Replica deleting = newer.replica("eu-west-1").orElseThrow();
        assertEquals(ReplicaStatus.DELETING, deleting.status());
        assertFalse(deleting.seeding(), "deleted by the region that marked it, no longer seeded here");
        assertEquals("mine", deleting.creationId());
    }

    @Test
    void aViewWithoutVersionsIsRefused() throws Exception {
        RequestBody unversioned = new RequestBody(Json.MAPPER.readTree("{\"TableName\":\"T\",\"SourceRegion\":\"us-west-2\","
                + "\"Replicas\":[{\"RegionName\":\"eu-west-1\",\"ReplicaStatus\":\"ACTIVE\"}],\"TimeToLive\":" + OLD_TTL + "}"));
        DynamoException refused = assertThrows(DynamoException.class, () -> merged(unversioned, TableOptions.DEFAULTS));
        assertEquals("Each Version needs a Counter of at least 0 and a Region", refused.getMessage());
        long farAhead = (System.currentTimeMillis() + java.time.Duration.ofHours(2).toMillis()) * 1000;
        DynamoException ahead = assertThrows(DynamoException.class, () -> merged(view(List.of("eu-west-1:ACTIVE:" + farAhead + ":us-west-2"),
                List.of(), OLD_TTL), TableOptions.DEFAULTS));
        assertEquals("A Version's Counter is more than an hour ahead of this node's clock: " + farAhead, ahead.getMessage());
        DynamoException badStatus = assertThrows(DynamoException.class, () -> merged(view(List.of(HERE + ":GONE:1:us-west-2"),
                List.of(), OLD_TTL), TableOptions.DEFAULTS));
        assertEquals("Unknown ReplicaStatus GONE of region us-east-1", badStatus.getMessage(), "checked even where it is not taken");
        RequestBody noTtl = new RequestBody(Json.MAPPER.readTree("{\"TableName\":\"T\",\"SourceRegion\":\"us-west-2\",\"Replicas\":[]}"));
        assertEquals("TimeToLive is required", assertThrows(DynamoException.class, () -> merged(noTtl, TableOptions.DEFAULTS)).getMessage());
    }
}
