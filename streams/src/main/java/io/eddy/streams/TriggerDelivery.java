package io.eddy.streams;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.eddy.model.AttributeValueJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one trigger's batches: an HTTP POST of {@code {"Records":[...]}} (Lambda's DynamoDB
 * event); a 2xx answer is success. A failed batch is retried {@code maxRetries} times with
 * exponential backoff; then, with bisect-on-error, it is split in two and each half delivered
 * the same way (first half first, so per-item order holds), which isolates a record the receiver
 * cannot take; a batch that still fails goes to the on-failure destination and delivery moves on.
 * Completes once the batch is delivered or sent to the destination: only then is it checkpointed.
 */
final class TriggerDelivery {

    private static final Logger log = LoggerFactory.getLogger(TriggerDelivery.class);
    private static final JsonFactory JSON = AttributeValueJson.factory();
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final TriggerSpec spec;
    private final HttpClient http;
    private final StreamRecordJson recordJson;
    private final Executor executor;
    final AtomicLong delivered = new AtomicLong();
    final AtomicLong failedToDestination = new AtomicLong();
    final AtomicReference<String> lastError = new AtomicReference<>();
    /** Set when the trigger is deleted, replaced or the node stops: no more requests, retries or checkpoints. */
    private volatile boolean stopped;

    TriggerDelivery(TriggerSpec spec, HttpClient http, StreamRecordJson recordJson, Executor executor) {
        this.spec = spec;
        this.http = http;
        this.recordJson = recordJson;
        this.executor = executor;
    }

    CompletionStage<Void> deliver(List<ShardRecord> batch) {
        return attempt(batch, 0);
    }

    void stop() {
        stopped = true;
    }

    boolean stopped() {
        return stopped;
    }

    /** Ends a delivery chain of a stopped trigger (its pipeline is being shut down too). */
    private static <T> CompletionStage<T> cutShort() {
        return CompletableFuture.failedFuture(new java.util.concurrent.CancellationException("the trigger stopped"));
    }

    /** Completes after the backoff of the {@code retry}th retry: the spec's, doubling, up to {@link #MAX_BACKOFF}. */
    private CompletionStage<Void> backoff(int retry) {
        long millis = Math.min(MAX_BACKOFF.toMillis(), spec.retryBackoffMs() << Math.min(retry, 20));
        return CompletableFuture.runAsync(() -> {}, CompletableFuture.delayedExecutor(millis, TimeUnit.MILLISECONDS, executor));
    }

    private CompletionStage<Void> attempt(List<ShardRecord> batch, int retry) {
        if (stopped) return cutShort();
        return post(batch).thenCompose(error -> {
            if (error == null) {
                delivered.addAndGet(batch.size());
                return CompletableFuture.completedFuture(null);
            }
            lastError.set(error);
            if (retry < spec.maxRetries()) {
                return backoff(retry).thenCompose(ignored -> attempt(batch, retry + 1));
            }
            if (spec.bisectOnError() && batch.size() > 1) {
                int half = batch.size() / 2;
                return attempt(batch.subList(0, half), 0).thenCompose(ignored -> attempt(batch.subList(half, batch.size()), 0));
            }
            failedToDestination.addAndGet(batch.size());
            return toFailureDestination(batch, error, retry + 1, 0);
        });
    }

    /** Completes with null on a 2xx answer, else with what went wrong. */
    private CompletionStage<String> post(List<ShardRecord> batch) {
        HttpRequest request = HttpRequest.newBuilder(spec.endpoint())
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(event(batch)))
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                .handle((response, failure) -> {
                    if (failure != null) return "request failed: " + failure;
                    int status = response.statusCode();
                    return status >= 200 && status < 300 ? null : "HTTP " + status;
                });
    }

    private byte[] event(List<ShardRecord> batch) {
        return json(g -> {
            g.writeStartObject();
            writeRecords(g, batch);
            g.writeEndObject();
        });
    }

    private void writeRecords(JsonGenerator g, List<ShardRecord> batch) throws IOException {
        g.writeArrayFieldStart("Records");
        for (ShardRecord r : batch) recordJson.write(g, r.record(), StreamRecordJson.Shape.LAMBDA_EVENT, r.streamArn());
        g.writeEndArray();
    }

    /**
     * Lambda's invocation record for a stream batch that exhausted its retries, with the records
     * themselves added (a file destination is then a dead-letter log that can be replayed).
     */
    private CompletionStage<Void> toFailureDestination(List<ShardRecord> batch, String error, int attempts, int destinationRetry) {
        if (stopped) return cutShort();
        ShardRecord first = batch.get(0);
        ShardRecord last = batch.get(batch.size() - 1);
        byte[] body = json(g -> {
            g.writeStartObject();
            g.writeObjectFieldStart("requestContext");
            g.writeStringField("functionArn", spec.endpoint().toString());
            g.writeStringField("condition", "RetryAttemptsExhausted");
            g.writeNumberField("approximateInvokeCount", attempts);
            g.writeEndObject();
            g.writeObjectFieldStart("responseContext");
            g.writeStringField("error", error);
            g.writeEndObject();
            g.writeStringField("timestamp", Instant.now().toString());
            g.writeObjectFieldStart("DDBStreamBatchInfo");
            g.writeStringField("shardId", first.shardId());
            g.writeStringField("startSequenceNumber", first.record().sequenceNumber());
            g.writeStringField("endSequenceNumber", last.record().sequenceNumber());
            g.writeStringField("approximateArrivalOfFirstRecord", first.record().approximateCreationDateTime().toString());
            g.writeStringField("approximateArrivalOfLastRecord", last.record().approximateCreationDateTime().toString());
            g.writeNumberField("batchSize", batch.size());
            g.writeStringField("streamArn", first.streamArn());
            g.writeEndObject();
            writeRecords(g, batch);
            g.writeEndObject();
        });
        if (destinationRetry == 0) {
            log.warn("trigger {}: {} records to the on-failure destination after {} attempts ({})",
                    spec.name(), batch.size(), attempts, error);
        }
        if (spec.onFailureFile() != null) {
            return CompletableFuture.runAsync(() -> appendLine(body), executor);
        }
        if (spec.onFailureEndpoint() != null) {
            HttpRequest request = HttpRequest.newBuilder(spec.onFailureEndpoint()).timeout(REQUEST_TIMEOUT)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            // The destination too is retried, with the same growing backoff, until it takes the batch: it must not be lost.
            return http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).handle((response, failure) ->
                            failure == null && response.statusCode() / 100 == 2)
                    .thenCompose(ok -> ok ? CompletableFuture.<Void>completedFuture(null)
                            : backoff(destinationRetry).thenCompose(ignored -> toFailureDestination(batch, error, attempts, destinationRetry + 1)));
        }
        return CompletableFuture.completedFuture(null); // no destination: dropped, as Lambda does
    }

    private synchronized void appendLine(byte[] body) {
        try {
            Files.write(spec.onFailureFile(), (new String(body, StandardCharsets.UTF_8) + "\n").getBytes(StandardCharsets.UTF_8),
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static byte[] json(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
