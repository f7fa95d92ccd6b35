package io.anomalyze.detect.flow;

import java.util.Map;
import java.util.Set;
import org.tribuo.util.onnx.ONNXAttribute;
import org.tribuo.util.onnx.ONNXOperator;
import org.tribuo.util.onnx.ONNXOperators;

/**
 * The one-input, attribute-free ONNX operators the flow graph needs that Tribuo's
 * {@link ONNXOperators} does not declare. All are in the default domain at the same opset.
 */
enum FlowOnnxOperators implements ONNXOperator {
    RELU("Relu"), ABS("Abs"), LOG("Log"), SIGN("Sign");

    private final String opName;

    FlowOnnxOperators(String opName) {
        this.opName = opName;
    }

    @Override
    public String getOpName() {
        return opName;
    }

    @Override
    public int getNumInputs() {
        return 1;
    }

    @Override
    public int getNumOptionalInputs() {
        return 0;
    }

    @Override
    public int getNumOutputs() {
        return 1;
    }

    @Override
    public Map<String, ONNXAttribute> getAttributes() {
        return Map.of();
    }

    @Override
    public Set<String> getMandatoryAttributeNames() {
        return Set.of();
    }

    @Override
    public int getOpVersion() {
        return ONNXOperators.getOpsetVersion();
    }

    @Override
    public String getOpDomain() {
        return "";
    }
}
