package io.eddy.gateway;

import static io.eddy.gateway.TestTables.invalid;
import static io.eddy.gateway.TestTables.n;
import static io.eddy.gateway.TestTables.rejected;
import static io.eddy.gateway.TestTables.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ExportDescription;
import software.amazon.awssdk.services.dynamodb.model.ImportSummary;
import software.amazon.awssdk.services.dynamodb.model.ImportTableDescription;
import software.amazon.awssdk.services.dynamodb.model.ImportTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * ImportTable, DescribeImport and ListImports end to end with the AWS SDK v2: an export imported
 * back, DYNAMODB_JSON and CSV objects with DynamoDB's counting of items and errors, a missing
 * bucket, records across a restart, and the requests DynamoDB refuses.
 */
class ImportTest {

    @TempDir
    Path dataDir;

    private Path bucket(String name) throws Exception {
        return Files.createDirectories(dataDir.resolve("s3").resolve(name));
    }

    private static ImportTableRequest.Builder importing(ImportTableRequest.Builder b, String bucket, String prefix, String table) {
        return b.s3BucketSource(s -> s.s3Bucket(bucket).s3KeyPrefix(prefix)).inputFormat("DYNAMODB_JSON")
                .tableCreationParameters(t -> t.tableName(table).billingMode("PAY_PER_REQUEST")
                        .attributeDefinitions(d -> d.attributeName("id").attributeType(ScalarAttributeType.S))
                        .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH)));
    }

    private static ImportTableDescription awaitEnd(DynamoDbClient ddb, String importArn) throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            ImportTableDescription described = ddb.describeImport(b -> b.importArn(importArn)).importTableDescription();
            if (!described.importStatusAsString().equals("IN_PROGRESS")) return described;
            Thread.sleep(100);
        }
        throw new AssertionError("import " + importArn + " still IN_PROGRESS");
    }

    private static Map<String, Map<String, AttributeValue>> scan(DynamoDbClient ddb, String table) {
        Map<String, Map<String, AttributeValue>> items = new TreeMap<>();
        ddb.scanPaginator(b -> b.tableName(table).consistentRead(true)).items().forEach(item -> items.put(item.get("id").s(), new TreeMap<>(item)));
        return items;
    }

    private static byte[] gzip(String text) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    @Test
    void anExportImportsBackIntoANewTableWithItsIndexAndSurvivesARestart() throws Exception {
        Path exports = bucket("exports");
        String importArn;
        Map<String, Map<String, AttributeValue>> source;
        try (TestNode node = TestNode.start(dataDir)) {
            DynamoDbClient ddb = node.client;
            TestTables.create(ddb, "Source", "id", ScalarAttributeType.S, null, null);
            ddb.updateContinuousBackups(b -> b.tableName("Source").pointInTimeRecoverySpecification(p -> p.pointInTimeRecoveryEnabled(true)));
            for (int i = 0; i < 300; i++) {
                int id = i;
                ddb.putItem(b -> b.tableName("Source").item(Map.of("id", s("item-" + id), "group", s("g" + (id % 7)),
                        "n", n(Integer.toString(id)), "list", AttributeValue.fromL(List.of(AttributeValue.fromBool(true))))));
            }
            source = scan(ddb, "Source");
            ExportDescription export = ddb.exportTableToPointInTime(b -> b.tableArn("arn:aws:dynamodb:us-east-1:000000000000:table/Source")
                    .s3Bucket("exports").s3Prefix("backup")).exportDescription();
            assertEquals("COMPLETED", ExportTest.awaitEnd(ddb, export.exportArn()).exportStatusAsString());
            String exportId = export.exportArn().substring(export.exportArn().lastIndexOf('/') + 1);

            ImportTableDescription started = ddb.importTable(b -> b.clientToken("import-1")
                    .s3BucketSource(s -> s.s3Bucket("exports").s3KeyPrefix("backup/AWSDynamoDB/" + exportId + "/data/"))
                    .inputFormat("DYNAMODB_JSON").inputCompressionType("GZIP")
                    .tableCreationParameters(t -> t.tableName("Copy").billingMode("PAY_PER_REQUEST")
                            .attributeDefinitions(d -> d.attributeName("id").attributeType(ScalarAttributeType.S),
                                    d -> d.attributeName("group").attributeType(ScalarAttributeType.S))
                            .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH))
                            .globalSecondaryIndexes(g -> g.indexName("byGroup").keySchema(k -> k.attributeName("group").keyType(KeyType.HASH))
                                    .projection(p -> p.projectionType(ProjectionType.ALL))))).importTableDescription();
            importArn = started.importArn();
            assertEquals("IN_PROGRESS", started.importStatusAsString());
            String tableArn = "arn:aws:dynamodb:us-east-1:000000000000:table/Copy";
            assertEquals(tableArn, started.tableArn());
            assertTrue(importArn.matches(tableArn + "/import/\\d{14}-[0-9a-f]{8}"), importArn);
            assertEquals("import-1", started.clientToken());
            assertEquals(0, started.importedItemCount());
            // The request named no owner: DynamoDB describes the caller's account as the bucket's.
            assertEquals("000000000000", started.s3BucketSource().s3BucketOwner());

            ImportTableDescription done = awaitEnd(ddb, importArn);
            assertEquals("COMPLETED", done.importStatusAsString(), done.failureMessage());
            assertEquals(300, done.importedItemCount());
            assertEquals(300, done.processedItemCount());
            assertEquals(0, done.errorCount());
            assertTrue(done.processedSizeBytes() > 0);
            assertNull(done.failureCode());
            assertEquals(started.tableId(), ddb.describeTable(b -> b.tableName("Copy")).table().tableId());
            assertEquals("ACTIVE", ddb.describeTable(b -> b.tableName("Copy")).table().tableStatusAsString());
            assertEquals(source, scan(ddb, "Copy"));
            assertEquals(300 / 7 + 1, ddb.query(b -> b.tableName("Copy").indexName("byGroup").keyConditionExpression("#g = :g")
                    .expressionAttributeNames(Map.of("#g", "group")).expressionAttributeValues(Map.of(":g", s("g0")))).count());

            // Once it has ended, a repeat (even with its token) finds its table there.
            rejected("ResourceInUseException", "Table already exists: Copy",
                    () -> ddb.importTable(b -> importing(b, "exports", null, "Copy").clientToken("import-1")));
        }
        try (TestNode node = TestNode.start(dataDir)) {
            ImportTableDescription after = node.client.describeImport(b -> b.importArn(importArn)).importTableDescription();
            assertEquals("COMPLETED", after.importStatusAsString());
            assertEquals(300, after.importedItemCount());
            assertEquals(source, scan(node.client, "Copy"));
        }
    }

    /** The new table's global indexes are CREATING while it loads, but its items are held to their keys all the same. */
    @Test
    void itemsAreHeldToTheNewTablesIndexKeys() throws Exception {
        Path input = bucket("indexed");
        Files.writeString(input.resolve("a.json"), "{\"Item\":{\"id\":{\"S\":\"a\"},\"score\":{\"N\":\"1\"}}}\n"
                + "{\"Item\":{\"id\":{\"S\":\"b\"},\"score\":{\"S\":\"high\"}}}\n");
        try (TestNode node = TestNode.start(dataDir)) {
            DynamoDbClient ddb = node.client;
            ImportTableDescription done = awaitEnd(ddb, ddb.importTable(b -> b.s3BucketSource(s -> s.s3Bucket("indexed"))
                    .inputFormat("DYNAMODB_JSON").tableCreationParameters(t -> t.tableName("Scored").billingMode("PAY_PER_REQUEST")
                            .attributeDefinitions(d -> d.attributeName("id").attributeType(ScalarAttributeType.S),
                                    d -> d.attributeName("score").attributeType(ScalarAttributeType.N))
                            .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH))
                            .globalSecondaryIndexes(g -> g.indexName("byScore").keySchema(k -> k.attributeName("score").keyType(KeyType.HASH))
                                    .projection(p -> p.projectionType(ProjectionType.ALL))))).importTableDescription().importArn());
            assertEquals("FAILED", done.importStatusAsString());
            assertEquals("ItemValidationError", done.failureCode());
            assertEquals(1, done.importedItemCount());
            assertEquals(1, done.errorCount());
        }
    }

    @Test
    void anIonExportOfEveryTypeImportsBack() throws Exception {
        Path exports = bucket("ion-exports");
        try (TestNode node = TestNode.start(dataDir)) {
            DynamoDbClient ddb = node.client;
            TestTables.create(ddb, "Typed", "id", ScalarAttributeType.S, null, null);
            ddb.updateContinuousBackups(b -> b.tableName("Typed").pointInTimeRecoverySpecification(p -> p.pointInTimeRecoveryEnabled(true)));
            for (int i = 0; i < 20; i++) {
                int id = i;
                ddb.putItem(b -> b.tableName("Typed").item(Map.ofEntries(Map.entry("id", s("item-" + id)),
                        Map.entry("n", n(id % 2 == 0 ? "100" : "-1.5E-7")), Map.entry("big", n("1E+125")), Map.entry("empty", s("")),
                        Map.entry("$4", s("a name like a symbol id")), Map.entry("nan", s("a keyword as a name")),
                        Map.entry("b", TestTables.b(0, 255, id)),
                        Map.entry("ss", AttributeValue.fromSs(List.of("x", "y \"quoted\"\n"))), Map.entry("ns", AttributeValue.fromNs(List.of("1", "2.5"))),
                        Map.entry("bs", AttributeValue.fromBs(List.of(software.amazon.awssdk.core.SdkBytes.fromUtf8String("a")))),
                        Map.entry("bool", AttributeValue.fromBool(id % 3 == 0)), Map.entry("null", AttributeValue.fromNul(true)),
                        Map.entry("list", AttributeValue.fromL(List.of(s("é"), n("3")))),
                        Map.entry("map", AttributeValue.fromM(Map.of("deep", AttributeValue.fromM(Map.of("x", n("0"))), "a b", s("spaced"),
                                "$ion_1_0", s("a version marker as a name"), "'quoted'", AttributeValue.fromL(List.of())))))));
            }
            Map<String, Map<String, AttributeValue>> source = scan(ddb, "Typed");
            ExportDescription export = ddb.exportTableToPointInTime(b -> b.tableArn("arn:aws:dynamodb:us-east-1:000000000000:table/Typed")
                    .s3Bucket("ion-exports").exportFormat("ION")).exportDescription();
            assertEquals("COMPLETED", ExportTest.awaitEnd(ddb, export.exportArn()).exportStatusAsString());
            String exportId = export.exportArn().substring(export.exportArn().lastIndexOf('/') + 1);
            Path data = exports.resolve("AWSDynamoDB/" + exportId + "/data");
            List<Path> files;
            try (var listed = Files.list(data)) {
                files = listed.toList();
            }
            assertTrue(files.stream().allMatch(file -> file.getFileName().toString().endsWith(".ion.gz")), files.toString());
            String first = new String(new java.util.zip.GZIPInputStream(Files.newInputStream(files.get(0))).readAllBytes(), StandardCharsets.UTF_8)
                    .lines().findFirst().orElseThrow();
            assertTrue(first.startsWith("$ion_1_0 {Item:{"), first);

            ImportTableDescription done = awaitEnd(ddb, ddb.importTable(b -> importing(b, "ion-exports", "AWSDynamoDB/" + exportId + "/data/", "FromIon")
                    .inputFormat("ION").inputCompressionType("GZIP")).importTableDescription().importArn());
            assertEquals("COMPLETED", done.importStatusAsString(), done.failureMessage());
            assertEquals(20, done.importedItemCount());
            assertEquals(source, scan(ddb, "FromIon"));

            // A value far over any item's size is that item's error, not the whole import's (nor the heap's end).
            Path huge = exports.resolve("huge");
            Files.createDirectories(huge);
            Files.writeString(huge.resolve("a.ion"), "$ion_1_0 {Item:{id:\"small\"}}\n$ion_1_0 {Item:{id:\"big\",s:\"" + "x".repeat(20 << 20) + "\"}}\n");
            Files.writeString(huge.resolve("b.ion"), "$ion_1_0 {Item:{id:\"after\"}}\n");
            ImportTableDescription oversized = awaitEnd(ddb, ddb.importTable(b -> importing(b, "ion-exports", "huge/", "FromHugeIon")
                    .inputFormat("ION")).importTableDescription().importArn());
            assertEquals("FAILED", oversized.importStatusAsString());
            assertEquals("ItemValidationError", oversized.failureCode());
            assertEquals(1, oversized.errorCount());
            assertEquals(List.of("after", "small"), new ArrayList<>(scan(ddb, "FromHugeIon").keySet()));
        }
    }

    @Test
    void itemsAndErrorsAreCountedAsDynamoDbCountsThem() throws Exception {
        Path input = bucket("input");
        Files.createDirectories(input.resolve("json"));
        // Concatenated values, blank lines, a repeated key (a write like any other).
        Files.writeString(input.resolve("json/a.json"), "{\"Item\":{\"id\":{\"S\":\"a\"},\"v\":{\"N\":\"1\"}}}{\"Item\":{\"id\":{\"S\":\"b\"}}}\n\n"
                + "{\"Item\":{\"id\":{\"S\":\"a\"},\"v\":{\"N\":\"2\"}}}\n");
        // An item the table would not take is skipped, and the next one read (DynamoDB: "the import job skips over
        // that item and continues on with the next item"): c and d are imported.
        Files.writeString(input.resolve("json/b.json"), "{\"Item\":{\"id\":{\"S\":\"c\"}}}\n{\"Item\":{\"other\":{\"S\":\"no key\"}}}\n"
                + "{\"Item\":{\"id\":{\"S\":\"d\"}}}\n");
        Files.write(input.resolve("json/c.json.gz"), gzip("{\"Item\":{\"id\":{\"S\":\"e\"}}}\n"));
        Files.writeString(input.resolve("json/d.json"), "not json at all");
        Files.writeString(input.resolve("json/e.json"), "{\"NotItem\":{\"id\":{\"S\":\"f\"}}}\n");
        Files.writeString(input.resolve("json/f.json"), "");
        Files.createDirectories(input.resolve("zstd"));
        try (var out = new com.github.luben.zstd.ZstdOutputStream(Files.newOutputStream(input.resolve("zstd/a.json.zst")))) {
            out.write("{\"Item\":{\"id\":{\"S\":\"z1\"}}}\n{\"Item\":{\"id\":{\"S\":\"z2\"}}}\n".getBytes(StandardCharsets.UTF_8));
        }
        Files.writeString(input.resolve("skipped.txt"), "outside the prefix");
        Files.createDirectories(input.resolve("csv"));
        Files.writeString(input.resolve("csv/people.csv"), "id,age,note\np1,41,\"likes, commas\"\np2,7,\"says \"\"hi\"\"\"\np3,3,\n");
        Files.writeString(input.resolve("csv/semi.csv"), "p4;99;x\np5;1;y\n");
        Files.writeString(input.resolve("csv/bad.csv"), "id,age,note\np6,not-a-number,z\np7,1,w\n");
        try (TestNode node = TestNode.start(dataDir)) {
            DynamoDbClient ddb = node.client;
            ImportTableDescription json = awaitEnd(ddb, ddb.importTable(b -> importing(b, "input", "json/", "FromJson"))
                    .importTableDescription().importArn());
            assertEquals("FAILED", json.importStatusAsString());
            assertEquals("ItemValidationError", json.failureCode());
            assertEquals("Some of the items failed validation checks and were not imported. Please check CloudWatch error logs for more details.",
                    json.failureMessage());
            // a.json 3, b.json 3 (c, the error, d), c.json.gz read as plain text 1 error (the rest of an object that
            // cannot be read is not), d.json 1 error, e.json 1 error.
            assertEquals(5, json.importedItemCount());
            assertEquals(4, json.errorCount());
            assertEquals(9, json.processedItemCount());
            assertEquals("ACTIVE", ddb.describeTable(b -> b.tableName("FromJson")).table().tableStatusAsString());
            assertEquals(List.of("a", "b", "c", "d"), new ArrayList<>(scan(ddb, "FromJson").keySet()));
            assertEquals("2", scan(ddb, "FromJson").get("a").get("v").n());

            ImportTableDescription gzipped = awaitEnd(ddb, ddb.importTable(b -> importing(b, "input", "json/c.json", "FromGzip")
                    .inputCompressionType("GZIP")).importTableDescription().importArn());
            assertEquals("COMPLETED", gzipped.importStatusAsString());
            assertEquals(List.of("e"), new ArrayList<>(scan(ddb, "FromGzip").keySet()));
            assertEquals("{\"Item\":{\"id\":{\"S\":\"e\"}}}\n".length(), gzipped.processedSizeBytes());

            ImportTableDescription zstd = awaitEnd(ddb, ddb.importTable(b -> importing(b, "input", "zstd/", "FromZstd")
                    .inputCompressionType("ZSTD")).importTableDescription().importArn());
            assertEquals("COMPLETED", zstd.importStatusAsString(), zstd.failureMessage());
            assertEquals(List.of("z1", "z2"), new ArrayList<>(scan(ddb, "FromZstd").keySet()));

            ImportTableDescription csv = awaitEnd(ddb, ddb.importTable(b -> importing(b, "input", "csv/people", "FromCsv").inputFormat("CSV")
                    .tableCreationParameters(t -> t.tableName("FromCsv").billingMode("PAY_PER_REQUEST")
                            .attributeDefinitions(d -> d.attributeName("id").attributeType(ScalarAttributeType.S),
                                    d -> d.attributeName("age").attributeType(ScalarAttributeType.N))
                            .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH), k -> k.attributeName("age").keyType(KeyType.RANGE))))
                    .importTableDescription().importArn());
            assertEquals("COMPLETED", csv.importStatusAsString(), csv.failureMessage());
            Map<String, Map<String, AttributeValue>> people = scan(ddb, "FromCsv");
            assertEquals(Map.of("id", s("p1"), "age", n("41"), "note", s("likes, commas")), people.get("p1"));
            assertEquals(Map.of("id", s("p2"), "age", n("7"), "note", s("says \"hi\"")), people.get("p2"));
            assertEquals(Map.of("id", s("p3"), "age", n("3")), people.get("p3"));

            ImportTableDescription semi = awaitEnd(ddb, ddb.importTable(b -> importing(b, "input", "csv/semi", "FromSemi").inputFormat("CSV")
                    .inputFormatOptions(o -> o.csv(c -> c.delimiter(";").headerList("id", "score", "tag")))).importTableDescription().importArn());
            assertEquals("COMPLETED", semi.importStatusAsString());
            assertEquals(Map.of("id", s("p4"), "score", s("99"), "tag", s("x")), scan(ddb, "FromSemi").get("p4"));

            ImportTableDescription bad = awaitEnd(ddb, ddb.importTable(b -> importing(b, "input", "csv/bad", "FromBadCsv").inputFormat("CSV")
                    .tableCreationParameters(t -> t.tableName("FromBadCsv").billingMode("PAY_PER_REQUEST")
                            .attributeDefinitions(d -> d.attributeName("id").attributeType(ScalarAttributeType.S),
                                    d -> d.attributeName("age").attributeType(ScalarAttributeType.N))
                            .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH), k -> k.attributeName("age").keyType(KeyType.RANGE))))
                    .importTableDescription().importArn());
            assertEquals("FAILED", bad.importStatusAsString());
            assertEquals(1, bad.errorCount());
            assertEquals(1, bad.importedItemCount());
            assertEquals(2, bad.processedItemCount());
            assertEquals(List.of("p7"), new ArrayList<>(scan(ddb, "FromBadCsv").keySet()));

            ImportTableDescription empty = awaitEnd(ddb, ddb.importTable(b -> importing(b, "input", "nothing-here/", "Empty"))
                    .importTableDescription().importArn());
            assertEquals("COMPLETED", empty.importStatusAsString());
            assertEquals(0, empty.processedItemCount());
            assertEquals(Map.of(), scan(ddb, "Empty"));

            ImportTableDescription noBucket = awaitEnd(ddb, ddb.importTable(b -> importing(b, "no-such-bucket", null, "Never"))
                    .importTableDescription().importArn());
            assertEquals("FAILED", noBucket.importStatusAsString());
            assertEquals("S3NoSuchBucket", noBucket.failureCode());
            assertTrue(noBucket.failureMessage().startsWith("The specified bucket does not exist"));
            org.junit.jupiter.api.Assertions.assertThrows(ResourceNotFoundException.class, () -> ddb.describeTable(b -> b.tableName("Never")));

            List<String> listed = new ArrayList<>();
            String next = null;
            do {
                String token = next;
                var page = ddb.listImports(b -> b.pageSize(2).nextToken(token));
                page.importSummaryList().forEach(summary -> listed.add(summary.tableArn().replaceAll(".*/", "")));
                next = page.nextToken();
            } while (next != null);
            assertEquals(List.of("Never", "Empty", "FromBadCsv", "FromSemi", "FromCsv", "FromZstd", "FromGzip", "FromJson"), listed);
            List<ImportSummary> fromCsv = ddb.listImports(b -> b.tableArn("arn:aws:dynamodb:us-east-1:000000000000:table/FromCsv"))
                    .importSummaryList();
            assertEquals(1, fromCsv.size());
            assertEquals("COMPLETED", fromCsv.get(0).importStatusAsString());
            assertEquals("000000000000", fromCsv.get(0).s3BucketSource().s3BucketOwner());
            assertFalse(fromCsv.get(0).endTime().isBefore(fromCsv.get(0).startTime()));
        }
    }

    @Test
    void anImportThatAStopInterruptsResumesAtTheNextStart() throws Exception {
        Path input = bucket("big");
        for (int file = 0; file < 4; file++) {
            StringBuilder lines = new StringBuilder();
            for (int i = 0; i < 3000; i++) {
                lines.append("{\"Item\":{\"id\":{\"S\":\"f").append(file).append('-').append(i).append("\"},\"pad\":{\"S\":\"")
                        .append("x".repeat(200)).append("\"}}}\n");
            }
            Files.writeString(input.resolve("part-" + file + ".json"), lines.toString());
        }
        String importArn;
        try (TestNode node = TestNode.start(dataDir)) {
            importArn = node.client.importTable(b -> importing(b, "big", null, "Big")).importTableDescription().importArn();
        }
        // 12,000 writes take a second or more: the stop came first.
        String id = importArn.substring(importArn.lastIndexOf('/') + 1);
        assertEquals("IN_PROGRESS", Json.MAPPER.readTree(Files.readAllBytes(dataDir.resolve("imports/" + id + ".json")))
                .get("ImportStatus").asText());
        try (TestNode node = TestNode.start(dataDir)) {
            ImportTableDescription done = awaitEnd(node.client, importArn);
            assertEquals("COMPLETED", done.importStatusAsString(), done.failureMessage());
            assertEquals(12000, done.importedItemCount());
            assertEquals(12000, done.processedItemCount());
            assertEquals(12000, node.client.scanPaginator(b -> b.tableName("Big").select("COUNT")).stream().mapToInt(page -> page.count()).sum());
            assertEquals("ACTIVE", node.client.describeTable(b -> b.tableName("Big")).table().tableStatusAsString());
        }
    }

    @Test
    void badRequestsAreRefusedAndCreateNothing() throws Exception {
        bucket("input");
        try (TestNode node = TestNode.start(dataDir)) {
            DynamoDbClient ddb = node.client;
            TestTables.create(ddb, "Taken", "id", ScalarAttributeType.S, null, null);
            rejected("ResourceInUseException", "Table already exists: Taken", () -> ddb.importTable(b -> importing(b, "input", null, "Taken")));
            String first = ddb.importTable(b -> importing(b, "input", null, "First").clientToken("token")).importTableDescription().importArn();
            rejected("ImportConflictException", "Import conflict: Duplicate request detected with conflicting parameters",
                    () -> ddb.importTable(b -> importing(b, "input", null, "Second").clientToken("token")));
            invalid("Invalid Request: Unsupported InputFormatOptions for the given input format: DYNAMODB_JSON.",
                    () -> ddb.importTable(b -> importing(b, "input", null, "Bad1").inputFormatOptions(o -> o.csv(c -> c.delimiter(";")))));
            invalid("1 validation error detected: Value 'BZIP2' at 'inputCompressionType' failed to satisfy constraint: "
                    + "Member must satisfy enum value set: [ZSTD, NONE, GZIP]",
                    () -> ddb.importTable(b -> importing(b, "input", null, "Bad2").inputCompressionType("BZIP2")));
            invalid("2 validation errors detected: Value ';;' at 'inputFormatOptions.csv.delimiter' failed to satisfy constraint: "
                    + "Member must satisfy regular expression pattern: [,;:|\\t ]; Value ';;' at 'inputFormatOptions.csv.delimiter' "
                    + "failed to satisfy constraint: Member must have length less than or equal to 1",
                    () -> ddb.importTable(b -> importing(b, "input", null, "Bad3").inputFormat("CSV")
                            .inputFormatOptions(o -> o.csv(c -> c.delimiter(";;")))));
            invalid("One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified "
                    + "when BillingMode is PROVISIONED", () -> ddb.importTable(b -> importing(b, "input", null, "Bad4")
                    .tableCreationParameters(t -> t.tableName("Bad4")
                            .attributeDefinitions(d -> d.attributeName("id").attributeType(ScalarAttributeType.S))
                            .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH)))));
            String unknown = "arn:aws:dynamodb:us-east-1:000000000000:table/Taken/import/01234567890123-a1b2c3d4";
            rejected("ImportNotFoundException", "The specified import was not found: " + unknown,
                    () -> ddb.describeImport(b -> b.importArn(unknown)));
            invalid("Invalid Import ARN", () -> ddb.describeImport(b -> b.importArn(unknown.replace("/import/", "/export/"))));
            rejected("AccessDeniedException", "Access is denied",
                    () -> ddb.describeImport(b -> b.importArn(unknown.replace("000000000000", "111111111111"))));
            invalid("1 validation error detected: Value 'arn:aws:dynamodb:us-east-1:000000000000:table/Bad5' at "
                    + "'tableCreationParameters.tableName' failed to satisfy constraint: "
                    + "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+",
                    () -> ddb.importTable(b -> importing(b, "input", null, "arn:aws:dynamodb:us-east-1:000000000000:table/Bad5")));
            invalid("1 validation error detected: Value '26' at 'pageSize' failed to satisfy constraint: "
                    + "Member must have value less than or equal to 25", () -> ddb.listImports(b -> b.pageSize(26)));
            // Only the first import was started and only its table created.
            assertEquals("COMPLETED", awaitEnd(ddb, first).importStatusAsString());
            assertEquals(1, ddb.listImports(b -> b.pageSize(25)).importSummaryList().size());
            assertEquals(List.of("First", "Taken"), ddb.listTables().tableNames());
        }
        // Eight hours after its import ended, a token names no import: a request with it starts a new one.
        String firstId = onlyImportId(dataDir);
        Path record = dataDir.resolve("imports").resolve(firstId + ".json");
        com.fasterxml.jackson.databind.node.ObjectNode ended = (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.readTree(Files.readAllBytes(record));
        ended.put("EndTime", Json.epochSeconds(System.currentTimeMillis() - java.time.Duration.ofHours(9).toMillis()));
        Files.write(record, Json.MAPPER.writeValueAsBytes(ended));
        try (TestNode node = TestNode.start(dataDir)) {
            DynamoDbClient ddb = node.client;
            String again = ddb.importTable(b -> importing(b, "input", null, "Second").clientToken("token")).importTableDescription().importArn();
            assertTrue(!again.endsWith(firstId), again);
            assertEquals("COMPLETED", awaitEnd(ddb, again).importStatusAsString());
        }
    }

    /** The id of the one import recorded under {@code dataDir}. */
    private static String onlyImportId(Path dataDir) throws java.io.IOException {
        try (var files = Files.list(dataDir.resolve("imports"))) {
            List<String> ids = files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(".json"))
                    .map(name -> name.substring(0, name.length() - ".json".length())).toList();
            assertEquals(1, ids.size(), ids.toString());
            return ids.get(0);
        }
    }
}
