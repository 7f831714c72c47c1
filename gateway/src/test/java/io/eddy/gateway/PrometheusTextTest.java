package io.eddy.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.eddy.persistence.Histogram;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {

    @Test
    void labelValuesEscapeBackslashQuoteAndLineFeed() {
        assertEquals("PutItem", PrometheusText.escapeLabelValue("PutItem"));
        assertEquals("a\\\\b\\\"c\\nd", PrometheusText.escapeLabelValue("a\\b\"c\nd"));
        String text = new String(new PrometheusText()
                .family("x_total", "counter", "Help with a \\ and\na line feed.")
                .sample("x_total", 3, "path", "C:\\dir", "quote", "say \"hi\"").bytes(), StandardCharsets.UTF_8);
        assertEquals("""
                # HELP x_total Help with a \\\\ and\\na line feed.
                # TYPE x_total counter
                x_total{path="C:\\\\dir",quote="say \\"hi\\""} 3
                """, text);
    }

    @Test
    void decimalsArePlainAndExact() {
        assertEquals("0.0001", PrometheusText.decimal(100_000, 9));
        assertEquals("0.00025", PrometheusText.decimal(250_000, 9));
        assertEquals("1", PrometheusText.decimal(1_000_000_000, 9));
        assertEquals("2.5", PrometheusText.decimal(2_500_000_000L, 9));
        assertEquals("0", PrometheusText.decimal(0, 9));
        assertEquals("4096", PrometheusText.decimal(4096, 0));
    }

    @Test
    void histogramsRenderCumulativeBucketsSumAndCount() {
        Histogram latency = new Histogram(500_000, 2_000_000_000L);
        latency.record(400_000);
        latency.record(600_000);
        latency.record(3_000_000_000L);
        String text = new String(new PrometheusText()
                .family("d_seconds", "histogram", "Durations.")
                .histogram("d_seconds", latency.snapshot(), 9, "operation", "GetItem").bytes(), StandardCharsets.UTF_8);
        assertEquals("""
                # HELP d_seconds Durations.
                # TYPE d_seconds histogram
                d_seconds_bucket{operation="GetItem",le="0.0005"} 1
                d_seconds_bucket{operation="GetItem",le="2"} 2
                d_seconds_bucket{operation="GetItem",le="+Inf"} 3
                d_seconds_sum{operation="GetItem"} 3.001
                d_seconds_count{operation="GetItem"} 3
                """, text);
        String unlabelled = new String(new PrometheusText().histogram("b", new Histogram(1).snapshot(), 0).bytes(),
                StandardCharsets.UTF_8);
        assertEquals("b_bucket{le=\"1\"} 0\nb_bucket{le=\"+Inf\"} 0\nb_sum 0\nb_count 0\n", unlabelled);
    }
}
