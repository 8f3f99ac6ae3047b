package minietcd.tutorial;

/** The tutorial's HTML pages: one layout (a title, the chapters' menu, the text), no script needed to read them. */
final class Pages {
    /** Where a chapter's text places the election demo (its markup is {@code tutorial/demos/election.html}, its script {@code election.js}). */
    static final String ELECTION_DEMO = "<!-- demo: election -->";

    private Pages() {}

    static String home() {
        StringBuilder b = new StringBuilder("""
                <h1>mini-etcd: the store under Kubernetes, rebuilt</h1>
                <p>Kubernetes keeps all of its state in etcd. This kit has you build a small etcd of your own,
                in Java, lab by lab, and then the parts of Kubernetes that stand on it. These pages walk
                through the ideas with live demos that run the kit's deterministic simulator.</p>
                <p><strong>Where to start:</strong> read chapter 0, then open <code>labs/1-log/README.md</code>
                and run <code>./jbang lab-log</code>: it scores the untouched lab at 0 and names the first TODO.</p>
                <ol class="chapters" start="0">
                """);
        for (Chapters.Chapter c : Chapters.ALL)
            b.append("<li><a href=\"").append(c.path()).append("\">").append(escape(c.title())).append("</a></li>\n");
        return layout("mini-etcd tutorial", b.append("</ol>\n").toString(), "");
    }

    static String chapter(Chapters.Chapter c) {
        StringBuilder b = new StringBuilder("<h1>").append(c.number()).append(". ").append(escape(c.title())).append("</h1>\n");
        String text = Chapters.text(c);
        boolean demo = text.contains(ELECTION_DEMO);
        b.append(text.replace(ELECTION_DEMO, Chapters.resource("tutorial/demos/election.html")));
        if (!c.lab().isEmpty())
            b.append("<p class=\"lab\">Its lab: <code>").append(escape(c.lab())).append("/README.md</code>; its self-check: <code>")
                    .append(escape(c.selfCheck())).append("</code></p>\n");
        String script = demo ? "<script src=\"/static/election.js\"></script>" : "";
        return layout(c.number() + ". " + c.title() + " - mini-etcd tutorial", b.toString(), script);
    }

    private static String layout(String title, String body, String script) {
        StringBuilder nav = new StringBuilder("<nav><a href=\"/\">Home</a>");
        for (Chapters.Chapter c : Chapters.ALL) nav.append(" <a href=\"").append(c.path()).append("\">").append(c.number()).append(". ").append(escape(c.title())).append("</a>");
        nav.append("</nav>");
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
