package io.eddy.gateway;

import io.eddy.persistence.Histogram;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;

/**
 * Prometheus's text exposition format, version 0.0.4: a {@code # HELP} and {@code # TYPE} line
 * per metric family, then its samples, with label values escaped.
 */
final class PrometheusText {

    static final ContentType CONTENT_TYPE = ContentTypes.parse("text/plain; version=0.0.4; charset=utf-8");

    private final StringBuilder out = new StringBuilder(4096);

    /** Starts a metric family; {@code type} is counter, gauge or histogram. */
    PrometheusText family(String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(escapeHelp(help)).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        return this;
    }

    /** One sample; {@code labels} are name, value, name, value, ... */
    PrometheusText sample(String name, long value, String... labels) {
        return sample(name, Long.toString(value), labels);
    }

    private PrometheusText sample(String name, String value, String... labels) {
        out.append(name);
        appendLabels(labels, null);
        out.append(' ').append(value).append('\n');
        return this;
    }

    /**
     * The samples of one histogram: cumulative {@code _bucket}s with {@code le}, then {@code _sum}
     * and {@code _count}. Bounds and sum are recorded in units of {@code 10^-scale} (scale 9 turns
     * nanoseconds into seconds, 0 keeps counts as they are).
     */
    PrometheusText histogram(String name, Histogram.Snapshot snapshot, int scale, String... labels) {
        long[] bounds = snapshot.upperBounds();
        long[] counts = snapshot.cumulativeCounts();
        for (int i = 0; i < counts.length; i++) {
            out.append(name).append("_bucket");
            appendLabels(labels, i < bounds.length ? decimal(bounds[i], scale) : "+Inf");
            out.append(' ').append(counts[i]).append('\n');
        }
        sample(name + "_sum", decimal(snapshot.sum(), scale), labels);
        return sample(name + "_count", snapshot.count(), labels);
    }

    byte[] bytes() {
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private void appendLabels(String[] labels, String le) {
        if (labels.length == 0 && le == null) return;
        out.append('{');
        for (int i = 0; i < labels.length; i += 2) {
            if (i > 0) out.append(',');
            out.append(labels[i]).append("=\"").append(escapeLabelValue(labels[i + 1])).append('"');
        }
        if (le != null) {
            if (labels.length > 0) out.append(',');
            out.append("le=\"").append(le).append('"');
        }
        out.append('}');
    }

    /** {@code value * 10^-scale} exactly, without exponent: 100000 at scale 9 is 0.0001. */
    static String decimal(long value, int scale) {
        return BigDecimal.valueOf(value, scale).stripTrailingZeros().toPlainString();
    }

    /** In a label value, backslash, double quote and line feed are escaped. */
    static String escapeLabelValue(String value) {
        if (value.indexOf('\\') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0) return value;
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    /** In help text, backslash and line feed are escaped. */
    private static String escapeHelp(String help) {
        return help.replace("\\", "\\\\").replace("\n", "\\n");
    }
}
