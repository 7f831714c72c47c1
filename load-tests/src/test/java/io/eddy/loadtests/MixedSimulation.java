package io.eddy.loadtests;

import static io.gatling.javaapi.core.CoreDsl.*;

import io.gatling.javaapi.core.Simulation;
import java.time.Duration;

/** 50% GetItem, 40% PutItem, 10% Query. */
public class MixedSimulation extends Simulation {
    {
        Workload.prepare();
        setUp(scenario("Mixed").forever().on(randomSwitch().on(percent(50.0).then(Workload.GET), percent(40.0).then(Workload.PUT), percent(10.0).then(Workload.QUERY)))
                .injectClosed(constantConcurrentUsers(Workload.USERS).during(Duration.ofSeconds(Workload.SECONDS))))
                .protocols(DynamoEndpoint.protocol())
                .maxDuration(Duration.ofSeconds(Workload.SECONDS));
    }
}
