package io.eddy.gateway;

import static io.eddy.gateway.TestTables.b;
import static io.eddy.gateway.TestTables.invalid;
import static io.eddy.gateway.TestTables.n;
import static io.eddy.gateway.TestTables.rejected;
import static io.eddy.gateway.TestTables.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.eddy.model.AttributeValueJson;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ExportDescription;
import software.amazon.awssdk.services.dynamodb.model.ExportSummary;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * ExportTableToPointInTime, DescribeExport and ListExports end to end with the AWS SDK v2: the
 * files of a full export in DynamoDB's layout, read back and compared with the table as it was at
 * the export time; records that survive a restart; and the requests DynamoDB refuses.
 */
class ExportTest {

    @TempDir
    Path dataDir;

    private static Map<String, AttributeValue> item(int i, String version) {
        return Map.of("id", s("item-" + i), "n", n(Integer.toString(i)), "version", s(version),
                "blob", b(1, 2, i), "tags", AttributeValue.fromSs(List.of("a", "b" + i)),
                "doc", AttributeValue.fromM(Map.of("list", AttributeValue.fromL(List.of(n("1.5"), AttributeValue.fromNul(true),
                        AttributeValue.fromBool(false))))));
    }

    private static String arn(String table) {
        return "arn:aws:dynamodb:us-east-1:000000000000:table/" + table;
    }

    private static void createWithRecovery(DynamoDbClient ddb, String table) {
        TestTables.create(ddb, table, "id", ScalarAttributeType.S, null, null);
        ddb.updateContinuousBackups(b -> b.tableName(table).pointInTimeRecoverySpecification(p -> p.pointInTimeRecoveryEnabled(true)));
    }

    static ExportDescription awaitEnd(DynamoDbClient ddb, String exportArn) throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            ExportDescription export = ddb.describeExport(b -> b.exportArn(exportArn)).exportDescription();
            if (!export.exportStatusAsString().equals("IN_PROGRESS")) return export;
            Thread.sleep(100);
        }
        throw new AssertionError("export " + exportArn + " still IN_PROGRESS");
    }

    /** The items of the export's data files, by id, after checking every file against the manifests. */
    private static Map<String, Map<String, AttributeValue>> exportedItems(Path bucket, ExportDescription export) throws Exception {
        JsonNode summary = Json.MAPPER.readTree(Files.readAllBytes(bucket.resolve(export.exportManifest())));
        assertEquals(List.of("version", "exportArn", "startTime", "endTime", "tableArn", "tableId", "exportTime", "s3Bucket", "s3Prefix",
                "s3SseAlgorithm", "s3SseKmsKeyId", "manifestFilesS3Key", "billedSizeBytes", "itemCount", "outputFormat"),
                iterate(summary.fieldNames()));
        assertEquals("2020-06-30", summary.get("version").asText());
        assertEquals(export.exportArn(), summary.get("exportArn").asText());
        for (String time : List.of("startTime", "endTime", "exportTime")) {
            assertTrue(summary.get(time).asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"), summary.toString());
        }
        assertEquals(export.exportTime().truncatedTo(ChronoUnit.MILLIS), Instant.parse(summary.get("exportTime").asText()));
        assertEquals(export.itemCount().longValue(), summary.get("itemCount").asLong());
        assertEquals("DYNAMODB_JSON", summary.get("outputFormat").asText());
        assertMd5Beside(bucket.resolve(export.exportManifest()));
        Path filesManifest = bucket.resolve(summary.get("manifestFilesS3Key").asText());
        assertMd5Beside(filesManifest);
        assertTrue(Files.exists(filesManifest.resolveSibling("_started")));

        Map<String, Map<String, AttributeValue>> items = new TreeMap<>();
        long counted = 0;
        for (String line : Files.readAllLines(filesManifest)) {
            JsonNode file = Json.MAPPER.readTree(line);
            byte[] gzipped = Files.readAllBytes(bucket.resolve(file.get("dataFileS3Key").asText()));
            byte[] md5 = MessageDigest.getInstance("MD5").digest(gzipped);
            assertEquals(Base64.getEncoder().encodeToString(md5), file.get("md5Checksum").asText());
            assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(md5)) + "-1", file.get("etag").asText());
            String content = new String(new GZIPInputStream(new ByteArrayInputStream(gzipped)).readAllBytes(), StandardCharsets.UTF_8);
            List<String> lines = content.isEmpty() ? List.of() : List.of(content.split("\n"));
            assertEquals(file.get("itemCount").asLong(), lines.size());
            for (String itemLine : lines) {
                JsonNode wrapped = Json.MAPPER.readTree(itemLine);
                assertEquals(List.of("Item"), iterate(wrapped.fieldNames()));
                AttributeValueJson.checkItemShape(wrapped.get("Item"));
                items.put(wrapped.get("Item").get("id").get("S").asText(), sdkItem(wrapped.get("Item")));
            }
            counted += lines.size();
        }
        assertEquals(export.itemCount().longValue(), counted);
        return items;
    }

    /** An item in DynamoDB JSON as the SDK's model has it. */
    private static Map<String, AttributeValue> sdkItem(JsonNode item) {
        Map<String, AttributeValue> converted = new TreeMap<>();
        item.fields().forEachRemaining(field -> converted.put(field.getKey(), sdkValue(field.getValue())));
        return converted;
    }

    private static AttributeValue sdkValue(JsonNode value) {
        String type = value.fieldNames().next();
        JsonNode v = value.get(type);
        return switch (type) {
            case "S" -> AttributeValue.fromS(v.asText());
            case "N" -> AttributeValue.fromN(v.asText());
            case "B" -> AttributeValue.fromB(software.amazon.awssdk.core.SdkBytes.fromByteArray(Base64.getDecoder().decode(v.asText())));
            case "BOOL" -> AttributeValue.fromBool(v.asBoolean());
            case "NULL" -> AttributeValue.fromNul(v.asBoolean());
            case "SS" -> AttributeValue.fromSs(iterate(v.elements()).stream().map(JsonNode::asText).toList());
            case "NS" -> AttributeValue.fromNs(iterate(v.elements()).stream().map(JsonNode::asText).toList());
            case "L" -> AttributeValue.fromL(iterate(v.elements()).stream().map(ExportTest::sdkValue).toList());
            case "M" -> {
                Map<String, AttributeValue> map = new TreeMap<>();
                v.fields().forEachRemaining(field -> map.put(field.getKey(), sdkValue(field.getValue())));
                yield AttributeValue.fromM(map);
            }
            default -> throw new AssertionError("unexpected type " + type);
        };
    }

    private static <T> List<T> iterate(java.util.Iterator<T> iterator) {
        List<T> list = new ArrayList<>();
        iterator.forEachRemaining(list::add);
        return list;
    }

    private static void assertMd5Beside(Path json) throws Exception {
        String md5 = Files.readString(json.resolveSibling(json.getFileName().toString().replace(".json", ".md5")));
        assertEquals(Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(Files.readAllBytes(json))), md5);
    }

    private static Map<String, Map<String, AttributeValue>> normalized(Map<String, Map<String, AttributeValue>> items) {
        Map<String, Map<String, AttributeValue>> result = new TreeMap<>();
        items.forEach((id, item) -> result.put(id, new TreeMap<>(item)));
        return result;
    }

    private static Map<String, Map<String, AttributeValue>> scan(DynamoDbClient ddb, String table) {
        Map<String, Map<String, AttributeValue>> items = new TreeMap<>();
        ddb.scanPaginator(b -> b.tableName(table).consistentRead(true)).items().forEach(item -> items.put(item.get("id").s(), item));
        return items;
    }

    @Test
    void aFullExportHoldsTheTableAsItWasAtTheExportTimeAndSurvivesARestart() throws Exception {
        Path bucket = dataDir.resolve("s3").resolve("exports-bucket");
        String exportArn;
        Map<String, Map<String, AttributeValue>> atExportTime;
        try (TestNode node = TestNode.start(dataDir)) {
            DynamoDbClient ddb = node.client;
            Files.createDirectories(bucket);
            createWithRecovery(ddb, "Catalog");
            for (int i = 0; i < 250; i++) {
                int id = i;
                ddb.putItem(b -> b.tableName("Catalog").item(item(id, "old")));
            }
            Thread.sleep(20);
            Instant exportTime = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            Thread.sleep(20);
            atExportTime = scan(ddb, "Catalog");
            // Changes after the export time are not in it.
            for (int i = 0; i < 10; i++) {
                int id = i;
                ddb.putItem(b -> b.tableName("Catalog").item(item(id, "new")));
                ddb.deleteItem(b -> b.tableName("Catalog").key(Map.of("id", s("item-" + (id + 100)))));
            }
            ddb.putItem(b -> b.tableName("Catalog").item(item(1000, "new")));

            ExportDescription started = ddb.exportTableToPointInTime(b -> b.tableArn(arn("Catalog")).s3Bucket("exports-bucket")
                    .s3Prefix("nightly/catalog").exportTime(exportTime).clientToken("token-1")).exportDescription();
            exportArn = started.exportArn();
            assertEquals("IN_PROGRESS", started.exportStatusAsString());
            assertTrue(exportArn.matches("arn:aws:dynamodb:us-east-1:000000000000:table/Catalog/export/\\d{14}-[0-9a-f]{8}"), exportArn);
            assertEquals(exportTime, started.exportTime());
            assertEquals("DYNAMODB_JSON", started.exportFormatAsString());
            assertEquals("AES256", started.s3SseAlgorithmAsString());
            assertEquals("token-1", started.clientToken());
            assertEquals("FULL_EXPORT", started.exportTypeAsString(), "FULL_EXPORT when the request names none");
            assertNull(started.endTime());
            assertEquals(ddb.describeTable(b -> b.tableName("Catalog")).table().tableId(), started.tableId());
            // The same request with the same token is the same export.
            assertEquals(exportArn, ddb.exportTableToPointInTime(b -> b.tableArn(arn("Catalog")).s3Bucket("exports-bucket")
                    .s3Prefix("nightly/catalog").exportTime(exportTime).clientToken("token-1")).exportDescription().exportArn());

            ExportDescription done = awaitEnd(ddb, exportArn);
            assertEquals("COMPLETED", done.exportStatusAsString(), done.failureMessage());
            assertEquals(250, done.itemCount());
            assertTrue(done.billedSizeBytes() > 0);
            assertFalse(done.endTime().isBefore(done.startTime()));
            String id = exportArn.substring(exportArn.lastIndexOf('/') + 1);
            assertEquals("nightly/catalog/AWSDynamoDB/" + id + "/manifest-summary.json", done.exportManifest());
            assertEquals(Set.of("_started", "data", "manifest-files.json", "manifest-files.md5", "manifest-summary.json", "manifest-summary.md5"),
                    Files.list(bucket.resolve("nightly/catalog/AWSDynamoDB/" + id)).map(p -> p.getFileName().toString()).collect(Collectors.toSet()));
            assertEquals(normalized(atExportTime), normalized(exportedItems(bucket, done)));

            // Another export, of now, sees the later changes; an empty table exports an empty data file.
            TestTables.create(ddb, "Empty", "id", ScalarAttributeType.S, null, null);
            ddb.updateContinuousBackups(b -> b.tableName("Empty").pointInTimeRecoverySpecification(p -> p.pointInTimeRecoveryEnabled(true)));
            ExportDescription now = awaitEnd(ddb, ddb.exportTableToPointInTime(b -> b.tableArn(arn("Catalog"))
                    .s3Bucket("exports-bucket")).exportDescription().exportArn());
            assertEquals(normalized(scan(ddb, "Catalog")), normalized(exportedItems(bucket, now)));
            ExportDescription empty = awaitEnd(ddb, ddb.exportTableToPointInTime(b -> b.tableArn(arn("Empty"))
                    .s3Bucket("exports-bucket").exportType("FULL_EXPORT")).exportDescription().exportArn());
            assertEquals("COMPLETED", empty.exportStatusAsString());
            assertEquals("FULL_EXPORT", empty.exportTypeAsString());
            assertEquals(0, empty.itemCount());
            assertEquals(Map.of(), exportedItems(bucket, empty));
            // A token names one export, of whichever table (DynamoDB: ExportConflictException for another TableArn).
            rejected("ExportConflictException", "Export conflict: Duplicate request detected with conflicting parameters",
                    () -> ddb.exportTableToPointInTime(b -> b.tableArn(arn("Empty")).s3Bucket("exports-bucket").clientToken("token-1")));
            String emptyId = empty.exportArn().substring(empty.exportArn().lastIndexOf('/') + 1);
            List<String> emptyFiles = Files.readAllLines(bucket.resolve("AWSDynamoDB/" + emptyId + "/manifest-files.json"));
            assertEquals(1, emptyFiles.size());
            assertEquals(0, Json.MAPPER.readTree(emptyFiles.get(0)).get("itemCount").asInt());
            // Each export released its hold on the table's history.
            assertFalse(node.node.shards().tables().historyHeld(java.util.UUID.fromString(done.tableId())));

            List<String> listed = new ArrayList<>();
            String next = null;
            do {
                String token = next;
                var page = ddb.listExports(b -> b.maxResults(1).nextToken(token));
                page.exportSummaries().forEach(summary -> listed.add(summary.exportArn()));
                next = page.nextToken();
            } while (next != null);
            assertEquals(List.of(empty.exportArn(), now.exportArn(), exportArn), listed);
            assertEquals(List.of(now.exportArn(), exportArn), ddb.listExports(b -> b.tableArn(arn("Catalog"))).exportSummaries().stream()
                    .map(ExportSummary::exportArn).toList());
            assertEquals("FULL_EXPORT", ddb.listExports(b -> b.tableArn(arn("Catalog"))).exportSummaries().get(0).exportTypeAsString());
            // A NextToken is a place among all exports: one of another table's listing goes on from there (DynamoDB
            // answers it, with no entries where none is older).
            var fromEmpty = ddb.listExports(b -> b.tableArn(arn("Catalog")).maxResults(1).nextToken(empty.exportArn()));
            assertEquals(List.of(now.exportArn()), fromEmpty.exportSummaries().stream().map(ExportSummary::exportArn).toList());
            assertEquals(now.exportArn(), fromEmpty.nextToken());
            var olderThanNow = ddb.listExports(b -> b.tableArn(arn("Empty")).nextToken(now.exportArn()));
            assertEquals(List.of(), olderThanNow.exportSummaries());
            assertNull(olderThanNow.nextToken());
        }
        try (TestNode node = TestNode.start(dataDir)) {
            ExportDescription after = node.client.describeExport(b -> b.exportArn(exportArn)).exportDescription();
            assertEquals("COMPLETED", after.exportStatusAsString());
            assertEquals(250, after.itemCount());
            assertEquals(normalized(atExportTime), normalized(exportedItems(bucket, after)));
            assertEquals(3, node.client.listExports(b -> b.maxResults(25)).exportSummaries().size());
        }
    }

    /** The lines of an incremental export's data files, by the "id" of their Keys. */
    private static Map<String, JsonNode> incrementalLines(Path bucket, ExportDescription export) throws Exception {
        JsonNode summary = Json.MAPPER.readTree(Files.readAllBytes(bucket.resolve(export.exportManifest())));
        assertEquals(List.of("version", "exportArn", "startTime", "endTime", "tableArn", "tableId", "exportFromTime", "exportToTime",
                "s3Bucket", "s3Prefix", "s3SseAlgorithm", "s3SseKmsKeyId", "manifestFilesS3Key", "billedSizeBytes", "itemCount",
                "outputFormat", "outputView", "exportType"), iterate(summary.fieldNames()));
        assertEquals("2023-08-01", summary.get("version").asText());
        assertEquals(export.billedSizeBytes().longValue(), summary.get("billedSizeBytes").asLong());
        assertEquals("INCREMENTAL_EXPORT", summary.get("exportType").asText());
        assertEquals(export.incrementalExportSpecification().exportViewTypeAsString(), summary.get("outputView").asText());
        Map<String, JsonNode> lines = new TreeMap<>();
        for (String line : Files.readAllLines(bucket.resolve(summary.get("manifestFilesS3Key").asText()))) {
            String key = Json.MAPPER.readTree(line).get("dataFileS3Key").asText();
            assertTrue(key.startsWith("AWSDynamoDB/data/"), key); // shared by a prefix's incremental exports
            byte[] gzipped = Files.readAllBytes(bucket.resolve(key));
            String content = new String(new GZIPInputStream(new ByteArrayInputStream(gzipped)).readAllBytes(), StandardCharsets.UTF_8);
            for (String change : content.isEmpty() ? List.<String>of() : List.of(content.split("\n"))) {
                JsonNode node = Json.MAPPER.readTree(change);
                assertTrue(node.at("/Metadata/WriteTimestampMicros/N").asLong() > 0, change);
                lines.put(node.at("/Keys/id/S").asText(), node);
            }
        }
        return lines;
    }

    @Test
    void anIncrementalExportHoldsWhatTheChangesOfItsPeriodCameTo() throws Exception {
        Path bucket = dataDir.resolve("s3").resolve("changes");
        Files.createDirectories(bucket);
        try (TestNode node = TestNode.start(dataDir, Map.of("eddy.exports.incremental-minimum-period", "1s"))) {
            DynamoDbClient ddb = node.client;
            createWithRecovery(ddb, "Changes");
            Instant enabled = Instant.now();
            Thread.sleep(20);
            ddb.putItem(b -> b.tableName("Changes").item(Map.of("id", s("deleted"), "v", n("1"))));
            ddb.putItem(b -> b.tableName("Changes").item(Map.of("id", s("updated"), "v", n("1"))));
            Thread.sleep(20);
            Instant from = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            Thread.sleep(20);
            ddb.putItem(b -> b.tableName("Changes").item(Map.of("id", s("inserted"), "v", n("1"))));
            ddb.putItem(b -> b.tableName("Changes").item(Map.of("id", s("twice"), "v", n("1"))));
            ddb.putItem(b -> b.tableName("Changes").item(Map.of("id", s("twice"), "v", n("2"))));
            ddb.putItem(b -> b.tableName("Changes").item(Map.of("id", s("transient"), "v", n("1"))));
            ddb.deleteItem(b -> b.tableName("Changes").key(Map.of("id", s("transient"))));
            ddb.deleteItem(b -> b.tableName("Changes").key(Map.of("id", s("deleted"))));
            ddb.updateItem(b -> b.tableName("Changes").key(Map.of("id", s("updated"))).updateExpression("SET v = :v")
                    .expressionAttributeValues(Map.of(":v", n("2"))));
            Thread.sleep(1100);
            Instant to = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            Thread.sleep(20);
            ddb.putItem(b -> b.tableName("Changes").item(Map.of("id", s("after"), "v", n("1"))));

            ExportDescription started = ddb.exportTableToPointInTime(b -> b.tableArn(arn("Changes")).s3Bucket("changes").clientToken("inc")
                    .exportType("INCREMENTAL_EXPORT").incrementalExportSpecification(i -> i.exportFromTime(from).exportToTime(to)))
                    .exportDescription();
            // The same request is the same export; another period with the same token conflicts.
            assertEquals(started.exportArn(), ddb.exportTableToPointInTime(b -> b.tableArn(arn("Changes")).s3Bucket("changes")
                    .clientToken("inc").exportType("INCREMENTAL_EXPORT").incrementalExportSpecification(i -> i.exportFromTime(from)
                            .exportToTime(to).exportViewType("NEW_AND_OLD_IMAGES"))).exportDescription().exportArn());
            rejected("ExportConflictException", "Export conflict: Duplicate request detected with conflicting parameters",
                    () -> ddb.exportTableToPointInTime(b -> b.tableArn(arn("Changes")).s3Bucket("changes").clientToken("inc")
                            .exportType("INCREMENTAL_EXPORT").incrementalExportSpecification(i -> i.exportFromTime(from.minusMillis(1)).exportToTime(to))));
            assertEquals("INCREMENTAL_EXPORT", started.exportTypeAsString());
            assertNull(started.exportTime());
            assertEquals("NEW_AND_OLD_IMAGES", started.incrementalExportSpecification().exportViewTypeAsString());
            assertEquals(from, started.incrementalExportSpecification().exportFromTime());
            assertEquals(to, started.incrementalExportSpecification().exportToTime());
            assertTrue(started.exportArn().matches(".*/export/\\d{11}000-[0-9a-f]{8}"), started.exportArn());
            ExportDescription done = awaitEnd(ddb, started.exportArn());
            assertEquals("COMPLETED", done.exportStatusAsString(), done.failureMessage());
            assertEquals(4, done.itemCount());
            assertEquals(10_000_000, done.billedSizeBytes());
            Map<String, JsonNode> lines = incrementalLines(bucket, done);
            assertEquals(Set.of("deleted", "inserted", "twice", "updated"), lines.keySet());
            assertEquals(Set.of("Metadata", "Keys", "OldImage"), Set.copyOf(iterate(lines.get("deleted").fieldNames())));
            assertEquals(Set.of("Metadata", "Keys", "NewImage"), Set.copyOf(iterate(lines.get("inserted").fieldNames())));
            assertEquals("2", lines.get("twice").at("/NewImage/v/N").asText());
            assertFalse(lines.get("twice").has("OldImage"));
            assertEquals("1", lines.get("updated").at("/OldImage/v/N").asText());
            assertEquals("2", lines.get("updated").at("/NewImage/v/N").asText());

            ExportDescription newOnly = awaitEnd(ddb, ddb.exportTableToPointInTime(b -> b.tableArn(arn("Changes")).s3Bucket("changes")
                    .exportType("INCREMENTAL_EXPORT").incrementalExportSpecification(i -> i.exportFromTime(from).exportToTime(to)
                            .exportViewType("NEW_IMAGE"))).exportDescription().exportArn());
            Map<String, JsonNode> newLines = incrementalLines(bucket, newOnly);
            assertEquals(Set.of("Metadata", "Keys"), Set.copyOf(iterate(newLines.get("deleted").fieldNames())));
            assertEquals(Set.of("Metadata", "Keys", "NewImage"), Set.copyOf(iterate(newLines.get("updated").fieldNames())));

            rejected("InvalidExportTimeException", "Difference between export period from time and export period to time is less than 15 minutes",
                    () -> ddb.exportTableToPointInTime(b -> b.tableArn(arn("Changes")).s3Bucket("changes").exportType("INCREMENTAL_EXPORT")
                            .incrementalExportSpecification(i -> i.exportFromTime(from).exportToTime(from.plusMillis(500)))));
            Instant future = Instant.now().plusSeconds(3600);
            rejected("InvalidExportTimeException", "Incremental export period to time cannot be greater than the current time : "
                    + future.truncatedTo(ChronoUnit.SECONDS), () -> ddb.exportTableToPointInTime(b -> b.tableArn(arn("Changes"))
                    .s3Bucket("changes").exportType("INCREMENTAL_EXPORT").incrementalExportSpecification(i -> i.exportFromTime(from)
                            .exportToTime(future))));
            Instant early = enabled.minusSeconds(60);
            rejected("InvalidExportTimeException", "Incremental export period from time cannot be less than the table creation time : "
                    + early.truncatedTo(ChronoUnit.SECONDS), () -> ddb.exportTableToPointInTime(b -> b.tableArn(arn("Changes"))
                    .s3Bucket("changes").exportType("INCREMENTAL_EXPORT").incrementalExportSpecification(i -> i.exportFromTime(early))));
            invalid("Invalid Request: Incremental Export Specification expected when export type is set as Incremental Export",
                    () -> ddb.exportTableToPointInTime(b -> b.tableArn(arn("Changes")).s3Bucket("changes").exportType("INCREMENTAL_EXPORT")));
            invalid("Invalid Request: ExportFromTime must be provided in IncrementalExportSpecification",
                    () -> ddb.exportTableToPointInTime(b -> b.tableArn(arn("Changes")).s3Bucket("changes").exportType("INCREMENTAL_EXPORT")
                            .incrementalExportSpecification(i -> i.exportToTime(to))));
            invalid("Invalid Request: Export Type expected to be Incremental Export when incremental export specification is provided",
                    () -> ddb.exportTableToPointInTime(b -> b.tableArn(arn("Changes")).s3Bucket("changes")
                            .incrementalExportSpecification(i -> i.exportFromTime(from))));
        }
    }

    @Test
    void anExportThatAStopInterruptsRunsAgainAtTheNextStart() throws Exception {
        Path bucket = dataDir.resolve("s3").resolve("b1");
        Files.createDirectories(bucket);
        Files.createDirectories(dataDir.resolve("s3").resolve("b2"));
        String exportArn;
        String doomedArn;
        Map<String, Map<String, AttributeValue>> items;
        Map<String, Map<String, AttributeValue>> doomedItems;
        try (TestNode node = TestNode.start(dataDir)) {
            createWithRecovery(node.client, "Stopped");
            for (int i = 0; i < 50; i++) {
                int id = i;
                node.client.putItem(b -> b.tableName("Stopped").item(item(id, "v")));
            }
            items = scan(node.client, "Stopped");
            // An export of now waits two seconds for the moment to settle: the stop comes first.
            exportArn = node.client.exportTableToPointInTime(b -> b.tableArn(arn("Stopped")).s3Bucket("b1")).exportDescription().exportArn();
            // One of a table deleted before the stop too: the catalog forgets it, the export's record keeps it.
            node.client.createTable(b -> b.tableName("Doomed").billingMode("PAY_PER_REQUEST")
                    .attributeDefinitions(d -> d.attributeName("id").attributeType(ScalarAttributeType.S))
                    .keySchema(k -> k.attributeName("id").keyType(software.amazon.awssdk.services.dynamodb.model.KeyType.HASH)));
            node.client.updateContinuousBackups(b -> b.tableName("Doomed").pointInTimeRecoverySpecification(p -> p.pointInTimeRecoveryEnabled(true)));
            for (int i = 0; i < 20; i++) {
                int id = i;
                node.client.putItem(b -> b.tableName("Doomed").item(item(id, "d")));
            }
            doomedItems = scan(node.client, "Doomed");
            doomedArn = node.client.exportTableToPointInTime(b -> b.tableArn(arn("Doomed")).s3Bucket("b2")).exportDescription().exportArn();
            node.client.deleteTable(b -> b.tableName("Doomed"));
        }
        String id = exportArn.substring(exportArn.lastIndexOf('/') + 1);
        assertEquals("IN_PROGRESS", Json.MAPPER.readTree(Files.readAllBytes(dataDir.resolve("exports/" + id + ".json")))
                .get("ExportStatus").asText());
        try (TestNode node = TestNode.start(dataDir)) {
            ExportDescription done = awaitEnd(node.client, exportArn);
            assertEquals("COMPLETED", done.exportStatusAsString(), done.failureMessage());
            assertEquals(normalized(items), normalized(exportedItems(bucket, done)));
            String doomed = doomedArn;
            ExportDescription doomedDone = awaitEnd(node.client, doomed);
            assertEquals("COMPLETED", doomedDone.exportStatusAsString(), doomedDone.failureMessage());
            assertEquals(normalized(doomedItems), normalized(exportedItems(dataDir.resolve("s3").resolve("b2"), doomedDone)));
        }
    }

    @Test
    void aMissingBucketFailsTheExportAndBadRequestsAreRefused() throws Exception {
        try (TestNode node = TestNode.start(dataDir)) {
            DynamoDbClient ddb = node.client;
            TestTables.create(ddb, "NoRecovery", "id", ScalarAttributeType.S, null, null);
            createWithRecovery(ddb, "Orders");

            ExportDescription failed = awaitEnd(ddb, ddb.exportTableToPointInTime(b -> b.tableArn(arn("Orders"))
                    .s3Bucket("no-such-bucket")).exportDescription().exportArn());
            assertEquals("FAILED", failed.exportStatusAsString());
            assertEquals("S3NoSuchBucket", failed.failureCode());
            assertTrue(failed.failureMessage().startsWith("The specified bucket does not exist"), failed.failureMessage());
            assertEquals("FAILED", ddb.listExports(b -> b.tableArn(arn("Orders"))).exportSummaries().get(0).exportStatusAsString());

            rejected("PointInTimeRecoveryUnavailableException", "Point in time recovery is not enabled for table 'NoRecovery'",
                    () -> ddb.exportTableToPointInTime(b -> b.tableArn(arn("NoRecovery")).s3Bucket("bucket")));
            rejected("TableNotFoundException", "Table not found: " + arn("Nothing"),
                    () -> ddb.exportTableToPointInTime(b -> b.tableArn(arn("Nothing")).s3Bucket("bucket")));
            invalid("One or more parameter values were invalid: tableArn is not a valid ARN",
                    () -> ddb.exportTableToPointInTime(b -> b.tableArn("Orders").s3Bucket("bucket")));
            invalid("Invalid Request: Table ARN is invalid.",
                    () -> ddb.exportTableToPointInTime(b -> b.tableArn(arn("Orders") + "/index/byX").s3Bucket("bucket")));
            rejected("AccessDeniedException", "Access is denied", () -> ddb.exportTableToPointInTime(
                    b -> b.tableArn("arn:aws:dynamodb:us-east-1:111111111111:table/Orders").s3Bucket("bucket")));
            invalid("1 validation error detected: Value 'QWERTY' at 'exportFormat' failed to satisfy constraint: "
                    + "Member must satisfy enum value set: [ION, DYNAMODB_JSON]",
                    () -> ddb.exportTableToPointInTime(b -> b.tableArn(arn("Orders")).s3Bucket("bucket").exportFormat("QWERTY")));
            invalid("1 validation error detected: Value '' at 's3Bucket' failed to satisfy constraint: "
                    + "Member must satisfy regular expression pattern: ^[a-z0-9A-Z]+[\\.\\-\\w]*[a-z0-9A-Z]+$",
                    () -> ddb.exportTableToPointInTime(b -> b.tableArn(arn("Orders")).s3Bucket("")));
            invalid("Invalid Request: KMS Key Id is not supported for this encryption type",
                    () -> ddb.exportTableToPointInTime(b -> b.tableArn(arn("Orders")).s3Bucket("bucket").s3SseKmsKeyId("key")));
            invalid("Invalid Request: When Export Type is Full Export , Incremental Export Specification should not be provided",
                    () -> ddb.exportTableToPointInTime(b -> b.tableArn(arn("Orders")).s3Bucket("bucket").exportType("FULL_EXPORT")
                            .incrementalExportSpecification(i -> i.exportFromTime(Instant.now().minusSeconds(3600)))));
            rejected("InvalidExportTimeException", "Export Time is invalid", () -> ddb.exportTableToPointInTime(
                    b -> b.tableArn(arn("Orders")).s3Bucket("bucket").exportTime(Instant.now().plusSeconds(60))));
            rejected("InvalidExportTimeException", "Export Time is invalid", () -> ddb.exportTableToPointInTime(
                    b -> b.tableArn(arn("Orders")).s3Bucket("bucket").exportTime(Instant.now().minus(7, ChronoUnit.DAYS))));
            ddb.exportTableToPointInTime(b -> b.tableArn(arn("Orders")).s3Bucket("bucket").clientToken("reused"));
            rejected("ExportConflictException", "Export conflict: Duplicate request detected with conflicting parameters",
                    () -> ddb.exportTableToPointInTime(b -> b.tableArn(arn("Orders")).s3Bucket("other-bucket").clientToken("reused")));

            // A refused request does not take its token.
            invalid("1 validation error detected: Value 'CSV' at 'exportFormat' failed to satisfy constraint: "
                    + "Member must satisfy enum value set: [ION, DYNAMODB_JSON]",
                    () -> ddb.exportTableToPointInTime(b -> b.tableArn(arn("Orders")).s3Bucket("bucket").exportFormat("CSV").clientToken("t2")));
            ddb.exportTableToPointInTime(b -> b.tableArn(arn("Orders")).s3Bucket("bucket2").clientToken("t2"));
            TestTables.Raw infinite = TestTables.raw(node, "ExportTableToPointInTime",
                    "{'TableArn':'" + arn("Orders") + "','S3Bucket':'bucket','ExportTime':1e400}");
            assertEquals(400, infinite.status());
            assertEquals("com.amazon.coral.service#SerializationException", infinite.type());
            // Wrong JSON types are the front end's refusal, before any validation (the bucket here is invalid too).
            TestTables.Raw text = TestTables.raw(node, "ExportTableToPointInTime", "{'TableArn':'" + arn("Orders")
                    + "','S3Bucket':'-','ExportType':'INCREMENTAL_EXPORT','IncrementalExportSpecification':{'ExportFromTime':'now'}}");
            assertEquals("com.amazon.coral.service#SerializationException", text.type());

            String unknown = arn("Orders") + "/export/01234567890123-a1b2c3d4";
            rejected("ExportNotFoundException", "Export not found: Export not found: " + unknown,
                    () -> ddb.describeExport(b -> b.exportArn(unknown)));
            invalid("Invalid Export ARN", () -> ddb.describeExport(b -> b.exportArn(arn("Orders") + "/import/01234567890123-a1b2c3d4")));
            invalid("1 validation error detected: Value '26' at 'maxResults' failed to satisfy constraint: "
                    + "Member must have value less than or equal to 25", () -> ddb.listExports(b -> b.maxResults(26)));
            invalid("Invalid Request: Provided nextToken is invalid: nonsense", () -> ddb.listExports(b -> b.nextToken("nonsense")));
            rejected("ExportNotFoundException", "Export not found: Invalid export arn",
                    () -> ddb.describeExport(b -> b.exportArn(unknown.replace("us-east-1", "eu-west-1"))));
            rejected("AccessDeniedException", "Access is denied",
                    () -> ddb.describeExport(b -> b.exportArn(unknown.replace("000000000000", "111111111111"))));
            rejected("AccessDeniedException", "Access is denied",
                    () -> ddb.describeExport(b -> b.exportArn("arn:aws:dynamodb:us-east-1:qwerty:table/nonexistent_table_xyz")));
            // Refused requests started nothing: the failed export and those with tokens reused or not taken.
            assertEquals(3, ddb.listExports(b -> b.maxResults(25)).exportSummaries().size());
            try (Stream<Path> records = Files.list(dataDir.resolve("exports"))) {
                assertEquals(3, records.count());
            }
            assertEquals("2026-01-14T10:18:50.000Z", ExportFiles.isoTime(Json.MAPPER.readTree("1768385930")));
        }
    }
}
