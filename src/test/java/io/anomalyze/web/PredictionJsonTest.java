package io.anomalyze.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.anomalyze.InvalidInputException;
import io.anomalyze.Json;
import io.anomalyze.analysis.PredictionService;
import io.anomalyze.detect.DetectorRegistry;
import io.anomalyze.read.flow.FlowFeatures;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Predict bodies read into rows and answered as JSON over the bundled models: a flow sent with few of its features says so. */
class PredictionJsonTest {

    private static DetectorRegistry registry;
    private static PredictionService predictions;

    @BeforeAll
    static void load() throws IOException {
        registry = DetectorRegistry.load(null, true);
        predictions = new PredictionService(registry, 10_000);
    }

    @AfterAll
    static void close() {
        registry.close();
    }

    private static JsonNode predict(JsonNode body) throws IOException {
        PredictRequest request = PredictRequest.of(body, predictions.maxRecords());
        return PredictionJson.of(predictions.predict(request.rows(), request.single()), request.single());
    }

    @Test
    void aFlowSentWithThreeOfItsFeaturesIsMarkedLowConfidence() throws IOException {
        JsonNode v = predict(Json.MAPPER.readTree(
                "{\"log\": {\"Dst Port\": 80, \"Flow Duration\": 1000, \"Tot Fwd Pkts\": 2, \"@timestamp\": \"2026-11-29T10:00:00Z\"}}"));
        assertEquals(75, v.path("missing_features").asInt());
        assertEquals(78, v.path("expected_features").asInt());
        assertTrue(v.path("low_confidence").asBoolean());
        assertEquals("75 of the model's 78 features were not sent and were read as 0; this verdict rests on the other 3",
                v.path("note").asText());
        assertEquals("@timestamp", v.path("ignored_fields").get(0).asText());
    }

    @Test
    void aFlowWithEveryFeatureIsNotMarked() throws IOException {
        ObjectNode log = Json.object();
        for (int f = 0; f < FlowFeatures.COUNT; f++) {
            // the copy of Fwd Header Length is left out: it takes the value of the first, as in files
            if (f != FlowFeatures.FWD_HEADER_LENGTH_COPY) {
                log.put(FlowFeatures.name(f), f);
            }
        }
        ObjectNode body = Json.object();
        body.set("log", log);
        JsonNode v = predict(body);
        assertFalse(v.has("missing_features"), v.toString());
        assertFalse(v.has("low_confidence"));
        JsonNode row = predict(Json.MAPPER.readTree("{\"features\": " + Json.MAPPER.writeValueAsString(new double[78]) + "}"));
        assertFalse(row.has("missing_features"), "a full row of 78 values misses nothing");
    }

    @Test
    void moreRecordsThanTheLimitAreRefusedAsALimit() throws IOException {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> PredictRequest.of(Json.MAPPER.readTree("{\"records\": [[1], [2], [3]]}"), 2));
        assertTrue(e.isLimitExceeded());
        assertEquals("\"records\" holds 3 records, over the limit of 2 per request (--max-predict-records / ANOMALYZE_MAX_PREDICT_RECORDS)",
                e.getMessage());
    }
}
