package io.eddy.loadtests;

import static io.gatling.javaapi.core.CoreDsl.*;

import io.gatling.javaapi.core.Simulation;
import java.time.Duration;

/** PutItem of 1 KB items with random keys, from {@code users} concurrent clients. */
public class PutItemSimulation extends Simulation {
    {
        Workload.prepare();
        setUp(scenario("PutItem").forever().on(Workload.PUT)
                .injectClosed(constantConcurrentUsers(Workload.USERS).during(Duration.ofSeconds(Workload.SECONDS))))
                .protocols(DynamoEndpoint.protocol())
                .maxDuration(Duration.ofSeconds(Workload.SECONDS));
    }
}
