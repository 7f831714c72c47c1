package io.eddy.persistence;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
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
        return start(main, maxHeap, dir, jvmOptions, List.of());
    }

    /** As above, with {@code firstOnClassPath} ahead of the tests' class path (so that its resources win). */
    static Process start(Class<?> main, String maxHeap, Path dir, List<String> jvmOptions, List<Path> firstOnClassPath)
            throws IOException {
        List<String> entries = new ArrayList<>(firstOnClassPath.stream().map(Path::toString).toList());
        entries.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        String classpath = String.join(java.io.File.pathSeparator, entries);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + maxHeap));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classpath, main.getName(), dir.toString()));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    /** Starts {@code main} as {@link #start} does and returns once it has printed "ready"; fails with its output if it ends first. */
    static Process startReady(Class<?> main, Path dir, List<String> jvmOptions, List<Path> firstOnClassPath) throws IOException {
        Process child = start(main, "64m", dir, jvmOptions, firstOnClassPath);
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        List<String> output = new ArrayList<>();
        String line;
        while ((line = out.readLine()) != null && !line.equals("ready")) output.add(line);
        if (line == null) {
            child.destroyForcibly();
            throw new IllegalStateException(main.getSimpleName() + " did not get ready: " + String.join("\n", output));
        }
        return child;
    }
}
