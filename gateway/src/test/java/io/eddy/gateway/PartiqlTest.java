package io.eddy.gateway;

import static io.eddy.gateway.TestTables.b;
import static io.eddy.gateway.TestTables.invalid;
import static io.eddy.gateway.TestTables.n;
import static io.eddy.gateway.TestTables.rejected;
import static io.eddy.gateway.TestTables.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchStatementRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchStatementResponse;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ExecuteStatementResponse;
import software.amazon.awssdk.services.dynamodb.model.ItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ParameterizedStatement;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/** ExecuteStatement, BatchExecuteStatement and ExecuteTransaction end to end with the AWS SDK v2. */
class PartiqlTest {

    @RegisterExtension
    static final NodeExtension node = new NodeExtension();
    final DynamoDbClient ddb = node.client();

    @BeforeAll
    static void start() {
        DynamoDbClient ddb = node.client();
        TestTables.create(ddb, "Music", "Artist", ScalarAttributeType.S, "SongTitle", ScalarAttributeType.S);
        TestTables.create(ddb, "Orders", "OrderID", ScalarAttributeType.N, null, null);
        TestTables.create(ddb, "Mangled", "Artist", ScalarAttributeType.S, "SongTitle", ScalarAttributeType.S);
        TestTables.create(ddb, "Events", "device", ScalarAttributeType.S, "at", ScalarAttributeType.N);
        ddb.updateTable(b -> b.tableName("Events")
                .attributeDefinitions(d -> d.attributeName("kind").attributeType(ScalarAttributeType.S))
                .globalSecondaryIndexUpdates(u -> u.create(c -> c.indexName("byKind")
                        .keySchema(k -> k.attributeName("kind").keyType(KeyType.HASH))
                        .projection(p -> p.projectionType(ProjectionType.ALL)))));
        for (int at = 1; at <= 12; at++) {
            Map<String, AttributeValue> event = Map.of("device", s(at % 2 == 0 ? "even" : "odd"), "at", n(Integer.toString(at)),
                    "kind", s(at % 3 == 0 ? "alarm" : "tick"), "level", n(Integer.toString(at * 10)));
            ddb.putItem(p -> p.tableName("Events").item(event));
        }
    }

    private ExecuteStatementResponse execute(String statement, AttributeValue... parameters) {
        return ddb.executeStatement(b -> {
            b.statement(statement);
            if (parameters.length > 0) b.parameters(parameters);
        });
    }

    private static List<String> ats(ExecuteStatementResponse response) {
        return response.items().stream().map(item -> item.get("at").n()).toList();
    }

    private Map<String, AttributeValue> song(String artist, String title) {
        return ddb.getItem(b -> b.tableName("Music").key(Map.of("Artist", s(artist), "SongTitle", s(title)))).item();
    }

    @Test
    void insertSelectUpdateAndDeleteOneItem() {
        execute("INSERT INTO \"Music\" VALUE {'Artist': ?, 'SongTitle': 'PartiQL Rocks', 'Year': 2021, "
                + "'Tags': <<'rock', 'sql'>>, 'Raw': ?, 'Detail': {'Label': 'Acme', 'Charts': [1, 'top', TRUE, NULL]}}",
                s("Acme Band"), b(1, 2, 3));
        Map<String, AttributeValue> stored = song("Acme Band", "PartiQL Rocks");
        assertEquals(n("2021"), stored.get("Year"));
        assertEquals(List.of("rock", "sql"), stored.get("Tags").ss());
        assertEquals(b(1, 2, 3), stored.get("Raw"));
        assertEquals(List.of(n("1"), s("top"), AttributeValue.fromBool(true), AttributeValue.fromNul(true)),
                stored.get("Detail").m().get("Charts").l());

        rejected("DuplicateItemException", "Duplicate primary key exists in table",
                () -> execute("INSERT INTO Music VALUE {'Artist': 'Acme Band', 'SongTitle': 'PartiQL Rocks'}"));
        assertEquals(stored, song("Acme Band", "PartiQL Rocks"));

        List<Map<String, AttributeValue>> selected = execute("SELECT \"Year\", Detail.Charts[1] FROM Music "
                + "WHERE Artist = ? AND SongTitle = 'PartiQL Rocks'", s("Acme Band")).items();
        assertEquals(List.of(Map.of("Year", n("2021"), "Charts[1]", s("top"))), selected,
                "a projected path is returned under its last name, as DynamoDB unnests it");
        assertEquals(List.of(), execute("SELECT * FROM Music WHERE Artist = 'Acme Band' AND SongTitle = 'PartiQL Rocks' "
                + "AND \"Year\" > 2021").items());

        ExecuteStatementResponse updated = execute("UPDATE Music SET AwardsWon = 1 SET \"Year\" = \"Year\" + 2, "
                + "Tags = set_add(Tags, <<'live'>>) REMOVE Raw SET Detail.Charts = list_append(Detail.Charts, [99]) "
                + "WHERE Artist = 'Acme Band' AND SongTitle = 'PartiQL Rocks' RETURNING MODIFIED NEW *");
        assertEquals(Map.of("AwardsWon", n("1"), "Year", n("2023"), "Tags", AttributeValue.fromSs(List.of("live", "rock", "sql")),
                "Detail", AttributeValue.fromM(Map.of("Charts", AttributeValue.fromL(List.of(n("1"), s("top"),
                        AttributeValue.fromBool(true), AttributeValue.fromNul(true), n("99")))))), updated.items().get(0));
        assertFalse(song("Acme Band", "PartiQL Rocks").containsKey("Raw"));

        rejected("ConditionalCheckFailedException", "The conditional request failed",
                () -> execute("UPDATE Music SET AwardsWon = 2 WHERE Artist = 'Acme Band' AND SongTitle = 'Nothing'"));
        assertTrue(song("Acme Band", "Nothing").isEmpty(), "an UPDATE of a missing item must not create it");
        rejected("ConditionalCheckFailedException", "The conditional request failed",
                () -> execute("UPDATE Music SET AwardsWon = 2 WHERE Artist = 'Acme Band' AND SongTitle = 'PartiQL Rocks' "
                        + "AND AwardsWon > 5"));
        assertEquals(n("1"), song("Acme Band", "PartiQL Rocks").get("AwardsWon"));

        rejected("ConditionalCheckFailedException", "The conditional request failed",
                () -> execute("DELETE FROM Music WHERE Artist = 'Acme Band' AND SongTitle = 'PartiQL Rocks' AND AwardsWon = 7"));
        List<Map<String, AttributeValue>> deleted = execute("DELETE FROM Music WHERE Artist = 'Acme Band' "
                + "AND SongTitle = 'PartiQL Rocks' RETURNING ALL OLD *").items();
        assertEquals(n("2023"), deleted.get(0).get("Year"));
        assertTrue(song("Acme Band", "PartiQL Rocks").isEmpty());
        assertEquals(List.of(), execute("DELETE FROM Music WHERE Artist = 'Acme Band' AND SongTitle = 'PartiQL Rocks' "
                + "RETURNING ALL OLD *").items(), "deleting a missing item succeeds and returns nothing");
        // Of a missing item, whatever else the WHERE says: nothing to delete, no failed condition (Ketlark's suite, against DynamoDB).
        assertEquals(List.of(), execute("DELETE FROM Music WHERE Artist = 'Acme Band' AND SongTitle = 'PartiQL Rocks' AND AwardsWon = 1 "
                + "RETURNING ALL OLD *").items());
        execute("DELETE FROM Music WHERE Artist = 'Acme Band' AND SongTitle = 'PartiQL Rocks' AND AwardsWon IS MISSING");
        assertTrue(song("Acme Band", "PartiQL Rocks").isEmpty());
    }

    @Test
    void selectReadsAPartitionInOrderOrScansAndPagesWithNextToken() {
        List<Map<String, AttributeValue>> descending = execute("SELECT at FROM Events WHERE device = 'even' AND at BETWEEN 3 AND 10 "
                + "ORDER BY at DESC").items();
        assertEquals(List.of("10", "8", "6", "4"), descending.stream().map(item -> item.get("at").n()).toList());
        List<Map<String, AttributeValue>> reversed = execute("SELECT at FROM Events WHERE 6 > at AND device = ?", s("odd")).items();
        assertEquals(List.of("1", "3", "5"), reversed.stream().map(item -> item.get("at").n()).toList());

        List<String> scanned = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            String next = token;
            ExecuteStatementResponse page = ddb.executeStatement(b -> b.statement("SELECT * FROM Events WHERE level >= 50")
                    .limit(4).nextToken(next));
            page.items().forEach(item -> scanned.add(item.get("at").n()));
            token = page.nextToken();
            pages++;
        } while (token != null);
        scanned.sort(java.util.Comparator.comparingInt(Integer::parseInt));
        assertEquals(List.of("5", "6", "7", "8", "9", "10", "11", "12"), scanned);
        assertTrue(pages >= 3, "Limit 4 over 12 items reads at least three pages: " + pages);

        String first = ddb.executeStatement(b -> b.statement("SELECT * FROM Events").limit(2)).nextToken();
        invalid("NextToken does not match request",
                () -> ddb.executeStatement(b -> b.statement("SELECT * FROM Events WHERE level > 1").nextToken(first)));
        invalid("Invalid NextToken", () -> ddb.executeStatement(b -> b.statement("SELECT * FROM Events").nextToken("bm90IGpzb24")));

        assertEquals(List.of("2", "4", "1", "3"), ats(execute("SELECT at FROM Events WHERE device IN ['odd', 'even', 7] AND at <= 4")));
        assertEquals(List.of("3", "1", "4", "2"), ats(execute("SELECT at FROM Events WHERE device IN ['odd', 'even'] AND at <= 4 "
                + "ORDER BY device DESC, at DESC")));
        assertEquals(List.of("2", "1"), ats(execute("SELECT at FROM Events WHERE device = 'odd' AND at = 1 "
                + "OR at = 2 AND device = 'even'")));
        invalid("Must have hash key in ORDER BY clause when more than one hash key condition specified in WHERE clause.",
                () -> execute("SELECT * FROM Events WHERE device IN ['odd', 'even'] ORDER BY at"));
        List<String> acrossPartitions = new ArrayList<>();
        String cursor = null;
        do {
            String next = cursor;
            ExecuteStatementResponse page = ddb.executeStatement(b -> b.statement("SELECT at FROM Events "
                    + "WHERE device = 'odd' OR device = 'even' AND level > 30").limit(5).nextToken(next));
            acrossPartitions.addAll(ats(page));
            cursor = page.nextToken();
        } while (cursor != null);
        assertEquals(List.of("4", "6", "8", "10", "12", "1", "3", "5", "7", "9", "11"), acrossPartitions);

        List<Map<String, AttributeValue>> alarms = execute("SELECT * FROM \"Events\".\"byKind\" WHERE kind = 'alarm'").items();
        assertEquals(4, alarms.size());
        assertTrue(alarms.stream().allMatch(item -> item.get("kind").s().equals("alarm")));
        assertEquals(List.of(), execute("SELECT * FROM Events WHERE device = 5").items(), "a key of another type matches nothing");
        invalid("Must have WHERE clause in the statement when using ORDER BY clause.",
                () -> execute("SELECT * FROM Events ORDER BY at"));
        invalid("Variable reference level in ORDER BY clause must be part of the primary key",
                () -> execute("SELECT * FROM Events WHERE device = 'odd' ORDER BY level"));
    }

    /** A SELECT of several partition keys reads at most 1 MB a page over all of them, as one Query would. */
    @Test
    void aSelectOfSeveralPartitionsReadsOneMegabyteAPage() {
        TestTables.create(ddb, "Blobs", "owner", ScalarAttributeType.S, "n", ScalarAttributeType.N);
        String payload = "x".repeat(100 * 1024);
        for (String owner : List.of("a", "b")) {
            for (int i = 0; i < 8; i++) {
                Map<String, AttributeValue> item = Map.of("owner", s(owner), "n", n(Integer.toString(i)), "payload", s(payload));
                ddb.putItem(p -> p.tableName("Blobs").item(item));
            }
        }
        List<Integer> pageSizes = new ArrayList<>();
        List<String> read = new ArrayList<>();
        String token = null;
        do {
            String next = token;
            ExecuteStatementResponse page = ddb.executeStatement(b -> b.statement("SELECT owner, n FROM Blobs WHERE owner IN ['a', 'b'] "
                    + "ORDER BY owner").nextToken(next));
            pageSizes.add(page.items().size());
            page.items().forEach(item -> read.add(item.get("owner").s() + item.get("n").n()));
            token = page.nextToken();
        } while (token != null);
        // Each item is a little over 100 KB: the eleventh read reaches 1 MB and ends the page (a page includes the item that reaches it).
        assertEquals(11, pageSizes.get(0), pageSizes.toString());
        assertEquals(List.of("a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7", "b0", "b1", "b2", "b3", "b4", "b5", "b6", "b7"), read);
    }

    @Test
    void batchExecuteStatementAnswersEachStatementOnItsOwn() {
        ddb.putItem(p -> p.tableName("Orders").item(Map.of("OrderID", n("5"), "Total", n("5"))));
        List<BatchStatementResponse> writes = ddb.batchExecuteStatement(b -> b.statements(
                statement("INSERT INTO Orders VALUE {'OrderID': 1, 'Total': 100}"),
                statement("INSERT INTO Orders VALUE {'OrderID': ?, 'Total': 250}", n("2")),
                statement("INSERT INTO Orders VALUE {'OrderID': 5, 'Total': 999}"),
                statement("UPDATE Orders SET Total = Total + 1 WHERE OrderID = 3"),
                statement("SELEC * FROM Orders"))).responses();
        assertNull(writes.get(0).error());
        assertEquals("Orders", writes.get(0).tableName());
        assertNull(writes.get(1).error());
        assertEquals("DuplicateItem", writes.get(2).error().codeAsString());
        assertEquals("Duplicate primary key exists in table", writes.get(2).error().message());
        assertEquals("ConditionalCheckFailed", writes.get(3).error().codeAsString());
        assertEquals("ValidationError", writes.get(4).error().codeAsString());
        assertTrue(writes.get(4).error().message().startsWith("Statement wasn't well formed, can't be processed: "),
                writes.get(4).error().message());

        List<BatchStatementResponse> reads = ddb.batchExecuteStatement(b -> b.statements(
                statement("SELECT Total FROM Orders WHERE OrderID = 2"),
                statement("SELECT * FROM Orders WHERE OrderID = 3"),
                statement("SELECT * FROM Orders WHERE Total = 100"))).responses();
        assertEquals(Map.of("Total", n("250")), reads.get(0).item());
        assertTrue(reads.get(1).item() == null || reads.get(1).item().isEmpty());
        assertEquals("ValidationError", reads.get(2).error().codeAsString());
        assertEquals("Select statements within BatchExecuteStatement must specify the primary key in the where clause.",
                reads.get(2).error().message());
        assertNull(reads.get(2).tableName(), "refused before it ran, so without its table");

        List<BatchStatementResponse> returned = ddb.batchExecuteStatement(b -> b.statements(
                statement("UPDATE Orders SET Total = Total + 1 WHERE OrderID = 1 RETURNING MODIFIED NEW *"))).responses();
        assertEquals(Map.of("Total", n("101")), returned.get(0).item());
        invalid("Provided list of item keys contains duplicates", () -> ddb.batchExecuteStatement(b -> b.statements(
                statement("UPDATE Orders SET Total = 1 WHERE OrderID = 2"), statement("DELETE FROM Orders WHERE OrderID = 2"))));
        invalid("Provided list of item keys contains duplicates", () -> ddb.batchExecuteStatement(b -> b.statements(
                statement("SELECT * FROM Orders WHERE OrderID = 2"), statement("SELECT Total FROM Orders WHERE OrderID = 2"))));
        assertEquals(n("250"), ddb.getItem(g -> g.tableName("Orders").key(Map.of("OrderID", n("2")))).item().get("Total"));

        invalid("Batch must consist of either all read statements or all write statements",
                () -> ddb.batchExecuteStatement(b -> b.statements(statement("SELECT * FROM Orders WHERE OrderID = 1"),
                        statement("DELETE FROM Orders WHERE OrderID = 1"))));
        assertEquals(n("101"), ddb.getItem(g -> g.tableName("Orders").key(Map.of("OrderID", n("1")))).item().get("Total"));
    }

    @Test
    void executeTransactionIsAllOrNothing() {
        var inserted = ddb.executeTransaction(b -> b.transactStatements(
                transact("INSERT INTO Orders VALUE {'OrderID': 10, 'Total': 5}"),
                transact("INSERT INTO Orders VALUE {'OrderID': 11, 'Total': 6}"),
                transact("INSERT INTO Orders VALUE {'OrderID': 12, 'Total': 7}")));
        // Writes answer an empty Responses list, as DynamoDB does (LocalStack's test, recorded against it).
        assertTrue(inserted.hasResponses() && inserted.responses().isEmpty());
        TransactionCanceledException cancelled = (TransactionCanceledException) rejected("TransactionCanceledException",
                "Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed, ValidationError]",
                () -> ddb.executeTransaction(b -> b.transactStatements(
                        transact("UPDATE Orders SET Total = 50 WHERE OrderID = 10"),
                        transact("EXISTS(SELECT * FROM Orders WHERE OrderID = 11 AND Total > 100)"),
                        transact("INSERT INTO Orders VALUE {'OrderID': 12}"))));
        assertEquals(List.of("None", "ConditionalCheckFailed", "ValidationError"),
                cancelled.cancellationReasons().stream().map(CancellationReason::code).toList());
        assertEquals("Duplicate primary key exists in table", cancelled.cancellationReasons().get(2).message());
        invalid("Validation failed in TransactStatements[0]: RETURNING clause is not supported in ExecuteTransaction.",
                () -> ddb.executeTransaction(b -> b.transactStatements(
                        transact("DELETE FROM Orders WHERE OrderID = 12 RETURNING ALL OLD *"))));
        assertEquals(n("5"), ddb.getItem(g -> g.tableName("Orders").key(Map.of("OrderID", n("10")))).item().get("Total"));

        ddb.executeTransaction(b -> b.transactStatements(
                transact("UPDATE Orders SET Total = 50 WHERE OrderID = 10"),
                transact("EXISTS(SELECT * FROM Orders WHERE OrderID = 12 AND Total < 100)"),
                transact("DELETE FROM Orders WHERE OrderID = ?", n("11"))));
        List<ItemResponse> read = ddb.executeTransaction(b -> b.transactStatements(
                transact("SELECT Total FROM Orders WHERE OrderID = 10"),
                transact("SELECT * FROM Orders WHERE OrderID = 11"))).responses();
        assertEquals(Map.of("Total", n("50")), read.get(0).item());
        assertTrue(read.get(1).item() == null || read.get(1).item().isEmpty());

        invalid("Validation failed in TransactStatements[0]: Select statements within ExecuteTransaction must specify the primary key "
                + "in the where clause.",
                () -> ddb.executeTransaction(b -> b.transactStatements(transact("SELECT * FROM Orders WHERE Total = 50"))));
        invalid("Validation failed in TransactStatements[0]: EXISTS() must contain a single item read with additional condition",
                () -> ddb.executeTransaction(b -> b.transactStatements(transact("EXISTS(SELECT * FROM Orders WHERE OrderID = 10)"),
                        transact("UPDATE Orders SET a = 1 WHERE OrderID = 11"))));
        // An EXISTS of an index is refused for the index, before what it checks.
        invalid("Operations on indices are not supported in transactions",
                () -> ddb.executeTransaction(b -> b.transactStatements(transact("EXISTS(SELECT * FROM \"Events\".\"byKind\" WHERE device = 'x' AND at = 1)"),
                        transact("UPDATE Orders SET a = 1 WHERE OrderID = 11"))));
        invalid("Transaction request cannot include multiple operations on one item",
                () -> ddb.executeTransaction(b -> b.transactStatements(transact("UPDATE Orders SET a = 1 WHERE OrderID = 10"),
                        transact("DELETE FROM Orders WHERE OrderID = 10"))));
    }

    @Test
    void badStatementsAreRefusedAndWriteNothing() {
        invalid("Number of parameters in request and statement don't match.",
                () -> execute("INSERT INTO Orders VALUE {'OrderID': ?, 'Total': ?}", n("40")));
        invalid("Where clause does not contain a mandatory equality on all key attributes",
                () -> execute("UPDATE Music SET x = 1 WHERE Artist = 'a'"));
        invalid("Where clause does not contain a mandatory equality on all key attributes",
                () -> execute("DELETE FROM Music WHERE Artist = 'a' OR SongTitle = 'b'"));
        invalid("EXISTS can only be used in ExecuteTransaction write requests.",
                () -> execute("EXISTS(SELECT * FROM Orders WHERE OrderID = 40)"));
        invalid("Unrecognized function: upper at 1:23:5", () -> execute("UPDATE Orders SET x = upper('a') WHERE OrderID = 40"));
        invalid("One or more parameter values were invalid: Cannot update attribute OrderID. This attribute is part of the key",
                () -> execute("UPDATE Orders SET OrderID = 41 WHERE OrderID = 40"));
        invalid("One or more parameter values were invalid: Missing the key OrderID in the item",
                () -> execute("INSERT INTO Orders VALUE {'Total': 1}"));
        rejected("ResourceNotFoundException", "Requested resource not found",
                () -> execute("SELECT * FROM NoSuchTable"));
        String tooLong = "SELECT * FROM Orders WHERE OrderID = " + "1".repeat(8200);
        invalid("1 validation error detected: Value '" + tooLong + "' at 'statement' failed to satisfy constraint: "
                + "Member must have length less than or equal to 8192", () -> execute(tooLong));
        DynamoDbException malformed = assertThrows(DynamoDbException.class, () -> execute("SELECT * FROM Orders WHERE"));
        assertEquals("ValidationException", malformed.awsErrorDetails().errorCode());
        assertEquals("Statement wasn't well formed, can't be processed: Unexpected term", malformed.awsErrorDetails().errorMessage());
        invalid("Statement wasn't well formed, can't be processed: Invalid path dot component",
                () -> execute("UPDATE Orders SET m.inner = 1 WHERE OrderID = 40"));
        invalid("Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit",
                () -> execute("INSERT INTO Orders VALUE {'OrderID': 40, 'deep': " + "[".repeat(3000) + "1" + "]".repeat(3000) + "}"));
        invalid("Nesting Levels have exceeded supported limits", () -> execute("INSERT INTO Orders VALUE {'OrderID': 40, 'deep': "
                + "[".repeat(20) + "?" + "]".repeat(20) + "}", AttributeValue.fromL(List.of(AttributeValue.fromL(List.of(
                        AttributeValue.fromL(List.of(AttributeValue.fromL(List.of(AttributeValue.fromL(List.of(
                                AttributeValue.fromL(List.of(AttributeValue.fromL(List.of(AttributeValue.fromL(List.of(
                                        AttributeValue.fromL(List.of(AttributeValue.fromL(List.of(AttributeValue.fromL(List.of(
                                                AttributeValue.fromL(List.of(AttributeValue.fromL(List.of(n("1")))))))))))))))))))))))))))));
        invalid("Statement wasn't well formed, can't be processed: expressions nested more than 200 levels deep",
                () -> execute("SELECT * FROM Orders WHERE " + "(".repeat(4000) + "Total = 1" + ")".repeat(4000)));
        // A type name that names no type is refused, as in a ConditionExpression, not taken as a condition that fails.
        invalid("Invalid attribute type name found; type: STRING, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}",
                () -> execute("UPDATE Orders SET x = 1 WHERE OrderID = 40 AND attribute_type(x, 'STRING')"));
        invalid("Invalid attribute type name found; type: STRING, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}",
                () -> ddb.executeStatement(b -> b.statement("SELECT * FROM Orders WHERE OrderID = 40 AND attribute_type(x, ?)")
                        .parameters(s("STRING"))));
        assertTrue(ddb.getItem(g -> g.tableName("Orders").key(Map.of("OrderID", n("40")))).item().isEmpty());
    }

    /** Valid statements of every kind, which the fuzz test below mangles. */
    private static final List<String> WELL_FORMED = List.of(
            "SELECT a, b.c[1], \"d e\" FROM Mangled WHERE Artist = 'x' AND SongTitle BETWEEN 'a' AND 'z' ORDER BY SongTitle DESC",
            "SELECT * FROM \"Mangled\" WHERE Artist IN ['x', 'y'] OR (n > 3 AND NOT begins_with(s, 'p')) OR m IS MISSING",
            "UPDATE Mangled SET n = n + 1, l = list_append(l, [1, 'two']) SET ss = set_add(ss, <<'q'>>) REMOVE c[0] "
                    + "WHERE Artist = 'x' AND SongTitle = 'y' AND size(l) < 10 RETURNING ALL NEW *",
            "INSERT INTO Mangled VALUE {'Artist': 'f', 'SongTitle': 't', 'ns': <<1, 2.5, -3e2>>, 'm': {'k': [TRUE, NULL, 'it''s']}}",
            "DELETE FROM Mangled WHERE Artist = 'x' AND SongTitle = 'y' AND contains(ss, 'q') RETURNING ALL OLD *");

    /** What a statement may be refused with: DynamoDB's client errors, never a server error. */
    private static final java.util.Set<String> CLIENT_ERRORS = java.util.Set.of("ValidationException",
            "ConditionalCheckFailedException", "DuplicateItemException", "ResourceNotFoundException");

    @Test
    void mangledStatementsAreAnsweredOrRefusedNeverAServerError() {
        java.util.Random random = new java.util.Random(20261202);
        String pieces = "'\"()[]{}<>=!,.?*-+ 0129eE_aZ";
        List<String> words = List.of(" SELECT ", " WHERE ", " AND ", " OR ", " NOT ", " IS ", " SET ", " REMOVE ", " <<", ">> ",
                " VALUE ", " BETWEEN ", " IN ", " size(", " MISSING ", " RETURNING ", " [", "] ", " {", "} ");
        int refused = 0;
        for (int i = 0; i < 600; i++) {
            StringBuilder statement = new StringBuilder(WELL_FORMED.get(random.nextInt(WELL_FORMED.size())));
            for (int edits = 1 + random.nextInt(3); edits > 0 && !statement.isEmpty(); edits--) {
                int at = random.nextInt(statement.length());
                switch (random.nextInt(4)) {
                    case 0 -> statement.deleteCharAt(at);
                    case 1 -> statement.insert(at, pieces.charAt(random.nextInt(pieces.length())));
                    case 2 -> statement.insert(at, words.get(random.nextInt(words.size())));
                    default -> statement.setLength(at);
                }
            }
            String text = statement.toString();
            if (text.isBlank()) continue;
            try {
                execute(text);
            } catch (DynamoDbException e) {
                assertEquals(400, e.statusCode(), text + " -> " + e.awsErrorDetails().errorMessage());
                assertTrue(CLIENT_ERRORS.contains(e.awsErrorDetails().errorCode()),
                        text + " -> " + e.awsErrorDetails().errorCode() + ": " + e.awsErrorDetails().errorMessage());
                refused++;
            }
        }
        assertTrue(refused > 300, "most mangled statements are refused: " + refused);
    }

    private static BatchStatementRequest statement(String statement, AttributeValue... parameters) {
        return BatchStatementRequest.builder().statement(statement)
                .parameters(parameters.length == 0 ? null : Arrays.asList(parameters)).build();
    }

    /**
     * A transaction's units are named as writes (or, replayed under its token, as reads), in the
     * entry and in its Table (DynamoDB, as the dynamodb-conformance suite records it).
     */
    @Test
    void executeTransactionSplitsItsUnits() {
        ddb.putItem(p -> p.tableName("Orders").item(Map.of("OrderID", n("70"), "Total", n("0"))));
        var increment = List.of(transact("UPDATE Orders SET Total = Total + 1 WHERE OrderID = 70"));
        var first = ddb.executeTransaction(b -> b.clientRequestToken("split-70").returnConsumedCapacity(ReturnConsumedCapacity.INDEXES)
                .transactStatements(increment)).consumedCapacity().get(0);
        var replay = ddb.executeTransaction(b -> b.clientRequestToken("split-70").returnConsumedCapacity(ReturnConsumedCapacity.INDEXES)
                .transactStatements(increment)).consumedCapacity().get(0);
        assertEquals("1", ddb.getItem(g -> g.tableName("Orders").key(Map.of("OrderID", n("70")))).item().get("Total").n());
        assertEquals(2.0, first.writeCapacityUnits());
        assertNull(first.readCapacityUnits());
        assertEquals(2.0, first.table().writeCapacityUnits());
        assertEquals(2.0, replay.readCapacityUnits());
        assertNull(replay.writeCapacityUnits());
        var read = ddb.executeTransaction(b -> b.returnConsumedCapacity(ReturnConsumedCapacity.INDEXES)
                .transactStatements(transact("SELECT * FROM Orders WHERE OrderID = 70"))).consumedCapacity().get(0);
        assertEquals(2.0, read.readCapacityUnits());
        assertEquals(2.0, read.table().readCapacityUnits());
    }

    private static ParameterizedStatement transact(String statement, AttributeValue... parameters) {
        return ParameterizedStatement.builder().statement(statement)
                .parameters(parameters.length == 0 ? null : Arrays.asList(parameters)).build();
    }
}
