package io.anomalyze.detect.flow;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.anomalyze.Decimals;
import io.anomalyze.Json;
import io.anomalyze.detect.flow.FlowModelSidecar.Keys;
import io.anomalyze.evaluate.MulticlassEvaluation;
import io.anomalyze.read.flow.FlowFeatures;
import io.anomalyze.read.flow.FlowLabels;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * Writes the sidecar of a model {@code train mlp} made: everything {@link FlowModelSidecar}
 * reads back (features, classes, outputs, benign profile, severity mapping) under the same
 * {@link Keys}, plus the provenance a model card shows: architecture, training files with
 * their SHA-256, parameters, seed, date, per-member epochs and the validation figures.
 */
final class MlpSidecarWriter {

    /** What one trained member reports about its run. */
    record MemberSummary(int epochs, int bestEpoch, double macroF1, double loss) {
    }

    private MlpSidecarWriter() {
    }

    /**
     * The sidecar of a trained model.
     *
     * @param members         per member: epochs run, the chosen epoch and its validation figures
     * @param fitCounts       rows per class in the fitting part
     * @param validation      the model's figures on the validation part
     * @param validationByFile the same per training file
     */
    static ObjectNode write(MlpTrainingParameters parameters, FlowPreprocessing pre, List<MlpNetwork> networks,
                            List<MemberSummary> members, FlowModelSidecar.Profile benign, MlpTrainingData data,
                            int fitRows, int validationRows, long[] fitCounts, float[] classWeight,
                            MulticlassEvaluation validation, ObjectNode validationByFile, double seconds,
                            List<Path> files, String onnxFileName) {
        ObjectNode s = Json.object();
        s.put(Keys.FORMAT, FlowModelSidecar.FORMAT);
        s.put(Keys.KIND, FlowModelSidecar.KIND);
        s.put(Keys.NAME, "CICIDS2017 flow MLP");
        s.put(Keys.MODEL, onnxFileName);
        ObjectNode input = s.putObject(Keys.INPUT);
        input.put(Keys.TENSOR, FlowOnnxExport.INPUT);
        input.put("type", "float[batch, 78], raw feature values");
        input.set(Keys.FEATURES, Json.MAPPER.valueToTree(FlowFeatures.NAMES));
        ObjectNode output = s.putObject(Keys.OUTPUT);
        output.put(Keys.TENSOR, FlowOnnxExport.OUTPUT);
        output.put("type", "float[batch, 15]");
        output.put(Keys.OUTPUT_KIND, "probabilities");
        s.set(Keys.CLASSES, Json.MAPPER.valueToTree(FlowLabels.CLASSES));
        ObjectNode p = s.putObject(Keys.PREPROCESSING);
        p.put("inGraph", true);
        p.put("steps", "t = sign(x) * ln(1 + |x|); z = (t - mean) / std; mean and std fitted on the training part");
        p.put("nonFinite", "Infinity, -Infinity, NaN and empty cells are read as 0 before the graph");
        p.set(Keys.MEAN, FlowModelSidecar.array(pre.mean()));
        p.set(Keys.STD, FlowModelSidecar.array(pre.std()));
        ObjectNode b = s.putObject(Keys.BENIGN_PROFILE);
        b.put("space", "signed log1p of the raw value, over the benign flows of the training part");
        b.set(Keys.MEAN, FlowModelSidecar.array(benign.mean()));
        b.set(Keys.STD, FlowModelSidecar.array(benign.std()));
        FlowSeverityMapping severity = FlowSeverityMapping.defaults();
        ObjectNode sev = s.putObject(Keys.SEVERITY);
        sev.put("rule", "BENIGN is Normal; an attack class gets its base severity when its probability is at least 'sure', "
                + "one level less from 'unsure' up to 'sure', two levels less below 'unsure', never below Low");
        ObjectNode base = sev.putObject(Keys.SEVERITY_BASE);
        for (String c : FlowLabels.CLASSES) {
            base.put(c, severity.base().get(c).label());
        }
        sev.put(Keys.SURE, severity.sure());
        sev.put(Keys.UNSURE, severity.unsure());
        ObjectNode arch = s.putObject(Keys.ARCHITECTURE);
        arch.set("layers", Json.MAPPER.valueToTree(networks.get(0).sizes()));
        arch.put("activation", "ReLU between layers, softmax at the output");
        arch.put("members", networks.size());
        arch.put("combination", networks.size() == 1 ? "single network"
                : "mean of the members' softmax probabilities, inside the graph");
        ObjectNode t = s.putObject(Keys.TRAINING);
        t.setAll(data.files());
        t.put("records", data.n());
        t.put("fitRecords", fitRows);
        t.put("validationRecords", validationRows);
        t.put("validationSplit", "stratified per training file and class, seeded shuffle, "
                + parameters.validationFraction() + " of each");
        t.put("seed", parameters.seed());
        t.put("date", Instant.now().toString());
        t.put("seconds", Decimals.round(seconds, 1));
        ArrayNode ms = t.putArray("members");
        for (MemberSummary m : members) {
            ObjectNode o = ms.addObject();
            o.put("epochs", m.epochs());
            o.put("bestEpoch", m.bestEpoch());
            o.put("validationMacroF1", Decimals.round(m.macroF1(), 6));
            o.put("validationLoss", Decimals.round(m.loss(), 6));
        }
        ObjectNode params = t.putObject("parameters");
        params.set("hidden", Json.MAPPER.valueToTree(parameters.hidden()));
        params.put("maxEpochs", parameters.maxEpochs());
        params.put("batchSize", parameters.batchSize());
        params.put("optimizer", "Adam(beta1=0.9, beta2=0.999, eps=1e-8)");
        params.put("learningRate", parameters.learningRate());
        params.put("learningRateSchedule", "halves after every " + Math.max(1, parameters.patience() / 3)
                + " epochs without a higher validation macro-F1");
        params.put("patience", parameters.patience());
        params.put("loss", "class-weighted cross-entropy");
        params.put("classWeightPower", parameters.classWeightPower());
        params.put("members", parameters.members());
        params.put("modelChoice", "per member, the epoch with the highest validation macro-F1 "
                + "(ties: the lower class-weighted validation cross-entropy)");
        ObjectNode weights = t.putObject("classWeights");
        for (int c = 0; c < classWeight.length; c++) {
            if (fitCounts[c] > 0) {
                weights.put(FlowLabels.CLASSES.get(c), Decimals.round(classWeight[c], 4));
            }
        }
        StringBuilder cmd = new StringBuilder("java -jar target/anomalyze.jar train mlp");
        for (Path f : files) {
            cmd.append(" --train ").append(f.getFileName());
        }
        cmd.append(" --out models/").append(onnxFileName).append(" --seed ").append(parameters.seed())
                .append(" --epochs ").append(parameters.maxEpochs());
        if (parameters.members() != MlpTrainingParameters.MEMBERS) {
            cmd.append(" --members ").append(parameters.members());
        }
        t.put("command", cmd.toString());
        ObjectNode v = validation.toJson();
        v.put("records", validationRows);
        v.set("byFile", validationByFile);
        s.set(Keys.VALIDATION, v);
        return s;
    }
}
