package io.anomalyze;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The one JSON mapper of the product, configured once. */
public final class Json {

    public static final ObjectMapper MAPPER = new ObjectMapper()
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private Json() {
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** Rounds for display in JSON documents: metrics do not need 17 digits. */
    public static double round(double value, int decimals) {
        if (!Double.isFinite(value)) {
            return value;
        }
        double p = Math.pow(10, decimals);
        double scaled = value * p;
        // Past 2^53 a double holds no digits after the point to round away (and Math.round
        // would clamp the value to the long range).
        return Math.abs(scaled) < 0x1p53 ? Math.round(scaled) / p : value;
    }
}
