package io.eddy.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.junit.jupiter.api.Test;

class StartGateTest {

    @Test
    void requestsWaitUntilTheGateOpensThenAllGoThrough() throws Exception {
        StartGate gate = new StartGate();
        HttpRequest early = HttpRequest.GET("/early");
        CompletableFuture<HttpResponse> earlyAnswer = gate.apply(early).toCompletableFuture();
        assertFalse(earlyAnswer.isDone(), "nothing is answered before the node serves");

        List<HttpRequest> handled = new ArrayList<>();
        HttpResponse ok = HttpResponse.create();
        gate.open(request -> {
            handled.add(request);
            return CompletableFuture.completedFuture(ok);
        });
        assertSame(ok, earlyAnswer.get());

        HttpRequest late = HttpRequest.GET("/late");
        CompletionStage<HttpResponse> lateAnswer = gate.apply(late);
        assertSame(ok, lateAnswer.toCompletableFuture().get());
        assertEquals(List.of(early, late), handled, "each request reaches the handler once, in order");
    }
}
