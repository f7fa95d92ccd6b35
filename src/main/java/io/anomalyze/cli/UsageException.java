package io.anomalyze.cli;

/** The command line was not understood; the message says what to type instead. */
public class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message, null, false, false);
    }
}
