package io.eddy.loadtests;

import static io.gatling.javaapi.core.CoreDsl.*;

import io.gatling.javaapi.core.Simulation;
import java.time.Duration;

/** Every client writes to the same partition key. */
public class HotPartitionSimulation extends Simulation {
    {
        Workload.prepare();
        setUp(scenario("HotPartition").forever().on(Workload.HOT_PUT)
                .injectClosed(constantConcurrentUsers(Workload.USERS).during(Duration.ofSeconds(Workload.SECONDS))))
                .protocols(DynamoEndpoint.protocol())
                .maxDuration(Duration.ofSeconds(Workload.SECONDS));
    }
}
