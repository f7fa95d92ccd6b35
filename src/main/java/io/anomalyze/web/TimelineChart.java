package io.anomalyze.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.anomalyze.detect.Severity;
import io.anomalyze.read.FlowTimestamps;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The timeline of an analysis as inline SVG: records per time bucket, the anomalous ones
 * stacked by severity at the foot of each bar, the rest drawn light above them. Each bar links
 * to the records of its time range.
 */
final class TimelineChart {

    /** Most bars drawn: stored buckets are merged in runs to stay under it. */
    static final int MAX_BARS = 96;
    private static final int WIDTH = 900;
    private static final int HEIGHT = 170;
    private static final int LEFT = 48;
    private static final int BOTTOM = 28;
    private static final DateTimeFormatter AXIS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

    private TimelineChart() {
    }

    /** The chart of a stored timeline (see {@code TimelineJson}), its bars linking under {@code recordsPath}. */
    static String of(JsonNode timeline, String recordsPath) {
        JsonNode counts = timeline.path("counts");
        int stored = counts.size();
        int merge = Math.max(1, (stored + MAX_BARS - 1) / MAX_BARS);
        int bars = (stored + merge - 1) / merge;
        long width = timeline.path("bucketMicros").asLong() * merge;
        long start = timeline.path("startMicros").asLong();
        int levels = Severity.values().length;
        long[][] perBar = new long[bars][levels];
        long max = 1;
        for (int b = 0; b < stored; b++) {
            for (int k = 0; k < levels; k++) {
                perBar[b / merge][k] += counts.get(b).path(k).asLong();
            }
        }
        for (long[] bar : perBar) {
            long total = 0;
            for (long n : bar) {
                total += n;
            }
            max = Math.max(max, total);
        }
        double barW = (WIDTH - LEFT - 10) / (double) bars;
        double plotH = HEIGHT - BOTTOM - 10;
        StringBuilder sb = new StringBuilder();
        sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart timeline\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
                .append("\" role=\"img\" aria-label=\"Records over time, anomalies by severity\">");
        sb.append("<text class=\"axis\" x=\"").append(LEFT - 6).append("\" y=\"16\" text-anchor=\"end\">").append(max).append("</text>");
        sb.append("<text class=\"axis\" x=\"").append(LEFT - 6).append("\" y=\"").append(HEIGHT - BOTTOM).append("\" text-anchor=\"end\">0</text>");
        for (int b = 0; b < bars; b++) {
            long from = start + b * width;
            long to = from + width;
            double x = LEFT + b * barW;
            double y = HEIGHT - BOTTOM;
            long total = 0;
            for (long n : perBar[b]) {
                total += n;
            }
            if (total == 0) {
                continue;
            }
            sb.append("<a href=\"").append(SvgCharts.escape(recordsPath + "?from=" + FlowTimestamps.iso(from) + "&to=" + FlowTimestamps.iso(to))).append("\">");
            sb.append("<title>").append(AXIS.format(FlowTimestamps.instant(from))).append(" – ").append(AXIS.format(FlowTimestamps.instant(to))).append(" UTC: ")
                    .append(total).append(" records");
            for (int k = Severity.values().length - 1; k >= 1; k--) {
                if (perBar[b][k] > 0) {
                    sb.append(", ").append(perBar[b][k]).append(' ').append(Severity.values()[k].label());
                }
            }
            sb.append("</title>");
            // anomalies at the foot, worst first, so they stay visible beside large benign counts
            for (int k = levels - 1; k >= 0; k--) {
                long n = perBar[b][k];
                if (n == 0) {
                    continue;
                }
                double h = Math.max(1, plotH * n / max);
                y -= h;
                sb.append("<rect class=\"sev-").append(Severity.values()[k].label().toLowerCase(Locale.ROOT))
                        .append(k == 0 ? " benign" : "").append("\" x=\"").append(num(x + 0.5)).append("\" y=\"").append(num(y))
                        .append("\" width=\"").append(num(Math.max(1, barW - 1))).append("\" height=\"").append(num(h)).append("\"/>");
            }
            sb.append("</a>");
        }
        sb.append("<text class=\"axis\" x=\"").append(LEFT).append("\" y=\"").append(HEIGHT - 8).append("\">")
                .append(AXIS.format(FlowTimestamps.instant(start))).append(" UTC</text>");
        sb.append("<text class=\"axis\" x=\"").append(WIDTH - 10).append("\" y=\"").append(HEIGHT - 8).append("\" text-anchor=\"end\">")
                .append(AXIS.format(FlowTimestamps.instant(start + bars * width))).append(" UTC</text>");
        return sb.append("</svg>").toString();
    }


    private static String num(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
