package io.livestage.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

import io.livestage.infra.process.ChildProcess;

/** Log files under {@code .devstack/logs}: one per component, the previous run's kept as {@code <name>.log.1}. */
public final class Logs {

    private Logs() {
    }

    /** Moves {@code file} to {@code file.1} (replacing it) and returns {@code file}, ready for a fresh run. */
    public static Path fresh(Path file) {
        try {
            Files.createDirectories(file.getParent());
            if (Files.exists(file)) {
                Files.move(file, file.resolveSibling(file.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare log file " + file, e);
        }
    }

    /** The last {@code lines} lines of a (possibly large) file; empty if it does not exist. */
    public static List<String> tail(Path file, int lines) {
        return ChildProcess.tail(file, lines);
    }

    /** Tail formatted for the console, indented. */
    public static String tailBlock(Path file, int lines) {
        List<String> tail = tail(file, lines);
        if (tail.isEmpty()) {
            return "      (" + file + " is empty)";
        }
        StringBuilder sb = new StringBuilder("      --- last lines of " + file + " ---\n");
        for (String l : tail) {
            sb.append("      | ").append(l).append('\n');
        }
        return sb.append("      ---").toString();
    }
}
