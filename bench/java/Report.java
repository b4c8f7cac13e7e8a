import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns the raw per-round results of bench/run into the results table (stdout), the Markdown report
 * and the chart of the headline ratios.
 *
 * <p>Usage: {@code Report RESULTS.tsv HEADER.md NOTES.md OUT.md CHART.png}. HEADER.md (machine,
 * knobs, method) and NOTES.md are copied around the table; OUT.md "-" writes no report.
 *
 * <p>RESULTS.tsv has a header line and these tab-separated columns: workload id, workload label,
 * tool, kind ({@code fs}, {@code peer}, or {@code ref}: a reference shown but not competed
 * against), round, value (empty when there is none), unit, better ({@code higher} or {@code
 * lower}), headline (1 when the workload's ratio goes in the chart), note (why there is no value).
 *
 * <p>The ratio column says how many times better fileshare is than the row: its median ÷ the row's
 * median where higher is better, the row's ÷ fileshare's where lower is better. Above 1, fileshare
 * wins.
 */
public final class Report {
  record Sample(
      String workload,
      String label,
      String tool,
      String kind,
      Double value,
      String unit,
      boolean higherIsBetter,
      boolean headline,
      String note) {}

  /** One table row: a tool in a workload, over all rounds. */
  static final class Row {
    final Sample first;
    final List<Double> values = new ArrayList<>();
    String note = "";

    Row(Sample first) {
      this.first = first;
    }

    boolean hasValues() {
      return !values.isEmpty();
    }

    double median() {
      List<Double> v = new ArrayList<>(values);
      v.sort(null);
      int n = v.size();
      return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    }

    double min() {
      return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    double max() {
      return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }
  }

  /** A workload: its rows in order of first appearance. */
  static final class Workload {
    final String id;
    final String label;
    final Map<String, Row> rows = new LinkedHashMap<>();

    Workload(String id, String label) {
      this.id = id;
      this.label = label;
    }

    Row fileshare() {
      return rows.values().stream()
          .filter(r -> r.first.kind().equals("fs") && r.hasValues())
          .findFirst()
          .orElse(null);
    }

    /** fileshare's advantage over {@code row} (>1: fileshare better), or NaN. */
    double ratio(Row row) {
      Row fs = fileshare();
      if (fs == null || !row.hasValues() || row.first.kind().equals("fs")) {
        return Double.NaN;
      }
      return row.first.higherIsBetter()
          ? fs.median() / row.median()
          : row.median() / fs.median();
    }

    /** The competing peer with the best median, or null. */
    Row bestPeer() {
      Row best = null;
      for (Row r : rows.values()) {
        if (!r.first.kind().equals("peer") || !r.hasValues()) {
          continue;
        }
        if (best == null
            || (r.first.higherIsBetter() ? r.median() > best.median() : r.median() < best.median())) {
          best = r;
        }
      }
      return best;
    }

    boolean headline() {
      return rows.values().stream().anyMatch(r -> r.first.headline());
    }
  }

  public static void main(String[] args) throws IOException {
    Map<String, Workload> workloads = read(Path.of(args[0]));
    String header = Files.readString(Path.of(args[1]), StandardCharsets.UTF_8);
    String notes = Files.readString(Path.of(args[2]), StandardCharsets.UTF_8);
    Path out = args[3].equals("-") ? null : Path.of(args[3]);
    Path png = Path.of(args[4]);

    System.out.print(plainTable(workloads));
    List<Chart.Bar> bars = headlineBars(workloads);
    Chart.render(bars, png);
    if (out != null) {
      StringBuilder md = new StringBuilder(header);
      md.append("\n## Results\n\n").append(markdownTable(workloads));
      md.append("\n").append(headlineText(bars));
      md.append("\n![fileshare ÷ best peer](")
          .append(relative(out, png))
          .append(")\n\n");
      md.append(notes);
      Files.writeString(out, md.toString(), StandardCharsets.UTF_8);
    }
  }

  static String relative(Path from, Path to) {
    Path dir = from.toAbsolutePath().getParent();
    return dir.relativize(to.toAbsolutePath()).toString();
  }

  static Map<String, Workload> read(Path tsv) throws IOException {
    Map<String, Workload> workloads = new LinkedHashMap<>();
    List<String> lines = Files.readAllLines(tsv, StandardCharsets.UTF_8);
    for (String line : lines.subList(1, lines.size())) {
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split("\t", -1);
      if (f.length < 10) {
        throw new IllegalArgumentException("bad results line: " + line);
      }
      Sample s =
          new Sample(
              f[0],
              f[1],
              f[2],
              f[3],
              f[5].isEmpty() ? null : Double.valueOf(f[5]),
              f[6],
              f[7].equals("higher"),
              f[8].equals("1"),
              f[9]);
      Workload w = workloads.computeIfAbsent(s.workload(), id -> new Workload(id, s.label()));
      Row row = w.rows.computeIfAbsent(s.tool(), t -> new Row(s));
      if (s.value() != null) {
        row.values.add(s.value());
      } else if (!s.note().isEmpty()) {
        row.note = s.note();
      }
    }
    return workloads;
  }

  static List<String[]> cells(Map<String, Workload> workloads) {
    List<String[]> table = new ArrayList<>();
    for (Workload w : workloads.values()) {
      boolean firstRow = true;
      List<Row> ordered = new ArrayList<>(w.rows.values());
      // fileshare's rows first, then the others in the order they first ran (stable sort).
      ordered.sort((a, b) -> Boolean.compare(!a.first.kind().equals("fs"), !b.first.kind().equals("fs")));
      for (Row r : ordered) {
        String median = r.hasValues() ? number(r.median()) : r.note.isEmpty() ? "no data" : r.note;
        String range = r.hasValues() ? number(r.min()) + " – " + number(r.max()) : "";
        double ratio = w.ratio(r);
        String ratioText =
            r.first.kind().equals("fs") ? "" : Double.isNaN(ratio) ? "" : ratio(ratio);
        String tool = r.first.kind().equals("ref") ? r.first.tool() + " (reference)" : r.first.tool();
        table.add(
            new String[] {
              firstRow ? w.label : "",
              tool,
              median,
              range,
              r.hasValues() ? r.first.unit() : "",
              ratioText,
              r.hasValues() ? String.valueOf(r.values.size()) : ""
            });
        firstRow = false;
      }
    }
    return table;
  }

  static final String[] HEADINGS = {
    "Workload", "Tool", "Median", "Min – max", "Unit", "fileshare ×", "n"
  };

  static String markdownTable(Map<String, Workload> workloads) {
    StringBuilder sb = new StringBuilder();
    sb.append("| ").append(String.join(" | ", HEADINGS)).append(" |\n");
    sb.append("|---|---|---:|---:|---|---:|---:|\n");
    for (String[] row : cells(workloads)) {
      String[] bold = row.clone();
      if (bold[1].equals("fileshare") || bold[1].startsWith("fileshare ")) {
        bold[1] = "**" + bold[1] + "**";
        bold[2] = bold[2].isEmpty() ? "" : "**" + bold[2] + "**";
      }
      sb.append("| ").append(String.join(" | ", bold)).append(" |\n");
    }
    return sb.toString();
  }

  static String plainTable(Map<String, Workload> workloads) {
    List<String[]> rows = new ArrayList<>();
    rows.add(HEADINGS);
    rows.addAll(cells(workloads));
    int[] width = new int[HEADINGS.length];
    for (String[] r : rows) {
      for (int i = 0; i < r.length; i++) {
        if (!(i == 2 && r[3].isEmpty())) { // a note (no value) may run past its column
          width[i] = Math.max(width[i], r[i].length());
        }
      }
    }
    boolean[] right = {false, false, true, true, false, true, true};
    StringBuilder sb = new StringBuilder();
    for (String[] r : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < r.length; i++) {
        String pad = " ".repeat(Math.max(0, width[i] - r[i].length()));
        if (i == 2 && r[3].isEmpty() && r != HEADINGS) {
          line.append(r[i]); // the note, left-aligned, ends the line
          break;
        }
        line.append(right[i] ? pad + r[i] : r[i] + pad).append(i + 1 < r.length ? "  " : "");
      }
      sb.append(line.toString().stripTrailing()).append('\n');
    }
    return sb.toString();
  }

  static List<Chart.Bar> headlineBars(Map<String, Workload> workloads) {
    List<Chart.Bar> bars = new ArrayList<>();
    for (Workload w : workloads.values()) {
      if (!w.headline()) {
        continue;
      }
      Row best = w.bestPeer();
      if (best == null || w.fileshare() == null) {
        continue;
      }
      bars.add(new Chart.Bar(w.label, best.first.tool(), w.ratio(best)));
    }
    return bars;
  }

  static String headlineText(List<Chart.Bar> bars) {
    if (bars.isEmpty()) {
      return "No headline ratios: no workload had both fileshare and a peer.\n";
    }
    StringBuilder sb = new StringBuilder("Headline ratios (fileshare ÷ best peer, medians):\n\n");
    for (Chart.Bar b : bars) {
      sb.append("- ")
          .append(b.label())
          .append(": ")
          .append(ratio(b.ratio()))
          .append(" vs ")
          .append(b.peer())
          .append('\n');
    }
    return sb.toString();
  }

  static String ratio(double r) {
    return String.format(Locale.ROOT, "%.2f×", r);
  }

  static String number(double v) {
    double a = Math.abs(v);
    String f = a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f";
    return String.format(Locale.ROOT, f, v);
  }
}
