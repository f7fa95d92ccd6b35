package io.anomalyze.store;

/** The user this process runs as, by number: what file ownership and {@code chown} speak in. */
final class ProcessUser {

    private ProcessUser() {
    }

    /** The numeric user id, or -1 where the platform has none (Windows). */
    static long id() {
        try {
            return new com.sun.security.auth.module.UnixSystem().getUid();
        } catch (LinkageError | RuntimeException e) {
            return -1;
        }
    }

    /** "user id N", or the user's name where there is no number. */
    static String describe() {
        long id = id();
        return id >= 0 ? "user id " + id : "user " + System.getProperty("user.name");
    }
}
