package io.eddy.loadtests;

import static io.gatling.javaapi.core.CoreDsl.*;

import io.gatling.javaapi.core.Simulation;
import java.time.Duration;

/** GetItem of random existing keys. */
public class GetItemSimulation extends Simulation {
    {
        Workload.prepare();
        setUp(scenario("GetItem").forever().on(Workload.GET)
                .injectClosed(constantConcurrentUsers(Workload.USERS).during(Duration.ofSeconds(Workload.SECONDS))))
                .protocols(DynamoEndpoint.protocol())
                .maxDuration(Duration.ofSeconds(Workload.SECONDS));
    }
}
