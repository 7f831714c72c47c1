package io.eddy.gateway;

import io.eddy.model.ErrorCode;
import io.eddy.persistence.JournalMetrics;
import io.eddy.shards.RecoveredPartitions;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * What {@code GET /metrics} serves, as Prometheus text: requests, their latency and errors per
 * operation, the requests throttled per table, the journal's group commit (events, fsyncs, events per fsync), the partitions
 * this node serves, and the memory reserved by requests. Request metrics are this node's; the journal's cover every journal open in
 * the process (one, outside tests).
 */
final class Metrics {

    /** The label of requests whose operation is not known: no or an unknown X-Amz-Target, an unreadable body. */
    static final String UNKNOWN_OPERATION = "unknown";

    /** Sorted by name, so the text comes in a stable order. */
    private final Map<String, OperationMetrics> operations = new ConcurrentSkipListMap<>();
    private final OperationMetrics unknown = operation(UNKNOWN_OPERATION);
    private final RecoveredPartitions partitions;
    private final ThroughputLimits throughput;
    private final RequestMemory requestMemory;

    Metrics(RecoveredPartitions partitions, ThroughputLimits throughput, RequestMemory requestMemory) {
        this.partitions = partitions;
        this.throughput = throughput;
        this.requestMemory = requestMemory;
    }

    /** The counters of an operation, made on first ask: the handler asks once per operation it serves. */
    OperationMetrics operation(String name) {
        return operations.computeIfAbsent(name, n -> new OperationMetrics());
    }

    OperationMetrics unknownOperation() {
        return unknown;
    }

    byte[] render() {
        PrometheusText text = new PrometheusText();
        text.family("eddy_requests_total", "counter", "DynamoDB API requests answered, by operation and outcome.");
        operations.forEach((name, op) -> {
            if (requests(op) == 0) return;
            text.sample("eddy_requests_total", op.ok(), "operation", name, "outcome", "ok");
            text.sample("eddy_requests_total", op.clientErrors(), "operation", name, "outcome", "client_error");
            text.sample("eddy_requests_total", op.serverErrors(), "operation", name, "outcome", "server_error");
        });
        text.family("eddy_request_duration_seconds", "histogram",
                "Time from receiving a request to its response being ready, by operation.");
        operations.forEach((name, op) -> {
            if (requests(op) > 0) text.histogram("eddy_request_duration_seconds", op.latency(), 9, "operation", name);
        });
        text.family("eddy_errors_total", "counter", "Error responses by operation and DynamoDB error type (__type).");
        ErrorCode[] codes = OperationMetrics.errorCodes();
        operations.forEach((name, op) -> {
            for (ErrorCode code : codes) {
                long count = op.errors(code);
                if (count > 0) text.sample("eddy_errors_total", count, "operation", name, "type", code.name());
            }
        });
        text.family("eddy_throttled_requests_total", "counter",
                "Requests refused for a table's or global index's capacity, by table and ThrottlingReason reason.");
        throughput.refusals().forEach((key, count) ->
                text.sample("eddy_throttled_requests_total", count, "table", key.table(), "reason", key.reason()));
        text.family("eddy_journal_events_total", "counter", "Events made durable by the journal.")
                .sample("eddy_journal_events_total", JournalMetrics.eventsWritten());
        text.family("eddy_journal_syncs_total", "counter",
                        "Synced journal batches (fsyncs); group commit keeps this below the events.")
                .sample("eddy_journal_syncs_total", JournalMetrics.syncs());
        text.family("eddy_journal_events_deleted_total", "counter",
                        "Journal events deleted because no reader needs them any more (journal trimming).")
                .sample("eddy_journal_events_deleted_total", JournalMetrics.eventsDeleted());
        text.family("eddy_journal_events_relocated_total", "counter",
                        "Journal events appended again so that the log segment they were in, otherwise all deleted, could go.")
                .sample("eddy_journal_events_relocated_total", JournalMetrics.eventsRelocated());
        text.family("eddy_journal_batch_events", "histogram", "Events per synced journal batch (per fsync).")
                .histogram("eddy_journal_batch_events", JournalMetrics.batchEvents(), 0);
        text.family("eddy_journal_sync_duration_seconds", "histogram",
                        "Time to write one synced journal batch, its fsync included: what each of its writes waited for.")
                .histogram("eddy_journal_sync_duration_seconds", JournalMetrics.syncDurations(), 9);
        text.family("eddy_partitions_active", "gauge", "Partitions this node serves (recovered and running).")
                .sample("eddy_partitions_active", partitions.count());
        text.family("eddy_partition_recoveries_total", "counter", "Partition starts that recovered from the item store and the journal.")
                .sample("eddy_partition_recoveries_total", partitions.recoveries());
        text.family("eddy_partition_replayed_events_total", "counter",
                        "Journal events replayed by partition recoveries: the tails the item store had not applied (0 after a clean stop).")
                .sample("eddy_partition_replayed_events_total", partitions.replayedEvents());
        text.family("eddy_http_request_body_bytes_reserved", "gauge",
                        "Memory reserved by the large request bodies being read or handled now (eddy.http.request-body-memory).")
                .sample("eddy_http_request_body_bytes_reserved", requestMemory.bodies().reserved());
        text.family("eddy_http_request_parse_bytes_reserved", "gauge",
                        "Memory reserved by the requests being handled now, as bounds of what they take once parsed (eddy.http.request-parse-memory).")
                .sample("eddy_http_request_parse_bytes_reserved", requestMemory.parsed().reserved());
        return text.bytes();
    }

    private static long requests(OperationMetrics op) {
        return op.ok() + op.clientErrors() + op.serverErrors();
    }
}
