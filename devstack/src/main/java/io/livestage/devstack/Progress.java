package io.livestage.devstack;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Console progress: one line per step, a dot per second while a step waits (with the elapsed seconds every 10 s),
 * so a slow start never looks like a hang. Plain text: works in a terminal and in a log file.
 */
public final class Progress {

    private final PrintStream out;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "devstack-progress");
        t.setDaemon(true);
        return t;
    });
    private Task current;

    public Progress(PrintStream out) {
        this.out = out;
        ticker.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    /** Prints the label (no newline) and starts the dots until {@link Task#done}/{@link Task#fail}. */
    public synchronized Task start(String label) {
        finishOpenLine();
        out.print(label + " ");
        out.flush();
        current = new Task(label.trim(), System.nanoTime());
        return current;
    }

    /** A full line; ends an open task line first. */
    public synchronized void line(String text) {
        finishOpenLine();
        out.println(text);
        out.flush();
    }

    /** Marks the task still waiting on the current line as failed (before an error message is printed). */
    public synchronized void failOpenTask() {
        if (current != null && current.open) {
            current.fail(null);
        }
    }

    private void finishOpenLine() {
        if (current != null && current.open) {
            out.println();
            current.open = false;
        }
    }

    private synchronized void tick() {
        if (current != null && current.open) {
            long s = Math.round(current.seconds());
            out.print(s > 0 && s % 10 == 0 ? s + "s" : ".");
            out.flush();
        }
    }

    public static String seconds(double s) {
        return String.format(Locale.ROOT, "%.1f s", s);
    }

    public final class Task {
        private final String label;
        private final long startNanos;
        private boolean open = true;

        private Task(String label, long startNanos) {
            this.label = label;
            this.startNanos = startNanos;
        }

        public double seconds() {
            return (System.nanoTime() - startNanos) / 1e9;
        }

        /** Ends the line: {@code " ready in 2.3 s" + detail}. */
        public void done(String detail) {
            end(" ready in " + Progress.seconds(seconds()) + (detail == null || detail.isEmpty() ? "" : " " + detail));
        }

        public void fail(String reason) {
            end(" FAILED after " + Progress.seconds(seconds()) + (reason == null ? "" : ": " + reason));
        }

        /** Ends the line with {@code text}. */
        public void finish(String text) {
            end(" " + text);
        }

        private void end(String text) {
            synchronized (Progress.this) {
                if (current == this && open) {
                    out.println(text);
                } else {
                    // another line came in between: finish that one and print this result on its own line
                    finishOpenLine();
                    out.println("      " + label + ": " + text.trim());
                }
                open = false;
                out.flush();
            }
        }
    }
}
