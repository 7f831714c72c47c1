package io.eddy.persistence;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts a test's writer in a JVM of its own, on the tests' class path, so that it can be killed with SIGKILL. */
final class ChildJvm {

    private ChildJvm() {}

    /** Runs {@code main}'s main method with {@code dir} as its argument; its output and errors in one stream. */
    static Process start(Class<?> main, String maxHeap, Path dir) throws IOException {
        return start(main, maxHeap, dir, List.of());
    }

    /** As above, with more options for the JVM. */
    static Process start(Class<?> main, String maxHeap, Path dir, List<String> jvmOptions) throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + maxHeap));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classpath, main.getName(), dir.toString()));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }
}
