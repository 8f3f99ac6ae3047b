package minietcd.kit.kvctl;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * etcdctl's {@code --write-out=table} boxes: the header in upper case and centred, the cells
 * aligned right, one space of margin inside each cell, {@code +}, {@code -} and {@code |} for the
 * lines. (Unlike etcdctl, long cells are not wrapped.)
 */
final class Table {
    private Table() {}

    /** The whole table, every line ending with a newline. */
    static String render(List<String> header, List<List<String>> rows) {
        List<String> titles = header.stream().map(h -> h.toUpperCase(Locale.ROOT)).toList();
        int[] widths = new int[titles.size()];
        for (int c = 0; c < widths.length; c++) {
            widths[c] = titles.get(c).length();
            for (List<String> row : rows) widths[c] = Math.max(widths[c], row.get(c).length());
        }
        StringBuilder rule = new StringBuilder("+");
        for (int w : widths) rule.append("-".repeat(w + 2)).append('+');
        StringBuilder out = new StringBuilder().append(rule).append('\n');
        out.append(line(titles, widths, true)).append(rule).append('\n');
        for (List<String> row : rows) out.append(line(row, widths, false));
        if (!rows.isEmpty()) out.append(rule).append('\n');
        return out.toString();
    }

    private static String line(List<String> cells, int[] widths, boolean centred) {
        List<String> padded = new ArrayList<>();
        for (int c = 0; c < widths.length; c++) {
            String s = cells.get(c);
            int gap = widths[c] - s.length();
            int left = centred ? gap / 2 : gap;
            padded.add(" ".repeat(left) + s + " ".repeat(gap - left));
        }
        return "| " + String.join(" | ", padded) + " |\n";
    }
}
