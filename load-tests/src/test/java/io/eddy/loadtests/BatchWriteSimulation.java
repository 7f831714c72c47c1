package io.eddy.loadtests;

import static io.gatling.javaapi.core.CoreDsl.*;

import io.gatling.javaapi.core.Simulation;
import java.time.Duration;

/** BatchWriteItem of 25 puts with random keys. */
public class BatchWriteSimulation extends Simulation {
    {
        Workload.prepare();
        setUp(scenario("BatchWrite").forever().on(Workload.BATCH_WRITE)
                .injectClosed(constantConcurrentUsers(Workload.USERS).during(Duration.ofSeconds(Workload.SECONDS))))
                .protocols(DynamoEndpoint.protocol())
                .maxDuration(Duration.ofSeconds(Workload.SECONDS));
    }
}
