package minietcd.tutorial;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import minietcd.kit.grader.Progress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The web tutorial (Javalin): the home page, the chapters, their static files from the jar, and the
 * live demos' API:
 * <pre>
 *   GET  /api/code                   -> whose classes the demos can run: ["reference", "yours"]
 *   POST /api/demos                  {"demo": "election|store|controlplane", "seed": 7, "code": "reference|yours"}, with "actions": [...] for a replay -> {"id", "state"}
 *                                    (409 with what is left to do when your labs are not done)
 *   GET  /api/demos/{id}             -> the state: the election demo's nodes (role, term, vote, log, commit index);
 *                                    the store demo's members, history, key index and watchers
 *   POST /api/demos/{id}/actions     {"kind": ..., "arg": N, "key": ..., "value": ...} -> the state (see each demo's apply)
 *   GET  /api/demos/{id}/replay      -> {"seed", "actions"}: what reproduces it
 *   GET  /traces, /traces/{name}     -> the failing tests' traces, and the trace viewer (a Lamport diagram)
 *   GET  /api/traces                 -> [{"name", "events", "failure"}], newest first
 *   GET  /api/traces/{name}          -> {"name", "events": [...], "cut"}
 *   GET  /api/progress               -> chapters read, "try this" steps done, self-check and grade results
 *   POST /api/progress/tried         {"chapter": 2, "step": "new-leader"}: a step the page saw done -> 204
 * </pre>
 * Bad input is a 400 with a message, an unknown demo a 404; bodies are at most {@value #MAX_BODY} bytes.
 */
public final class TutorialServer implements AutoCloseable {
    static final int MAX_BODY = 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Demos demos = new Demos();
    private final java.util.Map<String, LabCode> code = new java.util.LinkedHashMap<>();
    private final Traces traces;
    private final Progress progress;
    private final Path labs;
    private final Javalin app;

    /**
     * @param code     the lab classes the demos may run, by name ({@link LabCode#REFERENCE}, {@link LabCode#YOURS})
     * @param traces   the folder the self-checks write their traces to
     * @param progress the learner's progress (chapters read and steps done are recorded there)
     * @param labs     the kit's {@code labs/} folder, whose guides ({@code N-name/README.md}) the chapters link to
     */
    public TutorialServer(List<LabCode> code, Path traces, Progress progress, Path labs) {
        code.forEach(c -> this.code.put(c.name(), c));
        this.traces = new Traces(traces);
        this.progress = progress;
        this.labs = labs;
        this.app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.startupWatcherEnabled = false;
            cfg.http.maxRequestSize = MAX_BODY;
            cfg.staticFiles.add(s -> {
                s.hostedPath = "/static";
                s.directory = "/tutorial/static";
                s.location = Location.CLASSPATH;
            });
            cfg.routes.get("/", ctx -> ctx.html(Pages.home(snapshot())));
            cfg.routes.get("/favicon.ico", ctx -> ctx.redirect("/static/favicon.svg")); // asked for by browsers whatever the page says
            cfg.routes.get("/chapters/{n}", this::chapter);
            cfg.routes.get("/guides/{lab}", this::guide);
            cfg.routes.get("/traces", ctx -> ctx.html(Pages.traces(this.traces.list(), this.traces.dir())));
            cfg.routes.get("/traces/{name}", ctx -> {
                String name = ctx.pathParam("name");
                this.traces.read(name, JSON).orElseThrow(() -> new NotFound("no trace " + name + " in " + this.traces.dir()));
                ctx.html(Pages.trace(name));
            });
            cfg.routes.get("/api/traces", ctx -> ctx.json(this.traces.list()));
            cfg.routes.get("/api/traces/{name}", ctx -> ctx.json(this.traces.read(ctx.pathParam("name"), JSON)
                    .orElseThrow(() -> new NotFound("no trace " + ctx.pathParam("name") + " in " + this.traces.dir()))));
            cfg.routes.get("/api/progress", ctx -> ctx.json(progress.read()));
            cfg.routes.post("/api/progress/tried", this::tried);
            cfg.routes.get("/api/code", ctx -> ctx.json(this.code.keySet()));
            cfg.routes.post("/api/demos", this::create);
            cfg.routes.get("/api/demos/{id}", ctx -> ctx.json(demo(ctx, d -> d.state(JSON))));
            cfg.routes.post("/api/demos/{id}/actions", this::act);
            cfg.routes.get("/api/demos/{id}/replay", ctx -> ctx.json(demo(ctx, TutorialServer::replayOf)));
            cfg.routes.exception(NotFound.class, (e, ctx) -> ctx.status(404).json(error(e.getMessage())));
            cfg.routes.exception(IllegalArgumentException.class, (e, ctx) -> ctx.status(400).json(error(e.getMessage())));
            cfg.routes.exception(Demo.NotDone.class, (e, ctx) -> ctx.status(409).json(error(e.getMessage())));
            cfg.routes.exception(Busy.class, (e, ctx) -> ctx.status(503).json(error(e.getMessage())));
            cfg.routes.error(413, "*", ctx -> ctx.json(error("the request is larger than the " + MAX_BODY / 1024 + " KiB a request may be (a replay's actions: start a new demo)")));
        });
    }

    /** Starts on {@code host:port} (0: any free port). */
    public TutorialServer start(String host, int port) {
        try {
            app.start(host, port);
        } catch (RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null) root = root.getCause();
            boolean taken = root instanceof java.net.BindException && String.valueOf(root.getMessage()).contains("in use");
            throw new IllegalStateException("the tutorial cannot listen on " + host + ":" + port + " (" + (root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage()) + ")"
                    + (taken ? "; is it running already? Choose another port with --port" : ""), e);
        }
        return this;
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }

    private static final class NotFound extends RuntimeException {
        NotFound(String message) {
            super(message);
        }
    }

    /** The cookie that tells one browser from another (its demos are bounded per browser, not per address: a workshop may share one). */
    static final String CLIENT_COOKIE = "tutorial-client";

    private static String client(Context ctx) {
        String id = ctx.cookie(CLIENT_COOKIE);
        if (id == null || !id.matches("[0-9a-f-]{36}")) {
            id = java.util.UUID.randomUUID().toString();
            ctx.cookie(new io.javalin.http.Cookie(CLIENT_COOKIE, id, "/", -1, false, true, null, io.javalin.http.SameSite.STRICT));
        }
        return id;
    }

    private void chapter(Context ctx) {
        Chapters.Chapter c = Chapters.find(ctx.pathParam("n"))
                .orElseThrow(() -> new NotFound("no chapter " + ctx.pathParam("n") + " (0 to " + (Chapters.ALL.size() - 1) + ")"));
        try {
            progress.chapterRead(c.number());
        } catch (RuntimeException e) {
            System.err.println("progress not recorded: " + e.getMessage()); // the page is served all the same
        }
        ctx.html(Pages.chapter(c));
    }

    /** A lab's guide, as its text (Markdown reads as it is). */
    private void guide(Context ctx) {
        Chapters.Chapter c = Chapters.ALL.stream().filter(x -> !x.lab().isEmpty() && x.lab().equals("labs/" + ctx.pathParam("lab")))
                .findFirst().orElseThrow(() -> new NotFound("no lab " + ctx.pathParam("lab")));
        Path guide = labs.resolve(c.lab().substring("labs/".length())).resolve("README.md");
        try {
            ctx.contentType("text/plain; charset=utf-8").result(java.nio.file.Files.readString(guide));
        } catch (java.io.IOException e) {
            throw new NotFound("this kit has no " + c.lab() + "/README.md");
        }
    }

    /** The progress for the home page; none, said so, when the database cannot be read. */
    private Progress.Snapshot snapshot() {
        try {
            return progress.read();
        } catch (RuntimeException e) {
            System.err.println("progress not read: " + e.getMessage());
            return new Progress.Snapshot(List.of(), List.of(), List.of());
        }
    }

    private void tried(Context ctx) {
        JsonNode body = body(ctx);
        String step = body.path("step").asText("");
        Chapters.Chapter c = Chapters.find(body.path("chapter").asText("")).orElseThrow(() -> new IllegalArgumentException("no chapter " + body.path("chapter")));
        if (!Chapters.steps(c).contains(step)) throw new IllegalArgumentException("chapter " + c.number() + " has no step " + step + " (" + String.join(", ", Chapters.steps(c)) + ")");
        progress.tried(c.number(), step);
        ctx.status(204);
    }

    /** Demos being made (a replay runs its whole history): at most one per core at once, so a long one cannot starve the rest. */
    private final java.util.concurrent.Semaphore making = new java.util.concurrent.Semaphore(Math.max(1, Runtime.getRuntime().availableProcessors()));

    private static final class Busy extends RuntimeException {
        Busy(String message) {
            super(message);
        }
    }

    private void create(Context ctx) {
        JsonNode body = body(ctx);
        long seed = body.has("seed") ? integer(body.path("seed"), "seed") : 1;
        JsonNode list = body.path("actions");
        if (!list.isMissingNode() && !list.isArray()) throw new IllegalArgumentException("actions is a list of actions, not " + list);
        List<Demo.Action> actions = new ArrayList<>();
        for (JsonNode a : list) actions.add(action(a));
        String whose = body.path("code").asText(LabCode.REFERENCE);
        LabCode labs = code.get(whose);
        if (labs == null) throw new IllegalArgumentException("no code " + whose + " here: " + code.keySet());
        String kind = body.path("demo").asText("election");
        if (!List.of("election", "store", "controlplane").contains(kind)) throw new IllegalArgumentException("no demo " + kind + " (election, store, controlplane)");
        Demo demo;
        try {
            if (!making.tryAcquire(30, java.util.concurrent.TimeUnit.SECONDS)) throw new Busy("the tutorial is busy making other demos: try again in a moment");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Busy("interrupted");
        }
        try {
            demo = switch (kind) {
                case "election" -> Demo.replay(new ElectionDemo(seed, labs), actions);
                case "store" -> Demo.replay(new StoreDemo(seed, labs), actions);
                default -> Demo.replay(new ControlPlaneDemo(seed, labs), actions);
            };
        } finally {
            making.release();
        }
        String id = demos.add(client(ctx), demo);
        ObjectNode out = JSON.createObjectNode().put("id", id);
        out.set("state", demo.state(JSON));
        ctx.status(201).json(out);
    }

    /** A whole number, or a 400 naming the field. */
    private static long integer(JsonNode n, String name) {
        if (n.isMissingNode() || n.isNull()) return 0;
        if (!n.isIntegralNumber() || !n.canConvertToLong()) throw new IllegalArgumentException(name + " is a whole number, not " + n);
        return n.asLong();
    }

    private static Demo.Action action(JsonNode a) {
        if (!a.isObject()) throw new IllegalArgumentException("an action is an object as {\"kind\": \"step\", \"arg\": 50}, not " + a);
        return new Demo.Action(0, a.path("kind").asText(""), integer(a.path("arg"), "arg"), a.path("key").asText(""), a.path("value").asText(""));
    }

    private void act(Context ctx) {
        Demo.Action a = action(body(ctx));
        ctx.json(demo(ctx, d -> {
            d.apply(a);
            return d.state(JSON);
        }));
    }

    private <T> T demo(Context ctx, java.util.function.Function<Demo, T> use) {
        return demos.with(ctx.pathParam("id"), use).orElseThrow(() -> new NotFound("no demo " + ctx.pathParam("id") + " (it may have been replaced by a newer one)"));
    }

    private static ObjectNode replayOf(Demo d) {
        ObjectNode r = JSON.createObjectNode().put("demo", d.kind()).put("seed", d.seed()).put("code", d.code());
        var list = r.putArray("actions");
        for (Demo.Action a : d.actions()) {
            ObjectNode o = list.addObject().put("at", a.at()).put("kind", a.kind()).put("arg", a.arg());
            if (!a.key().isEmpty()) o.put("key", a.key());
            if (!a.value().isEmpty()) o.put("value", a.value());
        }
        return r;
    }

    private static JsonNode body(Context ctx) {
        if (ctx.body().isBlank()) return JSON.createObjectNode();
        try {
            JsonNode n = JSON.readTree(ctx.body());
            if (!n.isObject()) throw new IllegalArgumentException("the body must be a JSON object");
            return n;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("the body is not JSON: " + e.getOriginalMessage());
        }
    }

    private static ObjectNode error(String message) {
        return JSON.createObjectNode().put("error", message);
    }
}
