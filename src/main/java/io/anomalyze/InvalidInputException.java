package io.anomalyze;

/**
 * Input that cannot be analysed: a message a person can act on, naming the file and, where
 * there is one, the line and column. Never carries a stack trace to the user.
 */
public class InvalidInputException extends RuntimeException {

    private final boolean limitExceeded;

    public InvalidInputException(String message) {
        this(message, false);
    }

    protected InvalidInputException(String message, boolean limitExceeded) {
        super(message, null, false, false);
        this.limitExceeded = limitExceeded;
    }

    /** A refusal because a configured limit (size, rows, line length) was passed. */
    public static InvalidInputException limit(String message) {
        return new InvalidInputException(message, true);
    }

    /** True when the input broke a configured limit rather than a format rule. */
    public boolean isLimitExceeded() {
        return limitExceeded;
    }
}
