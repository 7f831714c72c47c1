package io.eddy.gateway;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * The two memory budgets of a node's requests: the large bodies being read ({@code
 * eddy.http.request-body-memory}) and every request once parsed ({@code
 * eddy.http.request-parse-memory}), and how long a request may wait for the second ({@code
 * eddy.http.request-parse-wait}) before it is answered InternalServerError.
 */
record RequestMemory(MemoryBudget bodies, MemoryBudget parsed, Duration parseWait) {

    /** @throws IllegalArgumentException when a setting is not positive */
    static RequestMemory of(Config config) {
        Duration wait = config.getDuration("eddy.http.request-parse-wait");
        if (wait.isNegative() || wait.isZero()) {
            throw new IllegalArgumentException("eddy.http.request-parse-wait must be positive, not " + wait);
        }
        return new RequestMemory(MemoryBudget.of(config, "eddy.http.request-body-memory"),
                MemoryBudget.of(config, "eddy.http.request-parse-memory"), wait);
    }
}
