package io.anomalyze.cli;

import io.anomalyze.InvalidInputException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * The command line: {@code serve} (the default), {@code train}, {@code evaluate}, {@code score},
 * {@code flows}, {@code bench} and {@code stream}. Exit codes: 0 success, 2 bad usage, 3 bad input, 1 anything else.
 */
public final class Main {

    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int BAD_USAGE = 2;
    public static final int BAD_INPUT = 3;

    static final String USAGE = """
            Usage: java -jar anomalyze.jar [COMMAND] [OPTIONS]

            Commands:
              serve      start the web service and JSON API (default)
              train      train a detector: train kmeans ... | train mlp ...
              evaluate   metrics of a model on labelled files
              score      a verdict per record of a traffic file or capture
              flows      capture -> CICFlowMeter flow CSV (pcap, pcapng)
              bench      measure throughput of every stage
              stream     score records from a Kafka topic into another, as one worker of a group

            Run a command with --help for its options.
            """;

    private Main() {
    }

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        if (code != OK || !(args.length == 0 || args[0].equals("serve") || args[0].startsWith("--"))) {
            System.exit(code);
        }
    }

    /** Runs one command and returns its exit code; never throws for user errors. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        String command = args.length == 0 || args[0].startsWith("--") && !args[0].equals("--help") ? "serve" : args[0];
        int from = args.length > 0 && args[0].equals(command) ? 1 : 0;
        String[] rest = Arrays.copyOfRange(args, from, args.length);
        try {
            return switch (command) {
                case "--help", "-h", "help" -> {
                    out.print(USAGE);
                    yield OK;
                }
                case "serve" -> ServeCommand.run(rest, out, err);
                case "train" -> TrainCommand.run(rest, out, err);
                case "evaluate" -> EvaluateCommand.run(rest, out, err);
                case "score" -> ScoreCommand.run(rest, out, err);
                case "flows" -> FlowsCommand.run(rest, out, err);
                case "bench" -> BenchCommand.run(rest, out, err);
                case "stream" -> StreamCommand.run(rest, out, err);
                default -> throw new UsageException("unknown command \"" + command + "\"; try --help");
            };
        } catch (UsageException e) {
            err.println("anomalyze: " + e.getMessage());
            return BAD_USAGE;
        } catch (InvalidInputException e) {
            err.println("anomalyze: " + e.getMessage());
            return BAD_INPUT;
        } catch (IOException | UncheckedIOException e) {
            err.println("anomalyze: I/O error: " + e.getMessage());
            return FAILED;
        }
    }
}
