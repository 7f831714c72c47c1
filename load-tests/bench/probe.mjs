// A latency probe to run beside wrk: a few connections, each sending one request at a time and
// timing it, while wrk's connections keep the server busy. On two cores wrk's own latency
// includes waits of wrk's (see docs/benchmarks.md, "The tail at 64 connections"); the probe's
// numbers are what one more client of the loaded server sees.
// Usage: node probe.mjs http://127.0.0.1:8000 [get|query] [seconds, 15] [connections, 4]
// Keys as in common.lua: BENCH_TABLE (bench), BENCH_KEYS (2000), BENCH_ITEMS_PER_KEY (10).
// Prints "probe WORKLOAD: N requests, p50 .. ms, p90 .. ms, p99 .. ms, max .. ms".
import http from "node:http";
import { dynamoHeaders } from "./dynamo-headers.mjs";

const endpoint = new URL(process.argv[2]);
const workload = process.argv[3] ?? "query";
const seconds = Number(process.argv[4] ?? 15);
const connections = Number(process.argv[5] ?? 4);
const table = process.env.BENCH_TABLE ?? "bench";
const keys = Number(process.env.BENCH_KEYS ?? 2000);
const perKey = Number(process.env.BENCH_ITEMS_PER_KEY ?? 10);

const randomKey = () => [`user-${Math.floor(Math.random() * keys)}`, Math.floor(Math.random() * perKey)];
const requests = {
  get: () => {
    const [pk, sk] = randomKey();
    return ["GetItem", { TableName: table, Key: { pk: { S: pk }, sk: { N: String(sk) } } }];
  },
  query: () => ["Query", {
    TableName: table, Limit: 10, KeyConditionExpression: "pk = :pk",
    ExpressionAttributeValues: { ":pk": { S: randomKey()[0] } },
  }],
};
if (!requests[workload]) throw new Error(`workload must be get or query, not ${workload}`);

function timed(agent) {
  const [operation, request] = requests[workload]();
  const body = JSON.stringify(request);
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const req = http.request(endpoint, {
      method: "POST", agent, headers: dynamoHeaders(operation, body),
    }, (res) => {
      if (res.statusCode !== 200) reject(new Error(`${operation} answered ${res.statusCode}`));
      res.resume();
      res.on("end", () => resolve(Number(process.hrtime.bigint() - started) / 1e6));
    });
    req.on("error", reject);
    req.end(body);
  });
}

const until = Date.now() + seconds * 1000;
const latencies = [];
await Promise.all(Array.from({ length: connections }, async () => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 }); // one connection per loop
  while (Date.now() < until) latencies.push(await timed(agent));
  agent.destroy();
}));
latencies.sort((a, b) => a - b);
const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))].toFixed(2);
console.log(`probe ${workload}: ${latencies.length} requests, p50 ${at(0.5)} ms, p90 ${at(0.9)} ms, `
  + `p99 ${at(0.99)} ms, max ${latencies[latencies.length - 1].toFixed(2)} ms`);
