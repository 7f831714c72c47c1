package io.eddy.streams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * A trigger: deliver the records of a table's stream, in batches, to an HTTP endpoint as the JSON
 * AWS Lambda receives from a DynamoDB trigger ({@code {"Records":[...]}}). Read from the admin
 * API or the configuration, with defaults like Lambda's event source mappings; stored as JSON.
 *
 * @param streamEnabledAtMicros the stream the trigger reads, fixed when it is created (as a Lambda
 *                              mapping names one stream ARN); null until then
 */
public record TriggerSpec(String name, String table, URI endpoint, int batchSize, long batchingWindowMs,
                          DynamoStreams.IteratorType startingPosition, int maxRetries, long retryBackoffMs,
                          boolean bisectOnError, Path onFailureFile, URI onFailureEndpoint, Long streamEnabledAtMicros) {

    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_.-]{1,128}");

    /** A spec from JSON; {@code name} (from the admin path) wins over a "name" member. */
    public static TriggerSpec fromJson(String name, JsonNode json) {
        if (json == null || !json.isObject()) throw new IllegalArgumentException("a trigger is a JSON object");
        String triggerName = name != null ? name : text(json, "name", null);
        if (triggerName == null || !NAME.matcher(triggerName).matches()) {
            throw new IllegalArgumentException("name must be 1 to 128 characters of [a-zA-Z0-9_.-]");
        }
        String table = text(json, "table", null);
        if (table == null) throw new IllegalArgumentException("table is required");
        URI endpoint = httpUri(text(json, "endpoint", null), "endpoint");
        if (endpoint == null) throw new IllegalArgumentException("endpoint is required");
        int batchSize = (int) number(json, "batchSize", 100, 1, 10_000);
        long window = number(json, "batchingWindowMs", 0, 0, 300_000);
        String start = text(json, "startingPosition", "TRIM_HORIZON");
        if (!start.equals("TRIM_HORIZON") && !start.equals("LATEST")) {
            throw new IllegalArgumentException("startingPosition must be TRIM_HORIZON or LATEST");
        }
        int retries = (int) number(json, "maxRetries", 3, 0, 10_000);
        long backoff = number(json, "retryBackoffMs", 100, 1, 60_000);
        JsonNode bisect = json.get("bisectOnError");
        if (bisect != null && !bisect.isBoolean()) throw new IllegalArgumentException("bisectOnError must be true or false");
        JsonNode onFailure = json.get("onFailure");
        Path file = null;
        URI failureEndpoint = null;
        if (onFailure != null && !onFailure.isNull()) {
            if (!onFailure.isObject()) throw new IllegalArgumentException("onFailure is an object with file or endpoint");
            String f = text(onFailure, "file", null);
            failureEndpoint = httpUri(text(onFailure, "endpoint", null), "onFailure.endpoint");
            if ((f == null) == (failureEndpoint == null)) {
                throw new IllegalArgumentException("onFailure needs exactly one of file and endpoint");
            }
            file = f == null ? null : Path.of(f);
        }
        JsonNode stream = json.get("streamEnabledAtMicros");
        return new TriggerSpec(triggerName, table, endpoint, batchSize, window, DynamoStreams.IteratorType.valueOf(start),
                retries, backoff, bisect != null && bisect.booleanValue(), file, failureEndpoint,
                stream == null || stream.isNull() ? null : stream.longValue());
    }

    public TriggerSpec boundTo(long streamEnabledAtMicros) {
        return new TriggerSpec(name, table, endpoint, batchSize, batchingWindowMs, startingPosition, maxRetries,
                retryBackoffMs, bisectOnError, onFailureFile, onFailureEndpoint, streamEnabledAtMicros);
    }

    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("name", name);
        json.put("table", table);
        json.put("endpoint", endpoint.toString());
        json.put("batchSize", batchSize);
        json.put("batchingWindowMs", batchingWindowMs);
        json.put("startingPosition", startingPosition.name());
        json.put("maxRetries", maxRetries);
        json.put("retryBackoffMs", retryBackoffMs);
        json.put("bisectOnError", bisectOnError);
        if (onFailureFile != null) json.putObject("onFailure").put("file", onFailureFile.toString());
        if (onFailureEndpoint != null) json.putObject("onFailure").put("endpoint", onFailureEndpoint.toString());
        if (streamEnabledAtMicros != null) json.put("streamEnabledAtMicros", streamEnabledAtMicros);
        return json;
    }

    private static String text(JsonNode json, String field, String fallback) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) return fallback;
        if (!node.isTextual()) throw new IllegalArgumentException(field + " must be a string");
        return node.textValue();
    }

    private static long number(JsonNode json, String field, long fallback, long min, long max) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) return fallback;
        if (!node.isIntegralNumber() || node.longValue() < min || node.longValue() > max) {
            throw new IllegalArgumentException(field + " must be an integer from " + min + " to " + max);
        }
        return node.longValue();
    }

    private static URI httpUri(String text, String field) {
        if (text == null) return null;
        try {
            URI uri = URI.create(text);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException(field + " must be an http or https URL");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + " must be an http or https URL");
        }
    }
}
