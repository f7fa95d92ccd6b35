package io.anomalyze.web;

/** A refusal with the status it is answered with and a message for the user. */
final class HttpError extends RuntimeException {

    private final int status;

    HttpError(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }

    static HttpError notFound(String what) {
        return new HttpError(404, what + " not found");
    }

    static HttpError badRequest(String message) {
        return new HttpError(400, message);
    }
}
