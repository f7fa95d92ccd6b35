package io.anomalyze.detect;

import io.anomalyze.InvalidInputException;

/** The input needs a detector whose model is not loaded in this service. */
public final class ModelNotLoadedException extends InvalidInputException {

    public ModelNotLoadedException(String message) {
        super(message);
    }
}
