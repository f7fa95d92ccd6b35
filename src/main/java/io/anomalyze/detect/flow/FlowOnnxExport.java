package io.anomalyze.detect.flow;

import ai.onnx.proto.OnnxMl;
import java.util.List;
import java.util.Map;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXInitializer;
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXPlaceholder;
import org.tribuo.util.onnx.ONNXRef;

/**
 * Writes a trained flow MLP as an ONNX graph: input {@code input}, float [batch, features],
 * raw values; inside the graph signed log1p, standardisation, the dense ReLU layers and a
 * softmax; output {@code probabilities}, float [batch, classes]. IR version 8, opset 13.
 */
public final class FlowOnnxExport {

    public static final String INPUT = "input";
    public static final String OUTPUT = "probabilities";

    private FlowOnnxExport() {
    }

    /**
     * @param preprocessing the transform to embed, or null for a graph that takes scaled input
     * @param network       the trained network
     * @param logitsOut     true to end at the logits instead of the softmax
     * @return the serialised ONNX model
     */
    public static byte[] export(FlowPreprocessing preprocessing, MlpNetwork network, boolean logitsOut, String docString) {
        ONNXContext ctx = new ONNXContext();
        ctx.setName("anomalyze-flow-mlp");
        ONNXPlaceholder input = ctx.floatInput(INPUT, network.inputs());
        ONNXPlaceholder output = ctx.floatOutput(OUTPUT, network.outputs());
        ONNXRef<?> x = input;
        if (preprocessing != null) {
            ONNXNode abs = x.apply(FlowOnnxOperators.ABS);
            ONNXNode plusOne = abs.apply(ONNXOperators.ADD, ctx.constant("one", 1f));
            ONNXNode log = plusOne.apply(FlowOnnxOperators.LOG);
            ONNXNode sign = x.apply(FlowOnnxOperators.SIGN);
            ONNXNode signedLog = sign.apply(ONNXOperators.MUL, log);
            ONNXNode centred = signedLog.apply(ONNXOperators.SUB, ctx.array("scaler_mean", preprocessing.mean()));
            x = centred.apply(ONNXOperators.DIV, ctx.array("scaler_std", preprocessing.std()));
        }
        for (int l = 0; l < network.layers(); l++) {
            int[] sizes = network.sizes();
            float[] w = network.weights(l);
            ONNXInitializer weights = ctx.floatTensor("W" + l, List.of(sizes[l + 1], sizes[l]), b -> b.put(w));
            ONNXInitializer bias = ctx.array("b" + l, network.biases(l));
            ONNXNode dense = ctx.operation(ONNXOperators.GEMM, List.of(x, weights, bias), "dense" + l, Map.of("transB", 1));
            x = l < network.layers() - 1 ? dense.apply(FlowOnnxOperators.RELU) : dense;
        }
        ONNXNode last = logitsOut ? x.apply(ONNXOperators.IDENTITY) : x.apply(ONNXOperators.SOFTMAX, Map.of("axis", 1));
        last.assignTo(output);
        OnnxMl.ModelProto model = OnnxMl.ModelProto.newBuilder()
                .setIrVersion(8)
                .addOpsetImport(ONNXOperators.getOpsetProto())
                .setProducerName("anomalyze")
                .setDomain("io.anomalyze")
                .setModelVersion(1)
                .setDocString(docString == null ? "" : docString)
                .setGraph(ctx.buildGraph())
                .build();
        return model.toByteArray();
    }
}
