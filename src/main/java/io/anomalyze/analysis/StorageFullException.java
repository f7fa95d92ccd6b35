package io.anomalyze.analysis;

/**
 * The disk is too full for the database to do this safely: H2 writes before it frees (a delete
 * is written as new pages first), and a write that fails for lack of space closes the database.
 */
public final class StorageFullException extends RuntimeException {

    public StorageFullException(String message) {
        super(message, null, false, false);
    }
}
