package io.anomalyze.web;

import io.anomalyze.detect.Severity;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Charts drawn on the server as inline SVG: numbers become coordinates, and every piece of text
 * (class names come from uploaded files) is escaped, so a chart can be placed in a page as is.
 */
public final class SvgCharts {

    private SvgCharts() {
    }

    /** Horizontal bars, one per severity, coloured by severity. */
    public static String severityBars(long[] counts) {
        long max = 1;
        for (long c : counts) {
            max = Math.max(max, c);
        }
        int rowH = 30;
        int labelW = 80;
        int barW = 380;
        int h = rowH * counts.length + 10;
        StringBuilder sb = open(labelW + barW + 90, h, "Records per severity");
        for (Severity s : Severity.values()) {
            int i = s.ordinal();
            int y = 5 + i * rowH;
            double w = counts[i] == 0 ? 0 : Math.max(2, barW * (double) counts[i] / max);
            sb.append("<text class=\"axis\" x=\"0\" y=\"").append(y + 19).append("\">").append(s.label()).append("</text>");
            sb.append("<rect class=\"sev-").append(s.label().toLowerCase(Locale.ROOT)).append("\" x=\"").append(labelW)
                    .append("\" y=\"").append(y + 4).append("\" width=\"").append(num(w)).append("\" height=\"").append(rowH - 10)
                    .append("\" rx=\"3\"/>");
            sb.append("<text class=\"value\" x=\"").append(num(labelW + w + 6)).append("\" y=\"").append(y + 19).append("\">")
                    .append(String.format(Locale.ROOT, "%,d", counts[i])).append("</text>");
        }
        return sb.append("</svg>").toString();
    }

    /** Horizontal bars of counts per name (e.g. predicted class), largest first. */
    public static String countBars(Map<String, Long> counts, int maxBars) {
        List<Map.Entry<String, Long>> entries = counts.entrySet().stream().limit(maxBars).toList();
        long max = 1;
        for (var e : entries) {
            max = Math.max(max, e.getValue());
        }
        int rowH = 26;
        int longest = 0;
        for (var e : entries) {
            longest = Math.max(longest, e.getKey().length());
        }
        int labelW = Math.max(190, (int) Math.ceil(longest * CHAR_W) + 12);
        int barW = 300;
        StringBuilder sb = open(labelW + barW + 90, rowH * entries.size() + 10, "Records per class");
        int i = 0;
        for (var e : entries) {
            int y = 5 + i++ * rowH;
            double w = e.getValue() == 0 ? 0 : Math.max(2, barW * (double) e.getValue() / max);
            sb.append("<text class=\"axis\" x=\"0\" y=\"").append(y + 17).append("\">").append(escape(e.getKey())).append("</text>");
            sb.append("<rect class=\"bar\" x=\"").append(labelW).append("\" y=\"").append(y + 4).append("\" width=\"").append(num(w))
                    .append("\" height=\"").append(rowH - 10).append("\" rx=\"3\"/>");
            sb.append("<text class=\"value\" x=\"").append(num(labelW + w + 6)).append("\" y=\"").append(y + 17).append("\">")
                    .append(String.format(Locale.ROOT, "%,d", e.getValue())).append("</text>");
        }
        return sb.append("</svg>").toString();
    }

    /**
     * A confusion-matrix heatmap: rows are the truth, columns the prediction, cell shade by the
     * share of its row.
     */
    public static String confusionHeatmap(List<String> classes, long[][] matrix) {
        int n = classes.size();
        int cell = n <= 2 ? 110 : Math.max(28, 440 / n);
        // Class names are shown whole (several CICIDS2017 classes share their first words):
        // rows get a label column as wide as the longest name, columns slanted names above.
        int longest = 0;
        for (String c : classes) {
            longest = Math.max(longest, c.length());
        }
        int nameW = (int) Math.ceil(longest * CHAR_W);
        int labelW = Math.max(60, nameW + 12);
        int top = n <= 2 ? 40 : 30 + (int) Math.ceil(nameW * SLANT_SIN);
        int w = labelW + cell * n + (n <= 2 ? 10 : (int) Math.ceil(nameW * SLANT_COS) + 10);
        int h = top + cell * n + 30;
        StringBuilder sb = open(w, h, "Confusion matrix");
        sb.append("<text class=\"axis-title\" x=\"").append(labelW + cell * n / 2).append("\" y=\"14\" text-anchor=\"middle\">predicted</text>");
        for (int c = 0; c < n; c++) {
            int x = labelW + c * cell + cell / 2;
            if (n <= 2) {
                sb.append("<text class=\"axis\" x=\"").append(x).append("\" y=\"").append(top - 6)
                        .append("\" text-anchor=\"middle\">").append(escape(classes.get(c))).append("</text>");
            } else {
                sb.append("<text class=\"axis\" x=\"").append(x).append("\" y=\"").append(top - 6)
                        .append("\" transform=\"rotate(-").append(SLANT_DEGREES).append(' ').append(x).append(' ').append(top - 6)
                        .append(")\">").append(escape(classes.get(c))).append("</text>");
            }
        }
        for (int r = 0; r < n; r++) {
            long rowTotal = 0;
            for (long v : matrix[r]) {
                rowTotal += v;
            }
            int y = top + r * cell;
            sb.append("<text class=\"axis\" x=\"").append(labelW - 8).append("\" y=\"").append(y + cell / 2 + 5)
                    .append("\" text-anchor=\"end\">").append(escape(classes.get(r))).append("</text>");
            for (int c = 0; c < n; c++) {
                double share = rowTotal == 0 ? 0 : (double) matrix[r][c] / rowTotal;
                sb.append("<rect class=\"").append(r == c ? "cell-hit" : "cell-miss").append("\" x=\"").append(labelW + c * cell)
                        .append("\" y=\"").append(y).append("\" width=\"").append(cell - 2).append("\" height=\"").append(cell - 2)
                        .append("\" fill-opacity=\"").append(num(0.08 + 0.92 * share)).append("\"><title>")
                        .append(escape(classes.get(r))).append(" predicted as ").append(escape(classes.get(c))).append(": ")
                        .append(matrix[r][c]).append("</title></rect>");
                if (n <= 8) {
                    sb.append("<text class=\"").append(share > 0.5 ? "cell-text light" : "cell-text").append("\" x=\"")
                            .append(labelW + c * cell + (cell - 2) / 2).append("\" y=\"").append(y + cell / 2 + 5)
                            .append("\" text-anchor=\"middle\">").append(String.format(Locale.ROOT, "%,d", matrix[r][c])).append("</text>");
                }
            }
        }
        sb.append("<text class=\"axis-title\" x=\"0\" y=\"").append(top + cell * n + 22).append("\">rows: actual</text>");
        return sb.append("</svg>").toString();
    }

    /** Width of one character of an axis label, in pixels, for laying out whole names. */
    private static final double CHAR_W = 6.2;
    private static final int SLANT_DEGREES = 45;
    private static final double SLANT_SIN = Math.sin(Math.toRadians(SLANT_DEGREES));
    private static final double SLANT_COS = Math.cos(Math.toRadians(SLANT_DEGREES));

    /** The ROC curve with the chance diagonal. */
    public static String rocCurve(double[] fpr, double[] tpr, double auc) {
        int size = 300;
        int pad = 45;
        int w = size + pad + 20;
        int h = size + pad + 15;
        StringBuilder sb = open(w, h, "ROC curve");
        int x0 = pad;
        int y0 = 10;
        sb.append("<rect class=\"plot\" x=\"").append(x0).append("\" y=\"").append(y0).append("\" width=\"").append(size)
                .append("\" height=\"").append(size).append("\"/>");
        for (int t = 0; t <= 4; t++) {
            double v = t / 4.0;
            int gx = x0 + (int) (v * size);
            int gy = y0 + size - (int) (v * size);
            sb.append("<line class=\"grid\" x1=\"").append(gx).append("\" y1=\"").append(y0).append("\" x2=\"").append(gx)
                    .append("\" y2=\"").append(y0 + size).append("\"/>");
            sb.append("<line class=\"grid\" x1=\"").append(x0).append("\" y1=\"").append(gy).append("\" x2=\"").append(x0 + size)
                    .append("\" y2=\"").append(gy).append("\"/>");
            sb.append("<text class=\"axis\" x=\"").append(gx).append("\" y=\"").append(y0 + size + 16).append("\" text-anchor=\"middle\">")
                    .append(num(v)).append("</text>");
            sb.append("<text class=\"axis\" x=\"").append(x0 - 6).append("\" y=\"").append(gy + 4).append("\" text-anchor=\"end\">")
                    .append(num(v)).append("</text>");
        }
        sb.append("<line class=\"chance\" x1=\"").append(x0).append("\" y1=\"").append(y0 + size).append("\" x2=\"").append(x0 + size)
                .append("\" y2=\"").append(y0).append("\"/>");
        StringBuilder pts = new StringBuilder();
        for (int i = 0; i < fpr.length; i++) {
            pts.append(num(x0 + fpr[i] * size)).append(',').append(num(y0 + size - tpr[i] * size)).append(' ');
        }
        sb.append("<polyline class=\"curve\" points=\"").append(pts.toString().strip()).append("\"/>");
        sb.append("<text class=\"axis-title\" x=\"").append(x0 + size / 2).append("\" y=\"").append(y0 + size + 34)
                .append("\" text-anchor=\"middle\">false positive rate</text>");
        sb.append("<text class=\"legend\" x=\"").append(x0 + size - 8).append("\" y=\"").append(y0 + size - 12)
                .append("\" text-anchor=\"end\">AUC ").append(String.format(Locale.ROOT, "%.4f", auc)).append("</text>");
        return sb.append("</svg>").toString();
    }

    private static StringBuilder open(int w, int h, String title) {
        return new StringBuilder(4096).append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 ")
                .append(w).append(' ').append(h).append("\" width=\"").append(w).append("\" height=\"").append(h)
                .append("\" role=\"img\" aria-label=\"").append(escape(title)).append("\">");
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    /** Escapes text for XML content and attribute values. */
    public static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> {
                    if (c >= 0x20 || c == '\t' || c == '\n') {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }
}
