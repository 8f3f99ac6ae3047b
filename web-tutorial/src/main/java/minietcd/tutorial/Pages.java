package minietcd.tutorial;

import java.util.List;
import minietcd.kit.grader.Progress;

/** The tutorial's HTML pages: one layout (a title, the chapters' menu, the text), no script needed to read them. */
final class Pages {
    private Pages() {}

    static String home(Progress.Snapshot progress) {
        StringBuilder b = new StringBuilder("""
                <h1>mini-etcd: the store under Kubernetes, rebuilt</h1>
                <p>Kubernetes keeps all of its state in etcd. This kit has you build a small etcd of your own,
                in Java, lab by lab, and then the parts of Kubernetes that stand on it. These pages walk
                through the ideas with live demos that run the kit's deterministic simulator.</p>
                <p><strong>Where to start:</strong> read chapter 0, then open <code>labs/1-log/README.md</code>
                and run <code>./jbang lab-log</code>: it scores the untouched lab at 0 and names the first TODO.</p>
                <ol class="chapters" start="0">
                """);
        for (Chapters.Chapter c : Chapters.ALL) {
            boolean read = progress.chaptersRead().contains(c.number());
            long tried = progress.tried().stream().filter(t -> t.chapter() == c.number()).count();
            b.append("<li data-chapter=\"").append(c.number()).append("\"").append(read ? " class=\"read\"" : "").append("><a href=\"")
                    .append(c.path()).append("\">").append(escape(c.title())).append("</a>")
                    .append(read ? " <span class=\"done\">read</span>" : "")
                    .append(tried > 0 ? " <span class=\"done\">" + tried + (tried == 1 ? " step" : " steps") + " tried</span>" : "").append("</li>\n");
        }
        b.append("</ol>\n<h2>Your progress</h2>\n");
        b.append(progressTable(progress));
        b.append("<p>A failing self-check writes the failing run's trace to <code>traces/</code>: <a href=\"/traces\">open the traces</a> to step through one.</p>\n");
        return layout("mini-etcd tutorial", b.toString(), "");
    }

    /** The latest result of each lab, self-check and grade apart, as recorded by those commands. */
    private static String progressTable(Progress.Snapshot progress) {
        java.util.Map<String, Progress.Result> latest = new java.util.TreeMap<>();
        for (Progress.Result r : progress.results()) latest.putIfAbsent(r.lab() + " " + r.command(), r); // newest first
        if (latest.isEmpty()) return "<p id=\"progress\">No self-check recorded yet: run <code>./jbang lab-log</code> and reload this page.</p>\n";
        StringBuilder b = new StringBuilder("<table id=\"progress\"><tr><th>lab</th><th>command</th><th>score</th><th>tests passed</th><th>when</th></tr>\n");
        java.time.format.DateTimeFormatter when = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(java.time.ZoneId.systemDefault());
        for (Progress.Result r : latest.values()) {
            String lab = labTitle(r.lab());
            b.append("<tr data-lab=\"").append(r.lab()).append("\"><td>").append(escape(lab)).append("</td><td><code>")
                    .append(escape(r.command().equals("lab") ? "./jbang lab-" + shortName(r.lab()) : "./jbang grade --lab " + r.lab())).append("</code>")
                    .append(r.partial() ? " (some tests)" : "").append("</td><td>").append(r.earned()).append("/").append(r.possible())
                    .append("</td><td>").append(r.passed()).append(" of ").append(r.tests()).append("</td><td>").append(when.format(java.time.Instant.ofEpochMilli(r.at())))
                    .append("</td></tr>\n");
        }
        return b.append("</table>\n").toString();
    }

    private static String labTitle(int lab) {
        return minietcd.kit.testing.Lab.byNumber(lab).map(l -> l.number + ". " + l.title).orElse("lab " + lab);
    }

    private static String shortName(int lab) {
        return minietcd.kit.testing.Lab.byNumber(lab).map(l -> l.shortName).orElse(String.valueOf(lab));
    }

    static String traces(List<Traces.Summary> all, java.nio.file.Path dir) {
        StringBuilder b = new StringBuilder("<h1>Traces of failing runs</h1>\n<p>When a graded scenario fails, the self-check replays its seed with tracing on and writes every event of the run to <code>")
                .append(escape(dir.getFileName() == null ? dir.toString() : dir.getFileName().toString()))
                .append("/</code>, the broken rule last. Open one to step through it as a Lamport diagram.</p>\n");
        if (all.isEmpty()) return layout("Traces - mini-etcd tutorial", b.append("<p id=\"no-traces\">No trace here yet: a self-check writes one when a scenario fails on code that runs (a TODO reached writes none), and deletes a test's old traces when it runs again.</p>\n").toString(), "");
        b.append("<ul class=\"traces\">\n");
        for (Traces.Summary t : all)
            b.append("<li><a href=\"/traces/").append(escape(t.name())).append("\">").append(escape(t.name())).append("</a> (").append(t.events()).append(" events)")
                    .append(t.failure().isEmpty() ? "" : "<br><span class=\"failure\">" + escape(t.failure()) + "</span>").append("</li>\n");
        return layout("Traces - mini-etcd tutorial", b.append("</ul>\n").toString(), "");
    }

    static String trace(String name) {
        String body = "<h1>Trace: " + escape(name) + "</h1>\n"
                + Chapters.resource("tutorial/demos/trace.html").replace("{{name}}", escape(name));
        return layout(name + " - mini-etcd tutorial", body, "<script src=\"/static/demo.js\"></script><script src=\"/static/trace.js\"></script>");
    }

    private static final java.util.regex.Pattern DEMO = java.util.regex.Pattern.compile("<!-- demo: ([a-z]+) -->");

    /** A chapter: its text, each {@code <!-- demo: NAME -->} line replaced by the demo's markup ({@code tutorial/demos/NAME.html}, its script {@code NAME.js}). */
    static String chapter(Chapters.Chapter c) {
        StringBuilder b = new StringBuilder("<h1>").append(c.number()).append(". ").append(escape(c.title())).append("</h1>\n");
        java.util.regex.Matcher m = DEMO.matcher(Chapters.text(c));
        StringBuilder scripts = new StringBuilder();
        StringBuilder text = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(text, java.util.regex.Matcher.quoteReplacement(Chapters.resource("tutorial/demos/" + m.group(1) + ".html")));
            scripts.append("<script src=\"/static/").append(m.group(1)).append(".js\"></script>");
        }
        m.appendTail(text);
        if (scripts.length() > 0) scripts.insert(0, "<script src=\"/static/demo.js\"></script><script src=\"/static/tries.js\"></script>");
        b.append(text);
        if (!c.lab().isEmpty())
            b.append("<p class=\"lab\">Its lab: <a href=\"/guides/").append(escape(c.lab().substring("labs/".length()))).append("\"><code>")
                    .append(escape(c.lab())).append("/README.md</code></a>; its self-check: <code>")
                    .append(escape(c.selfCheck())).append("</code></p>\n");
        return layout(c.number() + ". " + c.title() + " - mini-etcd tutorial", b.toString(), scripts.toString());
    }

    private static String layout(String title, String body, String script) {
        StringBuilder nav = new StringBuilder("<nav><a href=\"/\">Home</a>");
        for (Chapters.Chapter c : Chapters.ALL) nav.append(" <a href=\"").append(c.path()).append("\">").append(c.number()).append(". ").append(escape(c.title())).append("</a>");
        nav.append(" <a href=\"/traces\">Traces</a></nav>");
        return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(title) + "</title>"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<link rel=\"icon\" href=\"/static/favicon.svg\" type=\"image/svg+xml\">"
                + "<link rel=\"stylesheet\" href=\"/static/tutorial.css\"></head>\n<body>" + nav + "<main>\n" + body + "</main>" + script + "</body></html>\n";
    }

    /** Text made safe to put in HTML. */
    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(ch);
            }
        }
        return b.toString();
    }
}
