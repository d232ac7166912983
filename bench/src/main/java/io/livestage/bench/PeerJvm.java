package io.livestage.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A peer server of a benchmark in its own JVM (a child process on the harness's JDK and classpath), so that its CPU is
 * measured apart from the load client's and it gets its own heap and JIT, as a service does.
 */
final class PeerJvm implements AutoCloseable {
    private static final long READY_SECONDS = 30;

    final Process process;
    final int port;

    private PeerJvm(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts {@code mainClass} with {@code <free port> args...} and waits until it prints {@code ready <port>}. */
    static PeerJvm start(Class<?> mainClass, List<String> args, Path log) throws IOException, InterruptedException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Files.createDirectories(log.getParent());
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx512m", "-Djava.net.preferIPv4Stack=true"));
        if (Runtime.version().feature() >= 24) {
            command.add("--sun-misc-unsafe-memory-access=allow");
            command.add("--enable-native-access=ALL-UNNAMED");
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass.getName(),
                Integer.toString(port)));
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroy, mainClass.getSimpleName() + "-stop"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(READY_SECONDS);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(mainClass.getSimpleName() + " exited: " + Files.readString(log));
            }
            if (Files.readString(log).contains("ready " + port)) {
                return new PeerJvm(process, port);
            }
            Thread.sleep(100);
        }
        process.destroyForcibly();
        throw new IllegalStateException(mainClass.getSimpleName() + " not ready within " + READY_SECONDS + " s: "
                + Files.readString(log));
    }

    ProcessHandle handle() {
        return process.toHandle();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
