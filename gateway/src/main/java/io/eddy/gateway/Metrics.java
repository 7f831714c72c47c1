package io.eddy.gateway;

import io.eddy.persistence.JournalMetrics;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counters served as Prometheus text on {@code GET /metrics}. */
final class Metrics {

    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();

    /** Counts one answered request of {@code operation} ("unknown" before the target is known). */
    void request(String operation, int status) {
        requests.computeIfAbsent(operation + "\u0000" + (status < 300 ? "ok" : status < 500 ? "client_error" : "server_error"),
                k -> new LongAdder()).increment();
    }

    byte[] render() {
        StringBuilder out = new StringBuilder();
        out.append("# HELP eddy_requests_total DynamoDB API requests answered, by operation and outcome.\n");
        out.append("# TYPE eddy_requests_total counter\n");
        requests.forEach((key, count) -> {
            String[] parts = key.split("\u0000");
            out.append("eddy_requests_total{operation=\"").append(parts[0]).append("\",outcome=\"").append(parts[1])
                    .append("\"} ").append(count.sum()).append('\n');
        });
        out.append("# HELP eddy_journal_events_total Events made durable by the journal.\n");
        out.append("# TYPE eddy_journal_events_total counter\n");
        out.append("eddy_journal_events_total ").append(JournalMetrics.eventsWritten()).append('\n');
        out.append("# HELP eddy_journal_syncs_total Synced journal batches (fsyncs); group commit keeps this below the events.\n");
        out.append("# TYPE eddy_journal_syncs_total counter\n");
        out.append("eddy_journal_syncs_total ").append(JournalMetrics.syncs()).append('\n');
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }
}
