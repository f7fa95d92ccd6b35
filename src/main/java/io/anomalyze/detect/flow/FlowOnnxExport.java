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
        ONNXRef<?> logits = dense(ctx, "", preprocess(ctx, input, preprocessing), network);
        ONNXNode last = logitsOut ? logits.apply(ONNXOperators.IDENTITY) : logits.apply(ONNXOperators.SOFTMAX, Map.of("axis", 1));
        last.assignTo(output);
        return build(ctx, docString);
    }

    /**
     * An ensemble: the preprocessing once, then each member's layers and softmax, and the mean
     * of the members' probabilities (summed in member order, then scaled by 1 / members).
     *
     * @param preprocessing the transform to embed
     * @param networks      the members, all with the same input and output sizes
     * @return the serialised ONNX model
     */
    public static byte[] export(FlowPreprocessing preprocessing, List<MlpNetwork> networks, String docString) {
        if (networks.size() == 1) {
            return export(preprocessing, networks.get(0), false, docString);
        }
        ONNXContext ctx = new ONNXContext();
        ctx.setName("anomalyze-flow-mlp-ensemble");
        ONNXPlaceholder input = ctx.floatInput(INPUT, networks.get(0).inputs());
        ONNXPlaceholder output = ctx.floatOutput(OUTPUT, networks.get(0).outputs());
        ONNXRef<?> x = preprocess(ctx, input, preprocessing);
        ONNXRef<?> sum = null;
        for (int m = 0; m < networks.size(); m++) {
            ONNXNode p = dense(ctx, "m" + m + "_", x, networks.get(m)).apply(ONNXOperators.SOFTMAX, Map.of("axis", 1));
            sum = sum == null ? p : sum.apply(ONNXOperators.ADD, p);
        }
        ONNXNode mean = sum.apply(ONNXOperators.MUL, ctx.constant("member_weight", 1f / networks.size()));
        mean.assignTo(output);
        return build(ctx, docString);
    }

    private static ONNXRef<?> preprocess(ONNXContext ctx, ONNXRef<?> x, FlowPreprocessing preprocessing) {
        if (preprocessing == null) {
            return x;
        }
        ONNXNode abs = x.apply(FlowOnnxOperators.ABS);
        ONNXNode plusOne = abs.apply(ONNXOperators.ADD, ctx.constant("one", 1f));
        ONNXNode log = plusOne.apply(FlowOnnxOperators.LOG);
        ONNXNode sign = x.apply(FlowOnnxOperators.SIGN);
        ONNXNode signedLog = sign.apply(ONNXOperators.MUL, log);
        ONNXNode centred = signedLog.apply(ONNXOperators.SUB, ctx.array("scaler_mean", preprocessing.mean()));
        return centred.apply(ONNXOperators.DIV, ctx.array("scaler_std", preprocessing.std()));
    }

    /** The dense layers of one network, ReLU between them; returns the logits. */
    private static ONNXRef<?> dense(ONNXContext ctx, String prefix, ONNXRef<?> x, MlpNetwork network) {
        int[] sizes = network.sizes();
        for (int l = 0; l < network.layers(); l++) {
            float[] w = network.weights(l);
            ONNXInitializer weights = ctx.floatTensor(prefix + "W" + l, List.of(sizes[l + 1], sizes[l]), b -> b.put(w));
            ONNXInitializer bias = ctx.array(prefix + "b" + l, network.biases(l));
            ONNXNode dense = ctx.operation(ONNXOperators.GEMM, List.of(x, weights, bias), prefix + "dense" + l, Map.of("transB", 1));
            x = l < network.layers() - 1 ? dense.apply(FlowOnnxOperators.RELU) : dense;
        }
        return x;
    }

    private static byte[] build(ONNXContext ctx, String docString) {
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
