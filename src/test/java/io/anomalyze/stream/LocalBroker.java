package io.anomalyze.stream;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A single local Kafka broker (KRaft, the tests' cluster) in its own JVM, for
 * {@code scripts/stream-bench.sh}: writes its bootstrap address to the file named by the first
 * argument once it takes clients, then serves until the process is stopped.
 */
public final class LocalBroker {

    private LocalBroker() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: LocalBroker BOOTSTRAP_FILE");
            System.exit(2);
        }
        KafkaCluster cluster = new KafkaCluster();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                cluster.close();
            } catch (Exception e) {
                // Stopping anyway.
            }
        }));
        Path ready = Path.of(args[0]);
        Path partial = Path.of(args[0] + ".part");
        Files.writeString(partial, cluster.bootstrapServers() + "\n", StandardCharsets.UTF_8);
        Files.move(partial, ready);
        Thread.currentThread().join();
    }
}
