package io.anomalyze.web;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Flattens a JSON document into name/value rows for display (escaped by the template). */
final class JsonView {

    private static final int MAX_VALUE_CHARS = 200;

    private JsonView() {
    }

    static List<String[]> flatten(String prefix, JsonNode node) {
        List<String[]> rows = new ArrayList<>();
        flatten(prefix, node, rows);
        return rows;
    }

    private static void flatten(String prefix, JsonNode node, List<String[]> rows) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return;
        }
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), rows));
        } else if (node.isArray()) {
            StringBuilder sb = new StringBuilder();
            boolean simple = true;
            for (JsonNode n : node) {
                if (n.isContainerNode()) {
                    simple = false;
                    break;
                }
                if (sb.length() > 0) {
                    sb.append(", ");
                }
                sb.append(n.asText());
            }
            if (simple) {
                rows.add(new String[] {prefix, shorten(sb.toString())});
            } else {
                rows.add(new String[] {prefix, node.size() + " entries"});
            }
        } else {
            rows.add(new String[] {prefix, shorten(node.isFloatingPointNumber()
                    ? io.anomalyze.report.SixDigits.format(node.asDouble()) : node.asText())});
        }
    }

    private static String shorten(String s) {
        return s.length() <= MAX_VALUE_CHARS ? s : s.substring(0, MAX_VALUE_CHARS) + "\u2026";
    }
}
