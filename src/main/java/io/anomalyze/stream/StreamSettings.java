package io.anomalyze.stream;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * How a stream worker runs.
 *
 * @param bootstrapServers  Kafka brokers to start from, {@code host:port[,host:port...]}
 * @param inputTopic        where flow and connection records arrive
 * @param outputTopic       where verdicts go, one per readable record
 * @param deadLetterTopic   where unreadable records go, with the reason
 * @param groupId           the consumer group: workers of one group share the input's partitions
 * @param transactionalId   this worker's transactional id; a worker restarted with the same id
 *                          fences its predecessor and aborts what it left open
 * @param models            model files to load; empty for the bundled models
 * @param csvHeader         the header line of flow CSV records, or null
 * @param kafkaProperties   client settings passed through (security, SASL, TLS, tuning)
 * @param batchSize         most records scored (and committed) together
 * @param maxWaitMs         longest the broker holds a fetch to fill a batch
 * @param transactionTimeoutMs how long a transaction of a dead worker blocks its partitions
 * @param connectTimeoutMs  how long to wait for the brokers at start
 * @param maxRecordBytes    largest record read; larger ones are dead letters
 * @param metricsHost       interface of the metrics endpoint
 * @param metricsPort       port of the metrics endpoint; -1 for none
 * @param progressSeconds   seconds between progress lines; 0 for none
 */
public record StreamSettings(String bootstrapServers, String inputTopic, String outputTopic, String deadLetterTopic,
                             String groupId, String transactionalId, List<Path> models, String csvHeader,
                             Map<String, String> kafkaProperties, int batchSize, int maxWaitMs, int transactionTimeoutMs,
                             int connectTimeoutMs, int maxRecordBytes, String metricsHost, int metricsPort,
                             int progressSeconds) {

    public static final String DEFAULT_GROUP_ID = "anomalyze";
    public static final int DEFAULT_BATCH_SIZE = 4096;
    public static final int DEFAULT_MAX_WAIT_MS = 100;
    public static final int DEFAULT_TRANSACTION_TIMEOUT_MS = 10_000;
    public static final int DEFAULT_CONNECT_TIMEOUT_MS = 15_000;
    public static final int DEFAULT_MAX_RECORD_KB = 1024;
    public static final int DEFAULT_PROGRESS_SECONDS = 5;

    /** The dead-letter topic when none is given: the input topic's name and {@code .dead-letters}. */
    public static String defaultDeadLetterTopic(String inputTopic) {
        return inputTopic + ".dead-letters";
    }
}
