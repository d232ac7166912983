package io.livestage.bench;

import java.util.ArrayList;
import java.util.List;

/** A small table rendered as aligned text (console) or as a Markdown table (report). */
public final class Table {
    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();
    private int textColumns = 1;

    public Table(String... headers) {
        this.headers = List.of(headers);
    }

    /** The first {@code count} columns are text (left-aligned); the rest are numbers (right-aligned). Default 1. */
    public Table textColumns(int count) {
        textColumns = count;
        return this;
    }

    public Table row(Object... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException("Expected " + headers.size() + " cells, got " + cells.length);
        }
        List<String> row = new ArrayList<>();
        for (Object cell : cells) {
            row.add(String.valueOf(cell));
        }
        rows.add(row);
        return this;
    }

    public int size() {
        return rows.size();
    }

    /** Left-aligned text columns, right-aligned numbers, two spaces between columns. */
    public String text() {
        int[] widths = new int[headers.size()];
        for (int c = 0; c < widths.length; c++) {
            widths[c] = headers.get(c).length();
            for (List<String> row : rows) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, headers, widths, textColumns);
        StringBuilder rule = new StringBuilder();
        for (int c = 0; c < widths.length; c++) {
            rule.append(c == 0 ? "" : "  ").append("-".repeat(widths[c]));
        }
        out.append(rule).append('\n');
        rows.forEach(row -> line(out, row, widths, textColumns));
        return out.toString();
    }

    private static void line(StringBuilder out, List<String> cells, int[] widths, int textColumns) {
        for (int c = 0; c < widths.length; c++) {
            String cell = cells.get(c);
            String pad = " ".repeat(widths[c] - cell.length());
            out.append(c == 0 ? "" : "  ").append(c < textColumns ? cell + pad : pad + cell);
        }
        int end = out.length();
        while (end > 0 && out.charAt(end - 1) == ' ') {
            end--;
        }
        out.setLength(end);
        out.append('\n');
    }

    /** GitHub-flavoured Markdown; '|' in cells is escaped. */
    public String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("| ").append(String.join(" | ", headers.stream().map(Table::escape).toList())).append(" |\n");
        out.append('|');
        for (int c = 0; c < headers.size(); c++) {
            out.append(c < textColumns ? "---|" : "---:|");
        }
        out.append('\n');
        for (List<String> row : rows) {
            out.append("| ").append(String.join(" | ", row.stream().map(Table::escape).toList())).append(" |\n");
        }
        return out.toString();
    }

    private static String escape(String cell) {
        return cell.replace("|", "\\|");
    }
}
