package io.livestage.bench.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one report renderer: a scenario's prose is a Markdown template, {@code reports/<name>.md} on the class path
 * ({@code bench/src/main/resources/reports/}), with placeholders {@code {{key}}} the scenario fills with figures and
 * tables.
 */
public final class Report {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([a-z0-9_.-]+)}}");

    private final String name;
    private final String template;
    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, String> result = new LinkedHashMap<>();

    public Report(String name, String template) {
        this.name = name;
        this.template = template;
    }

    /** The template {@code reports/<name>.md} from the class path. */
    public static Report load(String name) {
        String resource = "/reports/" + name + ".md";
        try (InputStream in = Report.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no report template " + resource);
            }
            return new Report(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + resource, e);
        }
    }

    public String name() {
        return name;
    }

    public Report put(String key, Object value) {
        values.put(key, String.valueOf(value));
        return this;
    }

    public Report put(String key, Table table) {
        values.put(key, table.isEmpty() ? "(none)" : table.markdown());
        return this;
    }

    /** A part that did not run: its keys say why (tables and errors stay empty), RESULT {@code <part>=skipped}. */
    public Report skip(List<String> keys, String why) {
        String part = keys.getFirst().substring(0, keys.getFirst().indexOf('_'));
        Log.info("%s: %s", part, why);
        keys.forEach(key -> put(key, key.endsWith("_table") || key.endsWith("_errors") ? "" : "(" + why + ")"));
        return result(part, "skipped");
    }

    /** Whether {@code key} has a value. */
    public boolean has(String key) {
        return values.containsKey(key);
    }

    /** One {@code key=value} of the RESULT line, in the order given. */
    public Report result(String key, String value) {
        result.put(key, value);
        return this;
    }

    /** The RESULT line alone (also printed on the console). */
    public String resultLine() {
        StringBuilder line = new StringBuilder("RESULT");
        result.forEach((k, v) -> line.append(' ').append(k).append('=').append(v));
        return line.toString();
    }

    public String render() {
        Set<String> unused = new TreeSet<>(values.keySet());
        Set<String> missing = new TreeSet<>();
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String key = m.group(1);
            String value = values.get(key);
            if (value == null) {
                missing.add(key);
                value = "";
            }
            unused.remove(key);
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        if (!missing.isEmpty() || !unused.isEmpty()) {
            throw new IllegalStateException("report " + name + ": placeholders without a value " + missing
                    + ", values without a placeholder " + unused);
        }
        if (result.isEmpty()) {
            throw new IllegalStateException("report " + name + ": no RESULT values");
        }
        return out.toString().stripTrailing() + "\n\n" + resultLine() + "\n";
    }
}
