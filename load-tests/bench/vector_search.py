# SearchVectors latency against table size, against a running Eddy (development mode):
#   python3 load-tests/bench/vector_search.py http://127.0.0.1:8000 ITEMS DIMENSIONS SEARCHES [HASHES]
# Creates table Vec<ITEMS>x<DIMENSIONS>[h<HASHES>] with a COSINE vector index, loads random vectors with
# boto3's batch writer, waits until the index holds them all (searches are eventually consistent), then
# times SearchVectors (TopK 10, one at a time). With HASHES, the index's search schema has a HASH
# attribute spread evenly over that many values, and each search names one of them. Run again, it
# finds the table there and only searches. Raw JSON for the calls boto3 does not know yet
# (VectorIndexes, SearchVectors).
import boto3, json, random, sys, time, urllib.request, statistics
from decimal import Decimal
endpoint = sys.argv[1]; n = int(sys.argv[2]); dims = int(sys.argv[3]); searches = int(sys.argv[4])
hashes = int(sys.argv[5]) if len(sys.argv) > 5 else 0
AUTH = "AWS4-HMAC-SHA256 Credential=dev/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=00"
def call(op, body, refusals=()):
    req = urllib.request.Request(endpoint, data=json.dumps(body).encode(), method="POST", headers={
        "Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "DynamoDB_20120810." + op,
        "X-Amz-Date": "20260101T000000Z", "Authorization": AUTH})
    try:
        with urllib.request.urlopen(req) as r:
            return json.loads(r.read())
    except urllib.error.HTTPError as e:
        error = e.read().decode()
        if any(refusal in error for refusal in refusals):
            return None
        raise SystemExit(op + ": " + error)
name = f"Vec{n}x{dims}" + (f"h{hashes}" if hashes else "")
index = {"IndexName": "vec", "VectorAttribute": {"AttributeName": "e"}, "Dimensions": dims,
         "DistanceFunction": "COSINE", "Projection": {"ProjectionType": "KEYS_ONLY"}}
definitions = [{"AttributeName": "id", "AttributeType": "S"}]
if hashes:
    index["SearchSchema"] = [{"AttributeName": "h", "SearchSchemaElementType": "HASH"}]
    definitions.append({"AttributeName": "h", "AttributeType": "S"})
created = call("CreateTable", {"TableName": name, "BillingMode": "PAY_PER_REQUEST", "AttributeDefinitions": definitions,
    "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}], "VectorIndexes": [index]}, ("ResourceInUseException",))
random.seed(7)
t = boto3.resource("dynamodb", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="dev",
                   aws_secret_access_key="dev").Table(name)
start = time.time()
with t.batch_writer() as w:
    for i in range(n if created else 0):
        item = {"id": f"i{i}", "e": [Decimal(str(round(random.uniform(-1, 1), 4))) for _ in range(dims)]}
        if hashes: item["h"] = f"h{i % hashes}"
        w.put_item(Item=item)
while call("DescribeTable", {"TableName": name})["Table"]["VectorIndexes"][0]["ItemCount"] < n:
    time.sleep(0.1)
load = time.time() - start
lat = []
for s in range(searches):
    q = [{"N": str(round(random.uniform(-1, 1), 4))} for _ in range(dims)]
    t0 = time.time()
    search = {"TableName": name, "IndexName": "vec", "TopK": 10, "SearchVector": q}
    if hashes:
        search["SearchConditionExpression"] = "h = :h"
        search["ExpressionAttributeValues"] = {":h": {"S": f"h{s % hashes}"}}
    r = call("SearchVectors", search)
    lat.append((time.time() - t0) * 1000)
    assert len(r["SearchResults"]) == 10
lat.sort()
print(f"{n} items x {dims} dims" + (f", {hashes} HASH values" if hashes else "") + f": load and index {load:.1f}s; "
      f"SearchVectors TopK 10 over {searches} searches: "
      f"p50 {statistics.median(lat):.0f} ms, p90 {lat[int(len(lat)*0.9)-1]:.0f} ms, max {lat[-1]:.0f} ms")
