package io.anomalyze.detect.flow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.anomalyze.InvalidInputException;
import io.anomalyze.Json;
import io.anomalyze.JsonDocuments;
import io.anomalyze.detect.ModelDomain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A flow model on disk: {@code NAME.onnx} and its sidecar {@code NAME.json} side by side.
 * Either file may be given to {@link #load}; the other is found beside it.
 */
public final class FlowModelFiles {

    private FlowModelFiles() {
    }

    /** The sidecar path of an ONNX file: same name, {@code .json} instead of {@code .onnx}. */
    public static Path sidecarOf(Path onnx) {
        String name = onnx.getFileName().toString();
        String base = name.endsWith(".onnx") ? name.substring(0, name.length() - 5) : name;
        return onnx.resolveSibling(base + ".json");
    }

    /** Loads an ONNX flow model given its {@code .onnx} file or its sidecar. */
    public static FlowDetector load(Path file) throws IOException {
        Path onnx;
        Path sidecarFile;
        JsonNode node;
        if (file.getFileName().toString().endsWith(".json")) {
            sidecarFile = file;
            node = readJson(sidecarFile);
            String model = node.path("model").asText(null);
            if (model == null || model.isBlank()) {
                throw new InvalidInputException(file + ": the sidecar does not name its ONNX file (field \"model\")");
            }
            onnx = file.resolveSibling(model);
        } else {
            onnx = file;
            sidecarFile = sidecarOf(file);
            node = readJson(sidecarFile);
        }
        FlowModelSidecar sidecar = FlowModelSidecar.parse(node, sidecarFile.getFileName().toString());
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(onnx);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(onnx + ": no such ONNX model file");
        }
        return new FlowDetector(bytes, sidecar, ModelDomain.Source.of(onnx.getFileName().toString(), bytes));
    }

    private static JsonNode readJson(Path sidecar) throws IOException {
        try {
            return JsonDocuments.read(Files.readAllBytes(sidecar));
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(sidecar + ": no such file; an ONNX flow model needs its JSON sidecar beside it");
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new InvalidInputException(sidecar + ": not valid JSON (" + JsonDocuments.describe(e) + ")");
        }
    }

    /**
     * Writes the ONNX graph and the sidecar of a trained model, after checking that ONNX
     * Runtime reproduces the trainer's probabilities on the validation rows; the largest
     * difference goes into the sidecar.
     *
     * @return the largest absolute probability difference between ONNX Runtime and the trainer
     */
    public static double write(MlpTrainer.Result result, Path onnxFile) throws IOException {
        byte[] onnx = result.onnx();
        ObjectNode sidecar = result.sidecar().deepCopy();
        FlowModelSidecar parsed = FlowModelSidecar.parse(sidecar, "sidecar");
        double maxDiff;
        try (FlowDetector detector = new FlowDetector(onnx, parsed, ModelDomain.Source.of(onnxFile.getFileName().toString(), onnx))) {
            int rows = result.validationRows();
            float[] viaOnnx = detector.probabilities(result.validationRaw(), rows);
            float[] viaJava = result.probabilities(result.validationRaw(), rows);
            maxDiff = 0;
            for (int i = 0; i < viaOnnx.length; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(viaOnnx[i] - viaJava[i]));
            }
        }
        ObjectNode parity = ((ObjectNode) sidecar.path("training")).putObject("onnxParity");
        parity.put("rows", result.validationRows());
        parity.put("maxAbsProbabilityDifference", maxDiff);
        if (onnxFile.getParent() != null) {
            Files.createDirectories(onnxFile.getParent());
        }
        Path sidecarFile = sidecarOf(onnxFile);
        Path tmpOnnx = onnxFile.resolveSibling(onnxFile.getFileName() + ".part");
        Path tmpJson = sidecarFile.resolveSibling(sidecarFile.getFileName() + ".part");
        Files.write(tmpOnnx, onnx);
        Files.writeString(tmpJson, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(sidecar) + "\n");
        Files.move(tmpOnnx, onnxFile, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmpJson, sidecarFile, StandardCopyOption.REPLACE_EXISTING);
        return maxDiff;
    }
}
