package minietcd.tutorial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The tutorial's routes over real HTTP on loopback: pages, static files, and the election demo's API. */
class TutorialServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TutorialServer server;
    private static final HttpClient http = HttpClient.newBuilder().cookieHandler(new java.net.CookieManager()).build(); // one browser: its cookie kept

    /** The reference's classes (on this class path) and the learner's untouched labs 1 to 5 (built before this module). */
    static java.util.List<LabCode> code() {
        ClassLoader here = TutorialServerTest.class.getClassLoader();
        return java.util.List.of(new LabCode(LabCode.REFERENCE, here), LabCode.of(LabCode.YOURS, java.util.stream.Stream.of("1-log", "2-election", "3-mvcc", "4-watch", "5-controlplane")
                .map(l -> java.nio.file.Path.of("../labs/" + l + "/target/classes")).toList(), here));
    }

    /** The tutorial over {@link #code()}, with its traces and progress in {@code dir}. */
    static TutorialServer server(java.nio.file.Path dir) {
        return new TutorialServer(code(), dir.resolve("traces"), new minietcd.kit.grader.Progress(dir.resolve("progress")), java.nio.file.Path.of("../labs"));
    }

    /**
     * A real failing run's trace, written where the tutorial looks, by the kit's own seed runner: a
     * three-node reference cluster whose leader is killed, checked against a rule of this test's own
     * that the run breaks (the first leader leads forever). Its file name.
     */
    static String failingTrace(java.nio.file.Path dir) {
        String before = System.getProperty("minietcd.traceDir");
        System.setProperty("minietcd.traceDir", dir.resolve("traces").toString());
        try {
            minietcd.kit.testing.Seeds.of("TutorialTrace.leaderKilled", "(none: a fixture)").run(1, run -> {
                var c = run.cluster(3, minietcd.kit.raft.RaftConfig.DEFAULT, minietcd.kit.sim.Faults.RELIABLE);
                int first = c.awaitLeader(5_000);
                c.commit("x", 2_000);
                c.sim().crash(first);
                int next = c.awaitLeader(5_000);
                assertThat(next).as("the fixture's broken rule: the first leader leads forever").isEqualTo(first);
            });
            throw new IllegalStateException("the fixture's run was meant to fail");
        } catch (AssertionError expected) {
            return "TutorialTrace.leaderKilled-seed1.jsonl";
        } finally {
            if (before == null) System.clearProperty("minietcd.traceDir");
            else System.setProperty("minietcd.traceDir", before);
        }
    }

    private static java.nio.file.Path dir;

    @BeforeAll
    static void start() throws Exception {
        dir = java.nio.file.Files.createTempDirectory("tutorial-test");
        server = server(dir).start("127.0.0.1", 0);
    }

    /** Skips a test of the reference's demos in an edition that ships no reference classes for labs 1 and 2 (their place is the learner's skeleton). */
    static void assumeReferenceClasses() {
        try {
            new ElectionDemo(1, code().get(0)).apply(new Demo.Action(0, "step", 200, "", ""));
        } catch (Demo.NotDone e) {
            org.junit.jupiter.api.Assumptions.assumeTrue(false, "this edition ships no reference classes for labs 1 and 2: " + e.getMessage());
        }
    }

    /** The same for the control plane demo's labs 1 to 5. */
    static void assumeControlPlaneReferenceClasses() {
        try {
            new ControlPlaneDemo(1, code().get(0));
        } catch (Demo.NotDone e) {
            org.junit.jupiter.api.Assumptions.assumeTrue(false, "this edition ships no reference classes for labs 1 to 5: " + e.getMessage());
        }
    }

    /** The same for the store demo's labs 1 to 4. */
    static void assumeStoreReferenceClasses() {
        try {
            new StoreDemo(1, code().get(0));
        } catch (Demo.NotDone e) {
            org.junit.jupiter.api.Assumptions.assumeTrue(false, "this edition ships no reference classes for labs 1 to 4: " + e.getMessage());
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode act(String id, String kind, long arg) throws Exception {
        HttpResponse<String> r = post("/api/demos/" + id + "/actions", "{\"kind\": \"" + kind + "\", \"arg\": " + arg + "}");
        assertThat(r.statusCode()).as("%s %d: %s", kind, arg, r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static long leaders(JsonNode state) {
        long n = 0;
        for (JsonNode node : state.path("nodes")) if (node.path("up").asBoolean() && node.path("role").asText().equals("LEADER")) n++;
        return n;
    }

    private static JsonNode leader(JsonNode state) {
        for (JsonNode node : state.path("nodes")) if (node.path("up").asBoolean() && node.path("role").asText().equals("LEADER")) return node;
        throw new AssertionError("no leader in " + state);
    }

    @Test
    void theHomePageLeadsToEveryChapterAndEachServesItsText() throws Exception {
        HttpResponse<String> home = get("/");
        assertThat(home.statusCode()).isEqualTo(200);
        assertThat(home.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(home.body()).contains("chapter 0", "./jbang lab-log");
        for (Chapters.Chapter c : Chapters.ALL) {
            assertThat(home.body()).as("the home page's link to chapter %d", c.number()).contains("href=\"/chapters/" + c.number() + "\"");
            HttpResponse<String> page = get("/chapters/" + c.number());
            assertThat(page.statusCode()).as("chapter %d", c.number()).isEqualTo(200);
            assertThat(page.body()).as("chapter %d", c.number()).contains("<h1>" + c.number() + ". " + Pages.escape(c.title()) + "</h1>", "/static/tutorial.css");
        }
        assertThat(get("/chapters/2").body()).contains("id=\"election-demo\"", "/static/election.js", "./jbang lab-election");
        assertThat(get("/chapters/9").statusCode()).isEqualTo(404);
        assertThat(get("/static/election.js").body()).contains("/api/demos");
        assertThat(get("/static/tutorial.css").statusCode()).isEqualTo(200);
    }

    @Test
    void aDemoElectsALeaderCommitsAPutAndElectsAnotherInAHigherTermWhenItIsKilled() throws Exception {
        assumeReferenceClasses();
        HttpResponse<String> made = post("/api/demos", "{\"seed\": 3}");
        assertThat(made.statusCode()).isEqualTo(201);
        String id = JSON.readTree(made.body()).path("id").asText();
        JsonNode state = act(id, "step", 3_000);
        assertThat(leaders(state)).as("leaders after 3 s: %s", state).isEqualTo(1);
        JsonNode first = leader(state);
        act(id, "put", 0);
        state = act(id, "step", 1_000);
        long holding = 0;
        for (JsonNode node : state.path("nodes")) if (node.path("commitIndex").asLong() >= 1 && node.path("tail").size() >= 1) holding++;
        assertThat(holding).as("nodes whose log holds the put, committed, a second after it: %s", state).isGreaterThanOrEqualTo(3);
        act(id, "kill", 0);
        state = act(id, "step", 3_000);
        JsonNode second = leader(state);
        assertThat(second.path("id").asInt()).as("the new leader").isNotEqualTo(first.path("id").asInt());
        assertThat(second.path("term").asLong()).as("the new leader's term").isGreaterThan(first.path("term").asLong());
    }

    @Test
    void aSeedAndItsActionsReplayTheSameDemo() throws Exception {
        assumeReferenceClasses();
        String id = JSON.readTree(post("/api/demos", "{\"seed\": 11}").body()).path("id").asText();
        act(id, "step", 2_000);
        act(id, "isolate", 0);
        act(id, "step", 1_500);
        act(id, "put", 0);
        act(id, "heal", 0);
        JsonNode state = act(id, "step", 2_000);
        String replay = get("/api/demos/" + id + "/replay").body();
        HttpResponse<String> again = post("/api/demos", replay);
        assertThat(again.statusCode()).as(again.body()).isEqualTo(201);
        assertThat(JSON.readTree(again.body()).path("state")).as("the replayed demo's state").isEqualTo(state);
    }

    @Test
    void badInputIsRefusedWithAReason() throws Exception {
        assumeReferenceClasses();
        String id = JSON.readTree(post("/api/demos", "{}").body()).path("id").asText();
        HttpResponse<String> r = post("/api/demos/" + id + "/actions", "{\"kind\": \"explode\"}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("no action explode");
        assertThat(post("/api/demos/" + id + "/actions", "{\"kind\": \"step\", \"arg\": 999999}").body()).contains("a step runs 1 to");
        assertThat(post("/api/demos/" + id + "/actions", "{\"kind\": \"kill\", \"arg\": 9}").body()).contains("no node 9");
        assertThat(post("/api/demos/" + id + "/actions", "not json").statusCode()).isEqualTo(400);
        assertThat(post("/api/demos/nope/actions", "{\"kind\": \"heal\"}").statusCode()).isEqualTo(404);
        HttpResponse<String> large = post("/api/demos", "{\"pad\": \"" + "x".repeat(TutorialServer.MAX_BODY) + "\"}");
        assertThat(large.statusCode()).as("a body too large").isEqualTo(413);
        assertThat(JSON.readTree(large.body()).path("error").asText()).as("said in JSON, as every error").contains("larger than the 64 KiB");
        assertThat(post("/api/demos/" + id + "/actions", "{\"kind\": \"step\", \"arg\": \"abc\"}").body()).contains("arg is a whole number, not \\\"abc\\\"");
        assertThat(post("/api/demos/" + id + "/actions", "{\"kind\": \"step\", \"arg\": 1.5}").body()).contains("arg is a whole number, not 1.5");
        assertThat(post("/api/demos", "{\"seed\": \"abc\"}").body()).contains("seed is a whole number");
        assertThat(post("/api/demos", "{\"seed\": 99999999999999999999999}").body()).contains("seed is a whole number");
        assertThat(post("/api/demos", "{\"actions\": \"x\"}").body()).contains("actions is a list");
        assertThat(post("/api/demos", "{\"actions\": [{\"kind\": \"step\", \"arg\": 10}, {\"kind\": \"kill\", \"arg\": 7}]}").body())
                .as("a replay names its bad action").contains("the replay's action 2 (kill): no node 7");
        assertThat(post("/api/demos/" + id + "/actions", "{\"kind\": \"partition\", \"key\": \"9\"}").body()).contains("no node 9 (1 to 5)");
        assertThat(post("/api/progress/tried", "{\"chapter\": 2, \"step\": \"made-up\"}").body()).contains("chapter 2 has no step made-up");
        assertThat(get("/guides/1-log").body()).as("the lab's guide, linked from its chapter").contains("TODO(lab 1 part A)");
        assertThat(get("/chapters/1").body()).contains("href=\"/guides/1-log\"");
        assertThat(get("/guides/9-nothing").statusCode()).isEqualTo(404);
    }

    @Test
    void aReplayRunsAtMostAnHourOfSimulatedTimeSoItsCostIsBounded() throws Exception {
        assumeReferenceClasses();
        StringBuilder actions = new StringBuilder("[");
        for (int i = 0; i < 361; i++) actions.append(i == 0 ? "" : ",").append("{\"kind\": \"step\", \"arg\": 10000}");
        HttpResponse<String> r = post("/api/demos", "{\"actions\": " + actions.append("]") + "}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("at most an hour of simulated time, and this one asks 60 minutes");
    }

    @Test
    void playedDemosOutliveAFloodOfNewOnes() throws Exception {
        assumeReferenceClasses();
        Demos demos = new Demos();
        LabCode reference = code().get(0);
        String played = demos.add("learner", new ElectionDemo(1, reference));
        for (int i = 0; i < 2 * Demos.IN_ALL; i++) {
            demos.add("flood-" + i, new ElectionDemo(1, reference)); // no cookie: a new browser each time
            if (i % 50 == 0) assertThat(demos.with(played, Demo::seed)).as("the learner's demo, played now and then").isPresent();
        }
        assertThat(demos.with(played, Demo::seed)).isPresent();
    }

    @Test
    void theLearnersUntouchedLabsAreSaidNotDoneYet() throws Exception {
        assertThat(JSON.readTree(get("/api/code").body())).as("whose classes the demos run").containsExactly(JSON.getNodeFactory().textNode("reference"), JSON.getNodeFactory().textNode("yours"));
        HttpResponse<String> r = post("/api/demos", "{\"seed\": 1, \"code\": \"yours\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(409);
        assertThat(JSON.readTree(r.body()).path("error").asText()).contains("not done yet", "TODO(lab 1", "./jbang lab-log");
        for (String demo : new String[] {"store", "controlplane"}) {
            HttpResponse<String> later = post("/api/demos", "{\"demo\": \"" + demo + "\", \"code\": \"yours\"}");
            assertThat(later.statusCode()).isEqualTo(409);
            assertThat(later.body()).as("the %s demo names the first lab's TODO first", demo).contains("TODO(lab 1");
        }
        assertThat(post("/api/demos", "{\"code\": \"theirs\"}").statusCode()).isEqualTo(400);
    }

    @Test
    void aClientKeepsAtMostFourDemos() throws Exception {
        assumeReferenceClasses();
        String first = JSON.readTree(post("/api/demos", "{}").body()).path("id").asText();
        for (int i = 0; i < Demos.PER_CLIENT; i++) post("/api/demos", "{}");
        assertThat(get("/api/demos/" + first).statusCode()).as("the oldest demo, once the client made %d more", Demos.PER_CLIENT).isEqualTo(404);
    }

    @Test
    void aTakenPortIsSaidPlainly() {
        assertThatThrownBy(() -> server(dir).start("127.0.0.1", server.port()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("cannot listen on 127.0.0.1:" + server.port()).hasMessageContaining("--port");
    }

    @Test
    void aFailingRunsTraceIsListedAndServedWithItsSendsAndTheBrokenRuleLast() throws Exception {
        assumeReferenceClasses();
        String name = failingTrace(dir);
        JsonNode list = JSON.readTree(get("/api/traces").body());
        assertThat(list).anySatisfy(t -> {
            assertThat(t.path("name").asText()).isEqualTo(name);
            assertThat(t.path("failure").asText()).contains("the first leader leads forever");
        });
        HttpResponse<String> page = get("/traces");
        assertThat(page.body()).contains("/traces/" + name).contains("the first leader leads forever");
        JsonNode trace = JSON.readTree(get("/api/traces/" + name).body());
        JsonNode events = trace.path("events");
        assertThat(events.get(events.size() - 1).path("kind").asText()).isEqualTo("failure");
        long sends = 0, delivers = 0;
        for (JsonNode e : events) {
            if (e.path("kind").asText().equals("send")) sends++;
            if (e.path("kind").asText().equals("deliver")) delivers++;
        }
        assertThat(sends).as("sends recorded, each a message's start for the diagram's arrows").isGreaterThan(10).isGreaterThanOrEqualTo(delivers);
        assertThat(get("/traces/" + name).body()).contains("id=\"trace-viewer\"").contains("/static/trace.js");
    }

    @Test
    void onlyTraceFileNamesAreServed() throws Exception {
        assertThat(get("/api/traces/..%2F..%2Fpom.xml").statusCode()).isEqualTo(400);
        assertThat(get("/api/traces/secret.txt").statusCode()).isEqualTo(400);
        assertThat(get("/api/traces/none-seed1.jsonl").statusCode()).isEqualTo(404);
        assertThat(get("/traces/none-seed1.jsonl").statusCode()).isEqualTo(404);
    }

    @Test
    void progressRecordsChaptersReadStepsTriedAndTheCommandsResults() throws Exception {
        var progress = new minietcd.kit.grader.Progress(dir.resolve("progress"));
        progress.record(new minietcd.kit.grader.Progress.Result("lab", 3, 12, 40, 4, 11, false, System.currentTimeMillis()));
        assertThat(get("/chapters/3").statusCode()).isEqualTo(200);
        assertThat(post("/api/progress/tried", "{\"chapter\": 2, \"step\": \"new-leader\"}").statusCode()).isEqualTo(204);
        assertThat(post("/api/progress/tried", "{\"chapter\": 2, \"step\": \"new-leader\"}").statusCode()).as("twice is once").isEqualTo(204);
        assertThat(post("/api/progress/tried", "{\"chapter\": 2, \"step\": \"<b>\"}").statusCode()).isEqualTo(400);
        assertThat(post("/api/progress/tried", "{\"chapter\": 9, \"step\": \"x\"}").statusCode()).isEqualTo(400);
        JsonNode p = JSON.readTree(get("/api/progress").body());
        assertThat(p.path("chaptersRead").toString()).contains("3");
        assertThat(p.path("tried")).hasSize(1);
        assertThat(p.path("results").get(0).path("earned").asInt()).isEqualTo(12);
        String home = get("/").body();
        assertThat(home).contains("<li data-chapter=\"3\" class=\"read\">").contains("1 step tried").contains("./jbang lab-mvcc").contains("12/40").contains("4 of 11");
    }

    private static JsonNode store(String id, String kind, long arg, String key, String value) throws Exception {
        ObjectNodeBuilder b = new ObjectNodeBuilder(kind, arg, key, value);
        HttpResponse<String> r = post("/api/demos/" + id + "/actions", b.json());
        assertThat(r.statusCode()).as("%s %s: %s", kind, key, r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private record ObjectNodeBuilder(String kind, long arg, String key, String value) {
        String json() {
            return JSON.createObjectNode().put("kind", kind).put("arg", arg).put("key", key).put("value", value).toString();
        }
    }

    private static JsonNode key(JsonNode state, String key) {
        for (JsonNode k : state.path("keys")) if (k.path("key").asText().equals(key)) return k;
        throw new AssertionError("no key " + key + " in " + state.path("keys"));
    }

    @Test
    void theStoreDemoShowsRevisionsGenerationsACompareAndSwapCompactionAndWatchers() throws Exception {
        assumeStoreReferenceClasses();
        String id = JSON.readTree(post("/api/demos", "{\"demo\": \"store\", \"seed\": 3}").body()).path("id").asText();
        JsonNode s = store(id, "put", 0, "a", "1");
        long first = s.path("revision").asLong();
        store(id, "watch", 0, "a", "");                       // watcher 1: from now on
        store(id, "put", 0, "a", "2");
        store(id, "put", 0, "b", "x");
        store(id, "delete", 0, "a", "");
        s = store(id, "put", 0, "a", "3");
        assertThat(s.path("revision").asLong()).as("one revision a write").isEqualTo(first + 4);
        assertThat(key(s, "a").path("generations")).as("a's generations: put, put, delete | put").hasSize(2);
        assertThat(key(s, "a").path("generations").get(0).get(2).path("tombstone").asBoolean()).isTrue();
        JsonNode w1 = s.path("watchers").get(0);
        assertThat(w1.path("events")).extracting(e -> e.path("type").asText() + "@" + e.path("revision").asLong())
                .containsExactly("PUT@" + (first + 1), "DELETE@" + (first + 3), "PUT@" + (first + 4));
        assertThat(store(id, "get", first, "a", "").path("last").asText()).as("a read at an old revision").contains("\"value\":\"MQ==\""); // "1"
        assertThat(store(id, "get", 0, "a", "").path("last").asText()).as("the latest").contains("\"value\":\"Mw==\""); // "3"
        long aRev = first + 4;
        s = store(id, "txn", aRev, "a", "4");
        assertThat(s.path("last").asText()).as("a compare-and-swap at a's mod revision").contains("\"succeeded\":true");
        s = store(id, "txn", aRev, "a", "5");
        assertThat(s.path("last").asText()).as("the same, now stale, revision").doesNotContain("succeeded\":true").contains("\"kvs\"");
        long now = s.path("revision").asLong();
        assertThat(post("/api/demos/" + id + "/actions", new ObjectNodeBuilder("watch", 1, "", "").json()).statusCode()).as("a watch needs a key").isEqualTo(400);
        assertThat(post("/api/demos/" + id + "/actions", new ObjectNodeBuilder("watch", -5, "a", "").json()).body()).contains("a watch starts at a revision of 1 or more");
        assertThat(post("/api/demos/" + id + "/actions", new ObjectNodeBuilder("kill", 4, "", "").json()).body()).contains("no member 4");
        s = store(id, "compact", 0, "", "");
        assertThat(s.path("compactRevision").asLong()).isEqualTo(now);
        assertThat(s.path("history")).as("nothing before the compaction is listed").isEmpty();
        assertThat(key(s, "a").path("generations").get(0).get(0).path("revision").asLong()).as("the revision the compaction kept").isEqualTo(aRev + 1);
        s = store(id, "watch", first, "a", "");
        assertThat(s.path("watchers").get(1).path("status").asText()).startsWith("canceled: revision " + now);
        s = store(id, "kill", 0, "", "");
        assertThat(s.path("watchers").get(0).path("status").asText()).startsWith("ended");
        JsonNode replay = JSON.readTree(get("/api/demos/" + id + "/replay").body());
        JsonNode again = JSON.readTree(post("/api/demos", replay.toString()).body()).path("state");
        assertThat(again).as("the seed and the actions replay the demo").isEqualTo(JSON.readTree(get("/api/demos/" + id).body()));
    }

    /** Steps the demo 1 s at a time, at most {@code seconds}, until {@code done} holds; the last state. */
    private static JsonNode stepUntil(String id, int seconds, java.util.function.Predicate<JsonNode> done) throws Exception {
        JsonNode s = JSON.readTree(get("/api/demos/" + id).body());
        for (int i = 0; i < seconds && !done.test(s); i++) s = store(id, "step", 1_000, "", "");
        assertThat(done.test(s)).as("after %d s: %s", seconds, s).isTrue();
        return s;
    }

    private static int ready(JsonNode s) {
        for (JsonNode rs : s.path("replicaSets")) if (rs.path("name").asText().equals("web")) return rs.path("readyReplicas").asInt();
        return -1;
    }

    private static String leader(JsonNode s, String prefix) {
        for (JsonNode c : s.path("components")) if (c.path("name").asText().startsWith(prefix) && c.path("leads").asBoolean()) return c.path("name").asText();
        return "";
    }

    @Test
    void theControlPlaneDemoSchedulesHealsAfterAKubeletDiesAndSurvivesLeadersKilled() throws Exception {
        assumeControlPlaneReferenceClasses();
        HttpResponse<String> made = post("/api/demos", "{\"demo\": \"controlplane\", \"seed\": 2}");
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        String id = JSON.readTree(made.body()).path("id").asText();
        JsonNode s = store(id, "pod", 0, "hello", "");
        assertThat(s.path("keys").get(0).path("key").asText()).as("the newest key").isEqualTo("/registry/pods/default/hello");
        s = stepUntil(id, 10, x -> x.toString().contains("\"name\":\"hello\",\"phase\":\"Running\""));
        store(id, "replicaset", 3, "", "");
        s = stepUntil(id, 30, x -> ready(x) == 3);
        String scheduler = leader(s, "scheduler");
        store(id, "kill-scheduler", 0, "", "");
        s = stepUntil(id, 40, x -> !leader(x, "scheduler").isEmpty());
        assertThat(leader(s, "scheduler")).as("the standby took over").isNotEqualTo(scheduler);
        store(id, "kill-kubelet", 1, "", "");
        s = stepUntil(id, 120, x -> !x.path("nodes").get(0).path("ready").asBoolean() && ready(x) == 3
                && x.path("nodes").get(0).path("pods").findValues("deleting").stream().allMatch(JsonNode::asBoolean));
        store(id, "kill-store-leader", 0, "", "");
        store(id, "replicaset", 4, "", "");
        s = stepUntil(id, 60, x -> ready(x) == 4);
        JsonNode replay = JSON.readTree(get("/api/demos/" + id + "/replay").body());
        assertThat(replay.path("demo").asText()).isEqualTo("controlplane");
        JsonNode again = JSON.readTree(post("/api/demos", replay.toString()).body()).path("state");
        assertThat(again).as("the seed and the actions replay the demo").isEqualTo(JSON.readTree(get("/api/demos/" + id).body()));
    }

    @Test
    void theElectionDemoShowsTheMessagesOnTheirWay() throws Exception {
        assumeReferenceClasses();
        String id = JSON.readTree(post("/api/demos", "{\"seed\": 4}").body()).path("id").asText();
        JsonNode s = act(id, "step", 2_000); // a leader by now, sending heartbeats
        int seen = 0;
        for (int ms = 0; ms < 300; ms++) {
            s = act(id, "step", 1);
            for (JsonNode m : s.path("messages")) {
                seen++;
                assertThat(m.path("sentAt").asLong()).isLessThanOrEqualTo(s.path("now").asLong());
                assertThat(m.path("arrivesAt").asLong()).isGreaterThan(s.path("now").asLong());
                assertThat(m.path("kind").asText()).isIn("AppendEntries", "AppendEntriesReply", "RequestVote", "RequestVoteReply", "InstallSnapshot", "InstallSnapshotReply", "TimeoutNow");
            }
        }
        assertThat(seen).as("messages seen on their way over 300 ms, a millisecond at a time").isPositive();
        JsonNode replay = JSON.readTree(get("/api/demos/" + id + "/replay").body());
        assertThat(replay.path("actions")).as("the 301 steps recorded as steps of at most 10 s").hasSize(1);
    }

    @Test
    void theElectionDemoPartitionsByChosenSidesAndLosesOrHoldsBackOneMessage() throws Exception {
        assumeReferenceClasses();
        String id = JSON.readTree(post("/api/demos", "{\"seed\": 5}").body()).path("id").asText();
        act(id, "step", 2_000);
        JsonNode s = null;
        for (int ms = 0; ms < 300; ms++) {
            s = act(id, "step", 1);
            if (s.path("messages").size() >= 2) break;
        }
        JsonNode lost = s.path("messages").get(0), held = s.path("messages").get(1);
        assertThat(post("/api/demos/" + id + "/actions", "{\"kind\": \"delay\", \"arg\": " + held.path("id").asLong() + "}").statusCode()).isEqualTo(200);
        s = JSON.readTree(post("/api/demos/" + id + "/actions", "{\"kind\": \"drop\", \"arg\": " + lost.path("id").asLong() + "}").body());
        assertThat(s.path("messages").findValues("id")).extracting(JsonNode::asLong).doesNotContain(lost.path("id").asLong());
        JsonNode later = null;
        for (JsonNode m : s.path("messages")) if (m.path("id").asLong() == held.path("id").asLong()) later = m;
        assertThat(later).as("the held message, still on its way").isNotNull();
        assertThat(later.path("arrivesAt").asLong()).isEqualTo(held.path("arrivesAt").asLong() + ElectionDemo.DELAY_MS);
        assertThat(post("/api/demos/" + id + "/actions", "{\"kind\": \"drop\", \"arg\": " + lost.path("id").asLong() + "}").statusCode()).as("lost already").isEqualTo(400);
        s = JSON.readTree(post("/api/demos/" + id + "/actions", "{\"kind\": \"partition\", \"key\": \"1,2\"}").body());
        assertThat(s.path("nodes").get(0).path("cutFrom").toString()).isEqualTo("[3,4,5]");
        assertThat(s.path("nodes").get(3).path("cutFrom").toString()).isEqualTo("[1,2]");
        for (String bad : new String[] {"1,2,3,4,5", "", "x", "6"})
            assertThat(post("/api/demos/" + id + "/actions", "{\"kind\": \"partition\", \"key\": \"" + bad + "\"}").statusCode()).as("side %s", bad).isEqualTo(400);
        act(id, "step", 3_000);
        JsonNode replay = JSON.readTree(get("/api/demos/" + id + "/replay").body());
        JsonNode again = JSON.readTree(post("/api/demos", replay.toString()).body()).path("state");
        assertThat(again).as("the seed and the actions replay the demo, the lost and held messages too").isEqualTo(JSON.readTree(get("/api/demos/" + id).body()));
    }
}
