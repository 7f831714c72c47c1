package io.eddy.gateway;

import io.eddy.model.ErrorCode;
import io.eddy.persistence.Histogram;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counters of one operation, made when the handler learns its operations so that answering a
 * request only adds to them: no lookup by label, no lock, no allocation.
 */
final class OperationMetrics {

    private static final ErrorCode[] ERROR_CODES = ErrorCode.values();

    private final LongAdder ok = new LongAdder();
    private final LongAdder clientErrors = new LongAdder();
    private final LongAdder serverErrors = new LongAdder();
    private final LongAdder[] errors = new LongAdder[ERROR_CODES.length];
    private final Histogram latency = new Histogram(Histogram.DURATION_BOUNDS_NANOS);

    OperationMetrics() {
        for (int i = 0; i < errors.length; i++) errors[i] = new LongAdder();
    }

    /** A response with the result, ready {@code System.nanoTime() - startedNanos} after the request came. */
    void succeeded(long startedNanos) {
        latency.record(System.nanoTime() - startedNanos);
        ok.increment();
    }

    /** An error response of this type, ready {@code System.nanoTime() - startedNanos} after the request came. */
    void failed(ErrorCode code, long startedNanos) {
        latency.record(System.nanoTime() - startedNanos);
        (code.httpStatus() < 500 ? clientErrors : serverErrors).increment();
        errors[code.ordinal()].increment();
    }

    long ok() {
        return ok.sum();
    }

    long clientErrors() {
        return clientErrors.sum();
    }

    long serverErrors() {
        return serverErrors.sum();
    }

    long errors(ErrorCode code) {
        return errors[code.ordinal()].sum();
    }

    Histogram.Snapshot latency() {
        return latency.snapshot();
    }

    static ErrorCode[] errorCodes() {
        return ERROR_CODES.clone();
    }
}
