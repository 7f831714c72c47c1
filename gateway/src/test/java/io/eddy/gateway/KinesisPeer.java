package io.eddy.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * kinesalite (an open-source Kinesis Data Streams implementation, pinned in tools/kinesalite), in
 * memory on a random loopback port: the stream Kinesis streaming destination tests deliver to,
 * called over Kinesis's JSON protocol.
 */
final class KinesisPeer implements AutoCloseable {

    static final Path LOG = Path.of("target", "kinesalite.log");

    private final NodeTool tool;
    private final HttpClient http = HttpClient.newHttpClient();

    private KinesisPeer(NodeTool tool) {
        this.tool = tool;
    }

    static KinesisPeer start() throws Exception {
        return new KinesisPeer(NodeTool.start("kinesalite", "kinesalite/cli.js",
                List.of("--createStreamMs", "0", "--deleteStreamMs", "0", "--updateStreamMs", "0"), LOG));
    }

    String endpoint() {
        return "http://127.0.0.1:" + tool.port();
    }

    /** One Kinesis call; fails on an error answer. */
    JsonNode call(String operation, ObjectNode body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint() + "/"))
                .header("Content-Type", "application/x-amz-json-1.1")
                .header("X-Amz-Target", "Kinesis_20131202." + operation)
                .header("X-Amz-Date", "20260101T000000Z")
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/kinesis/aws4_request, "
                        + "SignedHeaders=host;x-amz-date, Signature=0")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) throw new IllegalStateException(operation + ": " + response.body());
        return Json.MAPPER.readTree(response.body().isEmpty() ? "{}" : response.body());
    }

    void createStream(String name) throws Exception {
        call("CreateStream", Json.MAPPER.createObjectNode().put("StreamName", name).put("ShardCount", 1));
    }

    /** Every record of the one-shard stream so far, its data read as JSON. */
    List<JsonNode> records(String stream) throws Exception {
        String iterator = call("GetShardIterator", Json.MAPPER.createObjectNode().put("StreamName", stream)
                .put("ShardId", "shardId-000000000000").put("ShardIteratorType", "TRIM_HORIZON")).path("ShardIterator").asText();
        List<JsonNode> records = new ArrayList<>();
        while (true) {
            JsonNode page = call("GetRecords", Json.MAPPER.createObjectNode().put("ShardIterator", iterator));
            for (JsonNode record : page.path("Records")) {
                records.add(Json.MAPPER.readTree(Base64.getDecoder().decode(record.path("Data").asText())));
            }
            if (page.path("Records").isEmpty() || !page.hasNonNull("NextShardIterator")) return records;
            iterator = page.path("NextShardIterator").asText();
        }
    }

    @Override
    public void close() throws InterruptedException {
        tool.stop();
    }
}
