package io.eddy.persistence;

import java.io.IOException;
import java.nio.file.Path;

/** Starts a test's writer in a JVM of its own, on the tests' class path, so that it can be killed with SIGKILL. */
final class ChildJvm {

    private ChildJvm() {}

    /** Runs {@code main}'s main method with {@code dir} as its argument; its output and errors in one stream. */
    static Process start(Class<?> main, String maxHeap, Path dir) throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + maxHeap, "-cp", classpath, main.getName(), dir.toString())
                .redirectErrorStream(true)
                .start();
    }
}
