"""boto3 against an Eddy endpoint (argv[1]): the resource and client APIs a Python application uses. Run by run.sh."""
import sys, decimal
import boto3
from boto3.dynamodb.conditions import Key, Attr
from botocore.exceptions import ClientError

ep = sys.argv[1]
kw = dict(endpoint_url=ep, region_name="us-east-1", aws_access_key_id="dev", aws_secret_access_key="dev")
ddb = boto3.resource("dynamodb", **kw)
client = boto3.client("dynamodb", **kw)
streams = boto3.client("dynamodbstreams", **kw)

def step(name):
    print("--", name, flush=True)

step("create table with GSI, LSI and stream, wait until exists")
t = ddb.create_table(
    TableName="Games",
    KeySchema=[{"AttributeName": "player", "KeyType": "HASH"}, {"AttributeName": "game", "KeyType": "RANGE"}],
    AttributeDefinitions=[{"AttributeName": "player", "AttributeType": "S"}, {"AttributeName": "game", "AttributeType": "S"},
                          {"AttributeName": "score", "AttributeType": "N"}, {"AttributeName": "level", "AttributeType": "N"}],
    GlobalSecondaryIndexes=[{"IndexName": "byScore", "KeySchema": [{"AttributeName": "game", "KeyType": "HASH"}, {"AttributeName": "score", "KeyType": "RANGE"}],
                             "Projection": {"ProjectionType": "ALL"}}],
    LocalSecondaryIndexes=[{"IndexName": "byLevel", "KeySchema": [{"AttributeName": "player", "KeyType": "HASH"}, {"AttributeName": "level", "KeyType": "RANGE"}],
                            "Projection": {"ProjectionType": "KEYS_ONLY"}}],
    BillingMode="PAY_PER_REQUEST",
    StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"})
t.wait_until_exists()
assert t.table_status == "ACTIVE", t.table_status

step("batch_writer of 60 items with sets, maps, lists, binary, bool, null, decimals")
with t.batch_writer() as batch:
    for i in range(60):
        batch.put_item(Item={"player": "p%d" % (i % 6), "game": "g%02d" % i, "score": decimal.Decimal(i * 10), "level": i % 7,
                             "tags": {"a", "b%d" % i}, "nums": {1, 2, decimal.Decimal("3.5")}, "meta": {"x": [1, "two", None, True]},
                             "blob": b"\x00\x01\x02", "flag": i % 2 == 0, "nothing": None, "ratio": decimal.Decimal("0.1")})

step("get_item, query with conditions, paginator, scan with filter")
item = t.get_item(Key={"player": "p0", "game": "g00"})["Item"]
assert item["tags"] == {"a", "b0"} and item["blob"].value == b"\x00\x01\x02" and item["meta"]["x"][2] is None, item
r = t.query(KeyConditionExpression=Key("player").eq("p1") & Key("game").begins_with("g0"), ScanIndexForward=False)
assert [i["game"] for i in r["Items"]] == ["g07", "g01"], r["Items"]
r = t.query(IndexName="byScore", KeyConditionExpression=Key("game").eq("g05") & Key("score").between(0, 100))
assert len(r["Items"]) == 1
r = t.query(IndexName="byLevel", KeyConditionExpression=Key("player").eq("p2") & Key("level").gte(3), Select="ALL_PROJECTED_ATTRIBUTES")
assert all(set(i) == {"player", "game", "level"} for i in r["Items"]), r["Items"]
pages = list(client.get_paginator("scan").paginate(TableName="Games", PaginationConfig={"PageSize": 7}))
assert sum(p["Count"] for p in pages) == 60 and len(pages) >= 9, [p["Count"] for p in pages]
r = t.scan(FilterExpression=Attr("flag").eq(True) & Attr("score").gt(100) & Attr("tags").contains("a"))
assert r["Count"] == 24, r["Count"]

step("update_item with ReturnValues and a condition that fails")
r = t.update_item(Key={"player": "p0", "game": "g00"}, UpdateExpression="SET score = score + :d, meta.x[1] = :s ADD tags :t REMOVE nothing",
                  ExpressionAttributeValues={":d": 5, ":s": "deux", ":t": {"c"}}, ReturnValues="UPDATED_NEW")
assert r["Attributes"]["score"] == 5 and r["Attributes"]["tags"] == {"a", "b0", "c"}, r
try:
    t.put_item(Item={"player": "p0", "game": "g00"}, ConditionExpression="attribute_not_exists(player)",
               ReturnValuesOnConditionCheckFailure="ALL_OLD")
    raise AssertionError("condition should fail")
except ClientError as e:
    assert e.response["Error"]["Code"] == "ConditionalCheckFailedException", e.response
    assert e.response["Item"]["score"] == {"N": "5"}, e.response

step("transactions: write with a failing check, then get")
try:
    client.transact_write_items(TransactItems=[
        {"Put": {"TableName": "Games", "Item": {"player": {"S": "p9"}, "game": {"S": "new"}}}},
        {"ConditionCheck": {"TableName": "Games", "Key": {"player": {"S": "p0"}, "game": {"S": "g00"}},
                            "ConditionExpression": "score > :big", "ExpressionAttributeValues": {":big": {"N": "1000"}}}}])
    raise AssertionError("should be cancelled")
except ClientError as e:
    assert e.response["Error"]["Code"] == "TransactionCanceledException", e.response
    assert [r["Code"] for r in e.response["CancellationReasons"]] == ["None", "ConditionalCheckFailed"], e.response
r = client.transact_get_items(TransactItems=[{"Get": {"TableName": "Games", "Key": {"player": {"S": "p0"}, "game": {"S": "g00"}}}}])
assert r["Responses"][0]["Item"]["score"] == {"N": "5"}

step("PartiQL select with parameters and pagination, batch statements")
r = client.execute_statement(Statement='SELECT game, score FROM "Games" WHERE player = ? AND score >= ?', Parameters=[{"S": "p3"}, {"N": "100"}])
assert sorted(i["game"]["S"] for i in r["Items"]) == ["g15", "g21", "g27", "g33", "g39", "g45", "g51", "g57"], r["Items"]
r = client.batch_execute_statement(Statements=[{"Statement": "INSERT INTO \"Games\" VALUE {'player': 'p7', 'game': 'x'}"},
                                               {"Statement": "UPDATE \"Games\" SET score = 1 WHERE player = 'nobody' AND game = 'x'"}])
assert "Error" not in r["Responses"][0] and r["Responses"][1]["Error"]["Code"] == "ConditionalCheckFailed", r["Responses"]

step("TTL, tags, continuous backups, describe_limits")
client.update_time_to_live(TableName="Games", TimeToLiveSpecification={"Enabled": True, "AttributeName": "expires"})
assert client.describe_time_to_live(TableName="Games")["TimeToLiveDescription"]["TimeToLiveStatus"] in ("ENABLED", "ENABLING")
arn = t.table_arn
client.tag_resource(ResourceArn=arn, Tags=[{"Key": "env", "Value": "test"}])
assert client.list_tags_of_resource(ResourceArn=arn)["Tags"] == [{"Key": "env", "Value": "test"}]
client.update_continuous_backups(TableName="Games", PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True})
assert client.describe_continuous_backups(TableName="Games")["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"] == "ENABLED"
client.describe_limits()

step("streams: describe, shard iterator, records")
stream_arn = client.describe_table(TableName="Games")["Table"]["LatestStreamArn"]
shards = streams.describe_stream(StreamArn=stream_arn)["StreamDescription"]["Shards"]
count = 0
for shard in shards:
    it = streams.get_shard_iterator(StreamArn=stream_arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    while it:
        r = streams.get_records(ShardIterator=it, Limit=100)
        count += len(r["Records"])
        if not r["Records"]:
            break
        it = r.get("NextShardIterator")
assert count == 62, count

step("errors: missing table, bad key type, oversized item")
try:
    client.get_item(TableName="Nope", Key={"a": {"S": "b"}})
    raise AssertionError()
except ClientError as e:
    assert e.response["Error"]["Code"] == "ResourceNotFoundException", e.response
try:
    t.put_item(Item={"player": 5, "game": "g"})
    raise AssertionError()
except ClientError as e:
    assert e.response["Error"]["Code"] == "ValidationException", e.response
try:
    t.put_item(Item={"player": "big", "game": "g", "pad": "x" * 410000})
    raise AssertionError()
except ClientError as e:
    assert e.response["Error"]["Code"] == "ValidationException" and "size" in e.response["Error"]["Message"], e.response

step("legacy global tables, Kinesis destinations, replica auto scaling: DynamoDB's answers")
assert client.list_global_tables()["GlobalTables"] == []
try:
    client.describe_global_table(GlobalTableName="Games")
    raise AssertionError()
except client.exceptions.GlobalTableNotFoundException:
    pass
try:
    client.create_global_table(GlobalTableName="Games", ReplicationGroup=[{"RegionName": "us-east-1"}, {"RegionName": "us-west-2"}])
    raise AssertionError()
except ClientError as e:
    assert "version 2017.11.29 is not supported" in e.response["Error"]["Message"], e.response
assert client.describe_kinesis_streaming_destination(TableName="Games")["KinesisDataStreamDestinations"] == []
try:
    client.describe_table_replica_auto_scaling(TableName="Games")
    raise AssertionError()
except client.exceptions.ResourceNotFoundException as e:
    assert e.response["Error"]["Message"] == "Global table with name: 'Games' does not exist.", e.response

step("delete table, wait until gone")
client.update_continuous_backups(TableName="Games", PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": False})
t.delete()
t.wait_until_not_exists()
print("boto3 smoke: all passed")
