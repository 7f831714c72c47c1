// Creates the benchmark table and loads items of ~1 KB into it, many requests at a time, over
// plain HTTP with keep-alive (a well-formed but unsigned Authorization header, which Eddy in
// development mode, DynamoDB Local and dynalite accept).
// Usage: node load.mjs http://127.0.0.1:8000
//
// Item i has partition key "user-<floor(i / BENCH_ITEMS_PER_KEY)>" and sort key i % BENCH_ITEMS_PER_KEY,
// so the first n items are exactly the keys the wrk scripts (common.lua) pick from when
// BENCH_KEYS = n / BENCH_ITEMS_PER_KEY. Environment:
//   BENCH_TABLE (bench), BENCH_KEYS (2000), BENCH_ITEMS_PER_KEY (10): the table and its size;
//   BENCH_FROM (0), BENCH_COUNT (the rest of the table): which items to load, for loading in steps;
//   BENCH_BATCH (1): items per request, 1 = PutItem, 2..25 = BatchWriteItem (unprocessed items are sent again);
//   BENCH_CONCURRENCY (32): requests in flight (and connections);
//   BENCH_PAYLOAD (x): "x" fills each item with 960 x's, "random" with 960 random base64 characters,
//   which LevelDB's block compression cannot shrink, so the data on disk is as big as the items.
// Prints "loaded N items into TABLE at ENDPOINT in S s (R items/s)".
import http from "node:http";
import { randomBytes } from "node:crypto";
import { dynamoHeaders } from "./dynamo-headers.mjs";

const endpoint = new URL(process.argv[2]);
const table = process.env.BENCH_TABLE ?? "bench";
const keys = Number(process.env.BENCH_KEYS ?? 2000);
const perKey = Number(process.env.BENCH_ITEMS_PER_KEY ?? 10);
const from = Number(process.env.BENCH_FROM ?? 0);
const count = Number(process.env.BENCH_COUNT ?? keys * perKey - from);
const batch = Number(process.env.BENCH_BATCH ?? 1);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 32);
const payloadKind = process.env.BENCH_PAYLOAD ?? "x";
if (!(batch >= 1 && batch <= 25)) throw new Error(`BENCH_BATCH must be 1..25, not ${batch}`);
if (payloadKind !== "x" && payloadKind !== "random") throw new Error(`BENCH_PAYLOAD must be x or random, not ${payloadKind}`);
const xs = "x".repeat(960);
const payload = payloadKind === "x" ? () => xs : () => randomBytes(720).toString("base64");

const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });

function post(op, body) {
  return new Promise((resolve, reject) => {
    const request = http.request({ hostname: endpoint.hostname, port: endpoint.port, path: "/", method: "POST", agent,
      headers: dynamoHeaders(op, body) }, (response) => {
      const chunks = [];
      response.on("data", (chunk) => chunks.push(chunk));
      response.on("end", () => resolve({ status: response.statusCode, text: Buffer.concat(chunks).toString() }));
      response.on("error", reject);
    });
    request.on("error", reject);
    request.end(body);
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// A server error (a timeout under overload) or a dropped connection is tried again a few times;
// a client error is a bug in this script or the server and stops the load.
async function call(op, bodyObject) {
  const body = JSON.stringify(bodyObject);
  for (let attempt = 1; ; attempt++) {
    let response;
    try {
      response = await post(op, body);
    } catch (dropped) {
      if (attempt >= 5) throw dropped;
      await sleep(100 * 2 ** attempt);
      continue;
    }
    if (response.status === 200) return response.text;
    const failure = new Error(`${op}: ${response.status} ${response.text.slice(0, 300)}`);
    if (response.status < 500 || attempt >= 5) throw failure;
    await sleep(100 * 2 ** attempt);
  }
}

function item(i) {
  return { pk: { S: `user-${Math.floor(i / perKey)}` }, sk: { N: String(i % perKey) }, version: { N: "0" }, payload: { S: payload() } };
}

try {
  await call("CreateTable", {
    TableName: table, BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }, { AttributeName: "sk", AttributeType: "N" }],
    KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }, { AttributeName: "sk", KeyType: "RANGE" }],
  });
} catch (e) {
  if (!String(e).includes("ResourceInUse")) throw e;
}
// Like real DynamoDB, some servers (dynalite) report CREATING for a while: wait for ACTIVE.
for (let i = 0; ; i++) {
  const status = JSON.parse(await call("DescribeTable", { TableName: table })).Table.TableStatus;
  if (status === "ACTIVE") break;
  if (i > 600) throw new Error(`table ${table} stayed ${status}`);
  await sleep(100);
}

async function putOne(i) {
  await call("PutItem", { TableName: table, Item: item(i) });
}

async function putBatch(first, end) {
  let requests = [];
  for (let i = first; i < end; i++) requests.push({ PutRequest: { Item: item(i) } });
  for (let round = 0; requests.length > 0; round++) {
    if (round > 0) await sleep(Math.min(1000, 10 * 2 ** round));
    const reply = JSON.parse(await call("BatchWriteItem", { RequestItems: { [table]: requests } }));
    requests = reply.UnprocessedItems?.[table] ?? [];
  }
}

const end = from + count;
const started = process.hrtime.bigint();
let next = from;
let loaded = 0;
let reported = started;
async function worker() {
  while (next < end) {
    const first = next;
    const last = Math.min(end, first + batch);
    next = last;
    if (batch === 1) await putOne(first);
    else await putBatch(first, last);
    loaded += last - first;
    const now = process.hrtime.bigint();
    if (now - reported > 10_000_000_000n) {
      reported = now;
      const seconds = Number(now - started) / 1e9;
      console.error(`  ${loaded} of ${count} items, ${Math.round(loaded / seconds)} items/s`);
    }
  }
}
await Promise.all(Array.from({ length: concurrency }, worker));
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
agent.destroy();
console.log(`loaded ${count} items into ${table} at ${endpoint.origin} in ${seconds.toFixed(1)} s (${Math.round(count / seconds)} items/s)`);
