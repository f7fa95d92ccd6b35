package io.anomalyze.detect;

import com.fasterxml.jackson.databind.JsonNode;
import io.anomalyze.InvalidInputException;
import io.anomalyze.JsonDocuments;
import io.anomalyze.detect.flow.FlowModelFiles;
import io.anomalyze.detect.flow.FlowModelSidecar;
import io.anomalyze.detect.kmeans.KMeansDetector;
import io.anomalyze.detect.kmeans.KMeansModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Loads a model file of any supported kind into a ready {@link Detector}. */
public final class ModelLoader {

    private ModelLoader() {
    }

    public static Detector load(Path file) throws IOException {
        String name = file.getFileName().toString();
        if (name.endsWith(".onnx")) {
            return FlowModelFiles.load(file);
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(file + ": no such model file");
        }
        if (name.endsWith(".json")) {
            JsonNode node;
            try {
                node = JsonDocuments.read(bytes);
            } catch (com.fasterxml.jackson.core.JacksonException e) {
                throw new InvalidInputException(file + ": not valid JSON (" + JsonDocuments.describe(e) + ")");
            }
            if (KMeansModel.FORMAT.equals(node.path("format").asText())) {
                return new KMeansDetector(KMeansModel.read(node, name), ModelDomain.Source.of(name, bytes));
            }
            if (FlowModelSidecar.FORMAT.equals(node.path("format").asText())) {
                return FlowModelFiles.load(file);
            }
        }
        throw new InvalidInputException(file + ": not a model Anomalyze knows (expected a K-means .json, or an ONNX flow model .onnx with its .json sidecar)");
    }
}
