# How soon a write reaches a global secondary index, against a running Eddy (or any endpoint):
#   python3 load-tests/bench/index_lag.py http://127.0.0.1:8000 [WRITES]
# Creates a new table with a global index (its first writes are the ones a poll would delay), then,
# one write at a time: PutItem, and Query the index for that item until it is there. Prints how
# many writes were in the index at the first Query, and the time from PutItem's answer to the
# Query that found the item (median and max; it includes that Query's round trip).
import boto3, statistics, sys, time
endpoint = sys.argv[1]; writes = int(sys.argv[2]) if len(sys.argv) > 2 else 50
ddb = boto3.client("dynamodb", endpoint_url=endpoint, region_name="us-east-1",
                   aws_access_key_id="dev", aws_secret_access_key="dev")
table = f"IndexLag{int(time.time() * 1000)}"
ddb.create_table(TableName=table, BillingMode="PAY_PER_REQUEST",
                 AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"},
                                       {"AttributeName": "group", "AttributeType": "S"}],
                 KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                 GlobalSecondaryIndexes=[{"IndexName": "byGroup", "KeySchema": [{"AttributeName": "group", "KeyType": "HASH"}],
                                          "Projection": {"ProjectionType": "ALL"}}])
ddb.get_waiter("table_exists").wait(TableName=table)
lags, at_first_query = [], 0
for i in range(writes):
    ddb.put_item(TableName=table, Item={"id": {"S": f"item{i}"}, "group": {"S": f"group{i}"}})
    answered, queries = time.perf_counter(), 0
    while True:
        queries += 1
        found = ddb.query(TableName=table, IndexName="byGroup", KeyConditionExpression="#g = :g",
                          ExpressionAttributeNames={"#g": "group"},
                          ExpressionAttributeValues={":g": {"S": f"group{i}"}})["Count"]
        if found: break
    lags.append((time.perf_counter() - answered) * 1000)
    at_first_query += queries == 1
print(f"{table}: {at_first_query}/{writes} writes in the index at the first Query; "
      f"PutItem answer to found: median {statistics.median(lags):.1f} ms, max {max(lags):.1f} ms")
