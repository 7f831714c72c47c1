package io.eddy.gateway;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.gateway.DifferentialExpressions.Expression;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

/**
 * What the differential tests share: an Eddy node and a dynalite peer, the same call sent to both,
 * the divergences and outcome counts collected, and the report a failure prints (with the seed).
 */
final class DifferentialRun implements AutoCloseable {

    static final long SEED = Long.getLong("eddy.differential.seed", 20_261_129L);
    static final int CASES = Integer.getInteger("eddy.differential.cases", 600);
    /** Stop after this many divergences: later ones mostly repeat the first. */
    static final int MAX_DIVERGENCES = 25;

    final TestNode eddy;
    final DynalitePeer peer;
    private final List<String> divergences = new ArrayList<>();
    /** How often each outcome occurred, printed so a reader can see the run exercised refusals as well as successes. */
    private final Map<String, Integer> outcomes = new TreeMap<>();

    private DifferentialRun(TestNode eddy, DynalitePeer peer) {
        this.eddy = eddy;
        this.peer = peer;
    }

    static DifferentialRun start(Path dataDir) throws Exception {
        TestNode eddy = TestNode.start(dataDir);
        try {
            return new DifferentialRun(eddy, DynalitePeer.start());
        } catch (Exception e) {
            eddy.close();
            throw e;
        }
    }

    /** What a server answered: the canonical result, or the error type and message. */
    record Outcome(Object result, String error) {
        static Outcome of(DynamoDbClient client, Function<DynamoDbClient, Object> call) {
            try {
                return new Outcome(call.apply(client), null);
            } catch (DynamoDbException e) {
                return new Outcome(null, e.awsErrorDetails().errorCode() + ": " + e.awsErrorDetails().errorMessage());
            }
        }

        boolean sameAs(Outcome other) {
            if (error != null || other.error != null) {
                return error != null && other.error != null && errorType().equals(other.errorType());
            }
            return Objects.equals(result, other.result);
        }

        String errorType() {
            return error.substring(0, error.indexOf(':'));
        }

        @Override
        public String toString() {
            return error != null ? error : String.valueOf(result);
        }
    }

    void createTable(Consumer<CreateTableRequest.Builder> table) {
        for (DynamoDbClient client : clients()) client.createTable(table);
    }

    List<DynamoDbClient> clients() {
        return List.of(eddy.client, peer.client);
    }

    /** Whether case {@code i} of {@code cases} should run. */
    boolean more(int i, int cases) {
        return i < cases && divergences.size() < MAX_DIVERGENCES;
    }

    /** Sends {@code call} to both; records a divergence unless they answer alike. */
    boolean compare(int i, String description, Function<DynamoDbClient, Object> call) {
        Outcome fromEddy = Outcome.of(eddy.client, call);
        Outcome fromPeer = Outcome.of(peer.client, call);
        outcomes.merge(description.trim().split(" ")[0] + " " + (fromPeer.error() == null ? "ok" : fromPeer.errorType()), 1, Integer::sum);
        if (Boolean.getBoolean("eddy.differential.verbose") && fromEddy.error() != null) System.out.println(fromEddy.error());
        if (fromEddy.sameAs(fromPeer)) return true;
        divergences.add("#" + i + " " + description + "\n    eddy:     " + fromEddy + "\n    dynalite: " + fromPeer);
        return false;
    }

    void assertNoDivergences(String what) {
        System.out.println("differential " + what + ", seed " + SEED + ": " + outcomes);
        assertTrue(divergences.isEmpty(), () -> "seed " + SEED + ": " + divergences.size()
                + " divergences from dynalite (rerun with -Deddy.differential.seed=" + SEED + ")\n"
                + String.join("\n", divergences));
    }

    static String describe(Expression e) {
        if (e == null) return "";
        return " expression=\"" + e.text() + "\" names=" + e.names() + " values=" + e.values();
    }

    @Override
    public void close() throws Exception {
        try {
            peer.close();
        } finally {
            eddy.close();
        }
    }
}
