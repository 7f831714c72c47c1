// The AWS SDK for JavaScript v3 (client, document client, streams) against an Eddy endpoint (argv[2]). Run by run.sh.
import assert from "node:assert/strict";
import { DynamoDBClient, CreateTableCommand, DescribeTableCommand, DeleteTableCommand, waitUntilTableExists, waitUntilTableNotExists,
  ExecuteStatementCommand, TransactWriteItemsCommand, UpdateTableCommand, SearchVectorsCommand } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, PutCommand, GetCommand, QueryCommand, UpdateCommand, BatchWriteCommand, BatchGetCommand,
  paginateScan, DeleteCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { DynamoDBStreamsClient, DescribeStreamCommand, GetShardIteratorCommand, GetRecordsCommand } from "@aws-sdk/client-dynamodb-streams";

const endpoint = process.argv[2];
const config = { endpoint, region: "us-east-1", credentials: { accessKeyId: "dev", secretAccessKey: "dev" } };
const client = new DynamoDBClient(config);
const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
const streams = new DynamoDBStreamsClient(config);
const step = (name) => console.log("--", name);

step("create table, wait");
await client.send(new CreateTableCommand({
  TableName: "Orders", BillingMode: "PAY_PER_REQUEST",
  AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }, { AttributeName: "sk", AttributeType: "N" }, { AttributeName: "status", AttributeType: "S" }],
  KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }, { AttributeName: "sk", KeyType: "RANGE" }],
  GlobalSecondaryIndexes: [{ IndexName: "byStatus", KeySchema: [{ AttributeName: "status", KeyType: "HASH" }], Projection: { ProjectionType: "ALL" } }],
  StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_IMAGE" },
}));
await waitUntilTableExists({ client, maxWaitTime: 30 }, { TableName: "Orders" });

step("document client: put, get, batch write/get, query, scan paginator");
await doc.send(new PutCommand({ TableName: "Orders", Item: { pk: "c1", sk: 1, status: "open", lines: [{ sku: "a", qty: 2 }], tags: new Set(["x", "y"]), big: 12345678901234567890n } }));
const got = await doc.send(new GetCommand({ TableName: "Orders", Key: { pk: "c1", sk: 1 }, ConsistentRead: true }));
assert.deepEqual(got.Item.lines, [{ sku: "a", qty: 2 }]);
assert.ok(got.Item.tags instanceof Set && got.Item.tags.has("y"));
const requests = [];
for (let i = 2; i <= 27; i++) requests.push({ PutRequest: { Item: { pk: "c" + (i % 3), sk: i, status: i % 2 ? "open" : "closed", n: i } } });
await doc.send(new BatchWriteCommand({ RequestItems: { Orders: requests.slice(0, 25) } }));
await doc.send(new BatchWriteCommand({ RequestItems: { Orders: requests.slice(25) } }));
const bg = await doc.send(new BatchGetCommand({ RequestItems: { Orders: { Keys: [{ pk: "c1", sk: 1 }, { pk: "c2", sk: 2 }, { pk: "zz", sk: 0 }], ProjectionExpression: "pk, sk" } } }));
assert.equal(bg.Responses.Orders.length, 2);
const q = await doc.send(new QueryCommand({ TableName: "Orders", KeyConditionExpression: "pk = :p AND sk BETWEEN :a AND :b",
  ExpressionAttributeValues: { ":p": "c1", ":a": 1, ":b": 10 }, ScanIndexForward: false, Limit: 2 }));
assert.deepEqual(q.Items.map((i) => i.sk), [10, 7]);
assert.ok(q.LastEvaluatedKey);
// A global index is eventually consistent: wait for it to catch up.
const started = Date.now();
let byStatus;
do {
  byStatus = await doc.send(new QueryCommand({ TableName: "Orders", IndexName: "byStatus", KeyConditionExpression: "#s = :s",
    ExpressionAttributeNames: { "#s": "status" }, ExpressionAttributeValues: { ":s": "closed" }, Select: "COUNT" }));
} while (byStatus.Count < 13 && Date.now() - started < 5000);
console.log("   index caught up after", Date.now() - started, "ms");
assert.equal(byStatus.Count, 13);
let scanned = 0;
for await (const page of paginateScan({ client: doc, pageSize: 5 }, { TableName: "Orders" })) scanned += page.Count;
assert.equal(scanned, 27);

step("update with conditions, delete with ReturnValues, transaction with idempotency token");
const up = await doc.send(new UpdateCommand({ TableName: "Orders", Key: { pk: "c1", sk: 1 },
  UpdateExpression: "SET #l[0].qty = #l[0].qty + :one, #st = :closed", ConditionExpression: "#st = :open",
  ExpressionAttributeNames: { "#st": "status", "#l": "lines" }, ExpressionAttributeValues: { ":one": 1, ":closed": "closed", ":open": "open" }, ReturnValues: "ALL_NEW" }));
assert.equal(up.Attributes.lines[0].qty, 3);
await assert.rejects(doc.send(new UpdateCommand({ TableName: "Orders", Key: { pk: "c1", sk: 1 }, UpdateExpression: "SET n = :n",
  ConditionExpression: "attribute_not_exists(pk)", ExpressionAttributeValues: { ":n": 1 } })), (e) => e.name === "ConditionalCheckFailedException");
const del = await doc.send(new DeleteCommand({ TableName: "Orders", Key: { pk: "c2", sk: 2 }, ReturnValues: "ALL_OLD" }));
assert.equal(del.Attributes.n, 2);
const tx = { TransactItems: [{ Put: { TableName: "Orders", Item: { pk: "t", sk: 1 } } }, { Update: { TableName: "Orders", Key: { pk: "c1", sk: 4 },
  UpdateExpression: "ADD n :one", ExpressionAttributeValues: { ":one": 10 } } }], ClientRequestToken: "token-1" };
await doc.send(new TransactWriteCommand(tx));
await doc.send(new TransactWriteCommand(tx));
assert.equal((await doc.send(new GetCommand({ TableName: "Orders", Key: { pk: "c1", sk: 4 } }))).Item.n, 14);
await assert.rejects(client.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: "Orders", Item: { pk: { S: "t" }, sk: { N: "2" } } } }],
  ClientRequestToken: "token-1" })), (e) => e.name === "IdempotentParameterMismatchException");

step("PartiQL with NextToken");
let token, rows = 0;
do {
  const r = await client.send(new ExecuteStatementCommand({ Statement: 'SELECT * FROM "Orders" WHERE pk = ?', Parameters: [{ S: "c0" }], Limit: 3, NextToken: token }));
  rows += r.Items.length; token = r.NextToken;
} while (token);
assert.equal(rows, 9);

step("streams");
const desc = await client.send(new DescribeTableCommand({ TableName: "Orders" }));
const streamArn = desc.Table.LatestStreamArn;
const shards = (await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }))).StreamDescription.Shards;
let records = 0;
for (const shard of shards) {
  let it = (await streams.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shard.ShardId, ShardIteratorType: "TRIM_HORIZON" }))).ShardIterator;
  while (it) {
    const r = await streams.send(new GetRecordsCommand({ ShardIterator: it }));
    records += r.Records.length;
    if (r.Records.length === 0) break;
    it = r.NextShardIterator;
  }
}
assert.ok(records >= 30, String(records));

step("update table: warm throughput; delete table");
const warm = await client.send(new UpdateTableCommand({ TableName: "Orders", WarmThroughput: { ReadUnitsPerSecond: 15000 } }));
assert.equal(warm.TableDescription.WarmThroughput.ReadUnitsPerSecond, 15000);
await client.send(new DeleteTableCommand({ TableName: "Orders" }));
await waitUntilTableNotExists({ client, maxWaitTime: 30 }, { TableName: "Orders" });
step("vector index: create, put embeddings with the document client, SearchVectors");
await client.send(new CreateTableCommand({
  TableName: "Docs", BillingMode: "PAY_PER_REQUEST",
  AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }, { AttributeName: "lang", AttributeType: "S" }],
  KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
  VectorIndexes: [{ IndexName: "byMeaning", VectorAttribute: { AttributeName: "embedding" }, Dimensions: 4, DistanceFunction: "COSINE",
    SearchSchema: [{ AttributeName: "lang", SearchSchemaElementType: "HASH" }], Projection: { ProjectionType: "ALL" } }],
}));
await waitUntilTableExists({ client, maxWaitTime: 30 }, { TableName: "Docs" });
const embeddings = { a: [1, 0, 0, 0], b: [0.8, 0.2, 0, 0], c: [0, 0, 1, 0], d: [0.9, 0, 0, 0.1] };
for (const [id, embedding] of Object.entries(embeddings)) {
  await doc.send(new PutCommand({ TableName: "Docs", Item: { id, lang: id === "d" ? "fr" : "en", embedding, title: "doc " + id } }));
}
// Searches are eventually consistent, as in DynamoDB: wait until the index holds the four items.
for (let tries = 0; ; tries++) {
  const described = await client.send(new DescribeTableCommand({ TableName: "Docs" }));
  if (described.Table.VectorIndexes[0].ItemCount === 4) break;
  assert.ok(tries < 600, "the vector index never held the items");
  await new Promise((resolve) => setTimeout(resolve, 50));
}
const found = await client.send(new SearchVectorsCommand({ TableName: "Docs", IndexName: "byMeaning", TopK: 2,
  SearchVector: [1, 0.1, 0, 0].map((n) => ({ N: String(n) })), SearchConditionExpression: "lang = :l",
  ExpressionAttributeValues: { ":l": { S: "en" } }, ReturnConsumedCapacity: "TOTAL" }));
assert.deepEqual(found.SearchResults.map((r) => r.Item.id.S), ["a", "b"]);
assert.ok(found.SearchResults[0].Score < found.SearchResults[1].Score);
assert.equal(found.SearchResults[0].Item.embedding, undefined);
assert.ok(found.ConsumedCapacity.VectorSearchRequestBytes >= 1024);
await assert.rejects(doc.send(new PutCommand({ TableName: "Docs", Item: { id: "bad", lang: "en", embedding: [1, 2] } })),
  (e) => e.name === "ValidationException" && e.message.includes("Invalid size for parameter embedding, Expected: 4, Actual: 2"));
await client.send(new DeleteTableCommand({ TableName: "Docs" }));
console.log("JS SDK v3 smoke: all passed");
