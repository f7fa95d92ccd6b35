package io.anomalyze.store.legacy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.anomalyze.Json;
import io.anomalyze.detect.FeatureContribution;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The text form of a verdict's list-valued columns (feature values, top features,
 * probabilities) in schema version 1, where every verdict was a row; it is read when such a
 * database is converted to verdict blocks ({@link VersionOneVerdicts}). Values are joined with control
 * characters that CSV fields do not carry: a record separator marks the compact form and a unit
 * separator splits its fields. A value that does contain either character falls back to JSON,
 * and JSON written by still earlier versions reads too.
 */
public final class CompactText {

    public static final char MARK = '\u001E';
    public static final char SEP = '\u001F';

    private CompactText() {
    }

    public static String strings(String[] values, StringBuilder sb) {
        if (values == null) {
            return null;
        }
        if (values.length == 0 || !compactable(values)) {
            return json(values);
        }
        sb.setLength(0);
        sb.append(MARK);
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                sb.append(SEP);
            }
            sb.append(values[i]);
        }
        return sb.toString();
    }

    public static String topFeatures(List<FeatureContribution> top, StringBuilder sb) {
        if (top == null || top.isEmpty()) {
            return null;
        }
        for (FeatureContribution f : top) {
            if (!compactable(f.feature()) || !compactable(f.value())) {
                List<Object[]> rows = new ArrayList<>(top.size());
                for (FeatureContribution g : top) {
                    rows.add(new Object[] {g.feature(), g.value(), g.contribution()});
                }
                return json(rows);
            }
        }
        sb.setLength(0);
        sb.append(MARK);
        for (int i = 0; i < top.size(); i++) {
            FeatureContribution f = top.get(i);
            if (i > 0) {
                sb.append(SEP);
            }
            sb.append(f.feature()).append(SEP).append(f.value()).append(SEP).append(f.contribution());
        }
        return sb.toString();
    }

    public static String floats(float[] values, StringBuilder sb) {
        if (values == null) {
            return null;
        }
        if (values.length == 0) {
            return "[]";
        }
        sb.setLength(0);
        sb.append(MARK);
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                sb.append(SEP);
            }
            sb.append(values[i]);
        }
        return sb.toString();
    }

    public static String[] readStrings(String text) {
        if (text == null) {
            return null;
        }
        if (!isCompact(text)) {
            return readJson(text, String[].class);
        }
        return split(text);
    }

    public static List<FeatureContribution> readTopFeatures(String text) {
        List<FeatureContribution> top = new ArrayList<>();
        if (text == null) {
            return top;
        }
        if (!isCompact(text)) {
            for (JsonNode n : readJson(text, JsonNode.class)) {
                top.add(new FeatureContribution(n.get(0).asText(), n.get(1).asText(), n.get(2).asDouble()));
            }
            return top;
        }
        String[] parts = split(text);
        for (int i = 0; i + 2 < parts.length; i += 3) {
            top.add(new FeatureContribution(parts[i], parts[i + 1], Double.parseDouble(parts[i + 2])));
        }
        return top;
    }

    public static float[] readFloats(String text) {
        if (text == null) {
            return null;
        }
        if (!isCompact(text)) {
            return readJson(text, float[].class);
        }
        String[] parts = split(text);
        float[] out = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = Float.parseFloat(parts[i]);
        }
        return out;
    }

    private static boolean isCompact(String text) {
        return !text.isEmpty() && text.charAt(0) == MARK;
    }

    private static String[] split(String text) {
        int n = 1;
        for (int i = 1; i < text.length(); i++) {
            if (text.charAt(i) == SEP) {
                n++;
            }
        }
        String[] out = new String[n];
        int start = 1;
        int k = 0;
        for (int i = 1; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == SEP) {
                out[k++] = text.substring(start, i);
                start = i + 1;
            }
        }
        return out;
    }

    private static boolean compactable(String[] values) {
        for (String v : values) {
            if (!compactable(v)) {
                return false;
            }
        }
        return true;
    }

    private static boolean compactable(String v) {
        if (v == null) {
            return false;
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == MARK || c == SEP) {
                return false;
            }
        }
        return true;
    }

    private static String json(Object value) {
        try {
            return Json.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T readJson(String text, Class<T> type) {
        try {
            return Json.MAPPER.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
