package io.anomalyze.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.anomalyze.Json;
import java.io.UncheckedIOException;

/**
 * How values that have no column type of their own (counts per severity and class, metrics,
 * notes, a model's feature and class names) are kept in the analysis table: as JSON text.
 */
final class JsonColumns {

    private JsonColumns() {
    }

    static String json(Object value) {
        try {
            return Json.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The value of a column, or {@code fallback} when it is null. */
    static <T> T read(String text, TypeReference<T> type, T fallback) {
        if (text == null) {
            return fallback;
        }
        try {
            return Json.MAPPER.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Text cut to a column's width. */
    static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
