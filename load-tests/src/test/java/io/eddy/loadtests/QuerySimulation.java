package io.eddy.loadtests;

import static io.gatling.javaapi.core.CoreDsl.*;

import io.gatling.javaapi.core.Simulation;
import java.time.Duration;

/** Query of one random partition key's items (Limit 10). */
public class QuerySimulation extends Simulation {
    {
        Workload.prepare();
        setUp(scenario("Query").forever().on(Workload.QUERY)
                .injectClosed(constantConcurrentUsers(Workload.USERS).during(Duration.ofSeconds(Workload.SECONDS))))
                .protocols(DynamoEndpoint.protocol())
                .maxDuration(Duration.ofSeconds(Workload.SECONDS));
    }
}
