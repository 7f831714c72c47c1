-- Shared by the wrk workloads: DynamoDB JSON requests with random keys over the benchmark table
-- (KEYS partition keys x ITEMS_PER_KEY sort keys, 1 KB items). The Authorization header is
-- well formed but not a real signature: Eddy (development mode), DynamoDB Local and dynalite do
-- not verify signatures. The Gatling simulations sign every request for real.
local M = {}

M.table = os.getenv("BENCH_TABLE") or "bench"
M.keys = tonumber(os.getenv("BENCH_KEYS") or "2000")
M.items_per_key = tonumber(os.getenv("BENCH_ITEMS_PER_KEY") or "10")
local payload = string.rep("x", 960)

function M.setup_headers()
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-amz-json-1.0"
  wrk.headers["X-Amz-Date"] = "20260101T000000Z"
  wrk.headers["Authorization"] = "AWS4-HMAC-SHA256 Credential=dev/20260101/us-east-1/dynamodb/aws4_request, "
    .. "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0000000000000000000000000000000000000000000000000000000000000000"
end

local function call(operation, body)
  wrk.headers["X-Amz-Target"] = "DynamoDB_20120810." .. operation
  return wrk.format(nil, "/", nil, body)
end

local function random_key()
  return "user-" .. math.random(0, M.keys - 1), math.random(0, M.items_per_key - 1)
end

function M.put()
  local pk, sk = random_key()
  -- A changing version: a put that changes nothing is not journaled, so it would measure nothing.
  return call("PutItem", string.format(
    '{"TableName":"%s","Item":{"pk":{"S":"%s"},"sk":{"N":"%d"},"version":{"N":"%d"},"payload":{"S":"%s"}}}',
    M.table, pk, sk, math.random(1, 1000000000), payload))
end

function M.get()
  local pk, sk = random_key()
  return call("GetItem", string.format('{"TableName":"%s","Key":{"pk":{"S":"%s"},"sk":{"N":"%d"}}}', M.table, pk, sk))
end

function M.query()
  local pk = random_key()
  return call("Query", string.format(
    '{"TableName":"%s","Limit":10,"KeyConditionExpression":"pk = :pk","ExpressionAttributeValues":{":pk":{"S":"%s"}}}',
    M.table, pk))
end

function M.init_thread(id)
  math.randomseed(os.time() * 1000 + id)
end

return M
