package io.anomalyze.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.anomalyze.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which models the registry loads from the bundled set and a models directory. */
class DetectorRegistryTest {

    private static Map<String, String> origins(DetectorRegistry registry) {
        Map<String, String> m = new TreeMap<>();
        registry.models().forEach(lm -> m.put(lm.detector().kind(), lm.origin() + ":" + lm.file()));
        return m;
    }

    @Test
    void copiesOfTheBundledModelsAreNotLoadedAgain() throws Exception {
        try (DetectorRegistry registry = DetectorRegistry.load(Path.of("models"))) {
            assertEquals(Map.of("kmeans", "bundled:nsl-kdd-kmeans.json", "mlp", "bundled:cicids2017-mlp.onnx"), origins(registry));
        }
    }

    @Test
    void aDifferentModelInTheDirectoryWinsOverTheBundledOne(@TempDir Path dir) throws Exception {
        // The same K-means model written compactly: other bytes, so a model of its own.
        Files.writeString(dir.resolve("my-kmeans.json"),
                Json.MAPPER.writeValueAsString(Json.MAPPER.readTree(Path.of("models", "nsl-kdd-kmeans.json").toFile())));
        try (DetectorRegistry registry = DetectorRegistry.load(dir)) {
            assertEquals(Map.of("kmeans", dir + ":my-kmeans.json", "mlp", "bundled:cicids2017-mlp.onnx"), origins(registry));
        }
    }

    @Test
    void withoutTheBundledModelsOnlyTheDirectoryIsLoaded(@TempDir Path dir) throws Exception {
        Files.copy(Path.of("models", "cicids2017-mlp.onnx"), dir.resolve("flows.onnx"));
        Files.copy(Path.of("models", "cicids2017-mlp.json"), dir.resolve("flows.json"));
        try (DetectorRegistry registry = DetectorRegistry.load(dir, false)) {
            assertEquals(Map.of("mlp", dir + ":flows.onnx"), origins(registry));
        }
    }
}
