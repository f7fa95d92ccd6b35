package io.anomalyze.cli;

import io.anomalyze.detect.flow.FlowModelFiles;
import io.anomalyze.detect.flow.MlpTrainer;
import io.anomalyze.detect.flow.MlpTrainingParameters;
import io.anomalyze.detect.kmeans.KMeansModel;
import io.anomalyze.detect.kmeans.KMeansTrainer;
import io.anomalyze.detect.kmeans.KMeansTrainingParameters;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** {@code train kmeans|mlp}: fits a detector on training files and writes its model files. */
final class TrainCommand {

    static final String USAGE = """
            Usage:
              train kmeans --train FILE --out FILE.json [--seed N]
                  K-means ensemble on the normal rows of a labelled NSL-KDD file.
              train mlp --train FILE... --out FILE.onnx [--seed N] [--epochs N] [--members N]
                  MLP flow classifier on labelled CICIDS2017 flow files (any header
                  dialect; more files may follow as plain arguments). Writes FILE.onnx
                  and its sidecar FILE.json. --members N trains N networks from
                  different seeds and averages their probabilities inside the graph.
                  Defaults: --seed 1 --epochs 60 --members 1.
            """;

    private TrainCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws IOException {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            out.print(USAGE);
            return args.length == 0 ? Main.BAD_USAGE : Main.OK;
        }
        String detector = args[0];
        Arguments a = new Arguments(args, 1, Set.of("train", "out", "seed", "epochs", "members"), Set.of());
        if (a.help()) {
            out.print(USAGE);
            return Main.OK;
        }
        return switch (detector) {
            case "kmeans" -> trainKMeans(a, err);
            case "mlp" -> trainMlp(a, err);
            default -> throw new UsageException("unknown detector \"" + detector + "\" (expected kmeans or mlp)");
        };
    }

    private static int trainMlp(Arguments a, PrintStream err) throws IOException {
        List<Path> train = new ArrayList<>();
        a.values("train").forEach(f -> train.add(Path.of(f)));
        a.positional().forEach(f -> train.add(Path.of(f)));
        if (train.isEmpty()) {
            throw new UsageException("train mlp needs at least one --train FILE");
        }
        Path outFile = Path.of(a.required("out"));
        if (!outFile.getFileName().toString().endsWith(".onnx")) {
            throw new UsageException("--out must name an .onnx file (the sidecar .json is written beside it)");
        }
        long seed = a.longValue("seed", 1);
        long epochs = a.longValue("epochs", 60);
        if (epochs < 1 || epochs > 10_000) {
            throw new UsageException("--epochs must be between 1 and 10000");
        }
        long members = a.longValue("members", MlpTrainingParameters.MEMBERS);
        if (members < 1 || members > 16) {
            throw new UsageException("--members must be between 1 and 16");
        }
        MlpTrainer trainer = new MlpTrainer(MlpTrainingParameters.defaults(seed, (int) epochs, (int) members), err::println);
        MlpTrainer.Result result = trainer.train(train, outFile.getFileName().toString());
        double parity = FlowModelFiles.write(result, outFile);
        err.printf("ONNX Runtime matches the trainer on %d validation flows: largest probability difference %.2e%n",
                result.validationRows(), parity);
        err.println("wrote " + outFile + " and " + FlowModelFiles.sidecarOf(outFile));
        return Main.OK;
    }

    private static int trainKMeans(Arguments a, PrintStream err) throws IOException {
        Path train = Path.of(a.required("train"));
        Path outFile = Path.of(a.required("out"));
        if (!a.positional().isEmpty()) {
            throw new UsageException("train kmeans takes one --train file");
        }
        long seed = a.longValue("seed", 1);
        KMeansTrainer trainer = new KMeansTrainer(KMeansTrainingParameters.defaults(seed), err::println);
        KMeansModel model = trainer.train(train);
        if (outFile.getParent() != null) {
            Files.createDirectories(outFile.getParent());
        }
        try (OutputStream o = Files.newOutputStream(outFile)) {
            model.write(o);
        }
        err.println("wrote " + outFile);
        return Main.OK;
    }
}
