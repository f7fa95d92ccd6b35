package io.anomalyze.store;

import java.io.IOException;

/** The data directory cannot be created or written; the message is one line that says which and why. */
public final class DataDirectoryException extends IOException {

    public DataDirectoryException(String message) {
        super(message);
    }
}
