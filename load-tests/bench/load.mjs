// Creates the benchmark table and loads KEYS x ITEMS_PER_KEY items of ~1 KB, 32 requests at a time.
// Usage: node load.mjs http://127.0.0.1:8000
const endpoint = process.argv[2];
const table = process.env.BENCH_TABLE ?? "bench";
const keys = Number(process.env.BENCH_KEYS ?? 2000);
const perKey = Number(process.env.BENCH_ITEMS_PER_KEY ?? 10);
const payload = "x".repeat(960);
const headers = (op) => ({
  "Content-Type": "application/x-amz-json-1.0",
  "X-Amz-Target": `DynamoDB_20120810.${op}`,
  "X-Amz-Date": "20260101T000000Z",
  "Authorization": "AWS4-HMAC-SHA256 Credential=dev/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00",
});
async function call(op, body) {
  const r = await fetch(endpoint, { method: "POST", headers: headers(op), body: JSON.stringify(body) });
  const text = await r.text();
  if (r.status !== 200) throw new Error(`${op}: ${r.status} ${text}`);
  return text;
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
  await new Promise((resolve) => setTimeout(resolve, 100));
}
const jobs = [];
for (let k = 0; k < keys; k++) for (let s = 0; s < perKey; s++) jobs.push([k, s]);
let next = 0;
async function worker() {
  while (next < jobs.length) {
    const [k, s] = jobs[next++];
    await call("PutItem", { TableName: table, Item: { pk: { S: `user-${k}` }, sk: { N: String(s) }, version: { N: "0" }, payload: { S: payload } } });
  }
}
await Promise.all(Array.from({ length: 32 }, worker));
console.log(`loaded ${jobs.length} items into ${table} at ${endpoint}`);
