package io.livestage.bench.scale;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.HdrHistogram.Histogram;

import io.livestage.bench.OpStats;
import io.livestage.bench.Report;
import io.livestage.bench.Table;

/**
 * What {@code ./bench/run scale} found, as text and as docs/benchmarks/scale.md; the last line is
 * {@code RESULT sessions=… guests=… viewers=… errors=… token_p99_ms=… chat_p99_ms=… idle_rss_mb=… warm_start_s=…}.
 */
public record ScaleReport(ScaleSettings settings, Report.Machine machine, List<String> method, List<String> environment,
        double coldSeconds, double warmSeconds, List<Rss> rss, Population population, List<OpStats> latencies) {

    /** Goals of the issue: idle RSS per service instance and a warm stack start. */
    static final double GOAL_RSS_MB = 200;
    static final double GOAL_WARM_S = 30;

    /** One service instance's resident memory after the idle wait: VmRSS, of which anonymous and file-backed. */
    public record Rss(String instance, long pid, double mb, double anonMb, double fileMb) {
    }

    /** How much of the population made it (live sessions, joined guests and viewers, ready sockets), chat, the ramp. */
    public record Population(long sessions, long guests, long viewers, long sockets, long messages, long presence,
            double behindMs, long rampSeconds) {
    }

    /** {@code latencies}: token issue first, chat (every socket) second, then the others. */
    public ScaleReport {
        rss = List.copyOf(rss);
        latencies = List.copyOf(latencies);
        method = List.copyOf(method);
        environment = List.copyOf(environment);
    }

    public long errors() {
        return latencies.stream().mapToLong(OpStats::errors).sum();
    }

    public double maxRssMb() {
        return rss.stream().mapToDouble(Rss::mb).max().orElse(0);
    }

    public String resultLine() {
        return String.format(Locale.ROOT, "RESULT sessions=%d guests=%d viewers=%d errors=%d token_p99_ms=%s "
                + "chat_p99_ms=%s idle_rss_mb=%s warm_start_s=%s", population.sessions(), population.guests(),
                population.viewers(), errors(), ms(latencies.get(0).histogram(), 99), ms(latencies.get(1).histogram(), 99),
                one(maxRssMb()), one(warmSeconds));
    }

    Table latencyTable() {
        Table table = new Table("path", "count", "p50 ms", "p99 ms", "max ms", "errors");
        for (OpStats op : latencies) {
            Histogram h = op.histogram();
            table.row(op.name(), h.getTotalCount(), ms(h, 50), ms(h, 99), ms(h, 100), op.errors());
        }
        return table;
    }

    Table errorTable() {
        Table table = new Table("where", "kind", "count").textColumns(2);
        for (OpStats op : latencies) {
            for (Map.Entry<String, Long> e : op.errorsByCause().entrySet()) {
                table.row(op.name(), e.getKey(), e.getValue());
            }
        }
        return table;
    }

    Table rssTable() {
        Table table = new Table("instance", "pid", "VmRSS MB", "anonymous MB", "file MB", "≤ " + one(GOAL_RSS_MB) + " MB");
        rss.forEach(r -> table.row(r.instance(), r.pid(), one(r.mb()), one(r.anonMb()), one(r.fileMb()),
                r.mb() <= GOAL_RSS_MB ? "yes" : "no"));
        return table;
    }

    Table startTable() {
        return new Table("start", "seconds", "goal").textColumns(1)
                .row("cold (fresh state: databases, topics, CDS archives written at its stop)",
                        Double.isNaN(coldSeconds) ? "not run" : one(coldSeconds), "–")
                .row(Double.isNaN(coldSeconds) ? "the only start (--restart=false: fresh state, no CDS archives)"
                        : "warm (same state, CDS archives mapped)", one(warmSeconds), "≤ " + one(GOAL_WARM_S) + " s: "
                        + (warmSeconds <= GOAL_WARM_S ? "met" : "not met"));
    }

    Table populationTable() {
        return new Table("what", "asked", "done").textColumns(1)
                .row("sessions live (created, started, host's token)", settings.sessions(), population.sessions())
                .row("guests joined (token, at the stub)", (long) settings.sessions() * settings.guests(), population.guests())
                .row("viewers joined (token, at the stub)", settings.viewers(), population.viewers())
                .row("chat sockets ready (welcome)", settings.participants(), population.sockets())
                .row("chat messages sent", "–", population.messages())
                .row("presence frames received", "–", population.presence())
                .row("ramp, s", settings.ramp().toSeconds(), population.rampSeconds())
                .row("largest delay behind the open-loop schedule, ms (a late session delays its participants)", "–",
                        one(population.behindMs()));
    }

    public String console() {
        return "\nscale\n" + startTable().text() + "\n" + rssTable().text() + "\n" + populationTable().text() + "\n"
                + latencyTable().text() + (errors() == 0 ? "" : "\n" + errorTable().text()) + "\n" + resultLine() + "\n";
    }

    public String markdown() {
        StringBuilder md = new StringBuilder("# Benchmark: scale\n\nWritten by `./bench/run scale`: the whole stack, ")
                .append(settings.replicas()).append(" instance(s) of every service, ").append(settings.sessions())
                .append(" concurrent sessions × ").append(settings.guests()).append(" guests + ").append(settings.viewers())
                .append(" viewers, held ").append(settings.duration().toSeconds()).append(" s, requests ")
                .append(settings.gateway() ? "through the gateway" : "straight to the instances").append(".\n\n## Machine\n\n");
        md.append("- cores: ").append(machine.cores()).append(machine.cpu().isBlank() ? "" : " (" + machine.cpu() + ")")
                .append("\n- JDK: ").append(machine.jdk()).append("\n- OS: ").append(machine.os())
                .append("\n- commit: ").append(machine.commit()).append("\n- date: ").append(machine.date()).append('\n');
        environment.forEach(line -> md.append("- ").append(line).append('\n'));
        md.append("\n## Method\n\n");
        method.forEach(line -> md.append("- ").append(line).append('\n'));
        md.append("\n## Start\n\n").append(startTable().markdown());
        md.append("\n## Idle memory\n\nVmRSS from /proc/<pid>/status after the warm start and ")
                .append(settings.idle().toSeconds()).append(" s idle. Goal: ≤ ").append(one(GOAL_RSS_MB))
                .append(" MB per service instance; largest ").append(one(maxRssMb())).append(" MB.\n\n")
                .append(rssTable().markdown());
        md.append("\n## Load\n\n").append(populationTable().markdown());
        md.append("\n## Latency\n\nSuccessful operations only; failures are in the errors column and below.\n\n")
                .append(latencyTable().markdown());
        md.append("\n## Errors\n\n").append(errors() == 0 ? "None.\n" : errorTable().markdown());
        return md.append('\n').append(resultLine()).append('\n').toString();
    }

    /** Milliseconds at a percentile of a microsecond histogram, two decimals; 0 when empty. */
    static String ms(Histogram h, double percentile) {
        double micros = h.getTotalCount() == 0 ? 0 : percentile >= 100 ? h.getMaxValue() : h.getValueAtPercentile(percentile);
        return String.format(Locale.ROOT, "%.2f", micros / 1000.0);
    }

    static String one(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }
}
