package minietcd.tutorial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The tutorial in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver};
 * skipped where they are not installed, CI installs them): every chapter opens, shows its title and
 * menu, and is saved as a screenshot ({@code target/screenshots}) that is not blank; chapter 2's demo
 * draws five nodes, elects a leader when played, and another in a higher term when the leader is
 * killed; no page logs an error to the console.
 */
class TutorialInChromiumTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium"), DRIVER = Path.of("/usr/bin/chromedriver");
    private static TutorialServer server;
    private static ChromeDriver browser;

    private static Path dir;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER), "chromium and chromium-driver are not installed");
        dir = Files.createTempDirectory("tutorial-browser-test");
        server = TutorialServerTest.server(dir).start("127.0.0.1", 0);
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1200,900");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).build(), options);
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.quit();
        if (server != null) server.close();
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    private static void noConsoleErrors(String page) {
        List<LogEntry> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream().filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
        assertThat(errors).as("console errors on %s", page).isEmpty();
    }

    @Test
    void everyChapterOpensWithItsTitleAndIsNotBlank() throws Exception {
        Path shots = Files.createDirectories(Path.of("target/screenshots"));
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(1200, 2000)); // the whole chapter, its demo drawn
        for (Chapters.Chapter c : Chapters.ALL) {
            browser.get(url(c.path()));
            new WebDriverWait(browser, Duration.ofSeconds(60)).until(d -> d.findElement(By.cssSelector(".demo .status")).getText().startsWith("t = ")); // its first state drawn
            assertThat(browser.findElement(By.tagName("h1")).getText()).as("chapter %d's title", c.number()).isEqualTo(c.number() + ". " + c.title());
            assertThat(browser.findElements(By.cssSelector("nav a"))).as("chapter %d's menu", c.number()).hasSize(Chapters.ALL.size() + 2);
            byte[] png = browser.getScreenshotAs(OutputType.BYTES);
            Files.write(shots.resolve("chapter-" + c.number() + ".png"), png);
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
            long colours = java.util.stream.IntStream.range(0, 200).map(i -> image.getRGB(i * image.getWidth() / 200, i * image.getHeight() / 200)).distinct().count();
            assertThat(colours).as("distinct colours along chapter %d's screenshot's diagonal (a blank page has 1)", c.number()).isGreaterThan(2);
            noConsoleErrors(c.path());
        }
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(1200, 900));
    }

    /** Each drawn node's role and term and its entries' terms (filled or not), in one string; null while nothing is drawn. */
    private static String drawnNodes(org.openqa.selenium.WebDriver d) {
        Object n = ((org.openqa.selenium.JavascriptExecutor) d).executeScript("return Array.from(document.querySelectorAll('#election-view g.node'))"
                + ".map(g => g.getAttribute('data-id') + ':' + g.getAttribute('data-role') + ':' + g.getAttribute('data-term') + ':'"
                + " + Array.from(g.querySelectorAll('rect.entry')).map(r => r.getAttribute('data-index') + '/' + r.getAttribute('data-term') + '/' + r.getAttribute('fill')).join(',')).join(' ');");
        String s = String.valueOf(n);
        return s.isBlank() ? null : s;
    }

    /** The drawn leader of a term at least {@code minTerm}, as {id, term}; null if none is drawn now (or the view is being redrawn). */
    private static String[] leader(org.openqa.selenium.WebDriver d, long minTerm) {
        try {
            for (WebElement e : d.findElements(By.cssSelector("#election-view g.node[data-role=LEADER]"))) {
                String id = e.getAttribute("data-id"), term = e.getAttribute("data-term");
                if (Long.parseLong(term) >= minTerm) return new String[] {id, term};
            }
        } catch (org.openqa.selenium.StaleElementReferenceException redrawn) {
            // the next frame replaced it: look again
        }
        return null;
    }

    @Test
    void theLearnersUntouchedLabsAreSaidNotDoneYet() {
        TutorialServerTest.assumeReferenceClasses(); // the page starts on the reference's classes
        browser.get(url("/chapters/2"));
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        wait.until(d -> d.findElements(By.cssSelector("#election-view g.node")).size() == 5);
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("election-code"))).selectByValue("yours");
        wait.until(d -> d.findElement(By.id("election-status")).getText().contains("not done yet"));
        assertThat(browser.findElement(By.id("election-status")).getText()).contains("TODO(lab 1");
        List<LogEntry> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream().filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
        assertThat(errors).as("the console's errors: the browser logs the 409 that says so, and nothing else")
                .allSatisfy(e -> assertThat(e.getMessage()).contains("/api/demos", "409"));
    }

    @Test
    void chapterOnesLogFillsAPutInOnceAMajorityHoldsIt() {
        TutorialServerTest.assumeReferenceClasses();
        browser.get(url("/chapters/1"));
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        wait.until(d -> d.findElements(By.cssSelector("#election-view g.node")).size() == 5);
        browser.findElement(By.cssSelector("button[data-do=play]")).click();
        wait.until(d -> leader(d, 0));
        browser.findElement(By.cssSelector("button[data-do=put]")).click();
        wait.until(d -> committedEverywhere(d) >= 3);
        wait.until(d -> !d.findElements(By.cssSelector("ul.tries li[data-step=committed].passed")).isEmpty());
        browser.findElement(By.cssSelector("button[data-do=pause]")).click();
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("election-speed"))).selectByValue("1");
        WebElement step = browser.findElement(By.cssSelector("button[data-do=step]"));
        new WebDriverWait(browser, Duration.ofSeconds(60)).pollingEvery(Duration.ofMillis(20)).until(d -> { // a millisecond a click: the leader's heartbeats are seen on their way within its 100 ms
            if (!d.findElements(By.cssSelector("#election-view circle.message")).isEmpty()) return true;
            step.click();
            return false;
        });
        noConsoleErrors("/chapters/1");
    }

    /** How many nodes draw a committed (filled) entry, counted in the page in one go (the view is redrawn every frame). */
    private static long committedEverywhere(org.openqa.selenium.WebDriver d) {
        Object n = ((org.openqa.selenium.JavascriptExecutor) d).executeScript("return Array.from(document.querySelectorAll('#election-view g.node'))"
                + ".filter(g => Array.from(g.querySelectorAll('rect.entry')).some(r => r.getAttribute('fill') !== '#ffffff')).length;");
        return ((Number) n).longValue();
    }

    @Test
    void chapterTwosDemoElectsALeaderAndAnotherWhenItIsKilled() {
        TutorialServerTest.assumeReferenceClasses();
        browser.get(url("/chapters/2"));
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        wait.until(d -> d.findElements(By.cssSelector("#election-view g.node")).size() == 5);
        browser.findElement(By.cssSelector("button[data-do=play]")).click();
        String[] first = wait.until(d -> leader(d, 0)); // the view is drawn anew every frame: read it inside the wait
        assertThat(browser.findElement(By.id("election-status")).getText()).contains("leads term");
        browser.findElement(By.cssSelector("button[data-do=kill]")).click();
        wait.until(d -> d.findElements(By.cssSelector("#election-view g.node[data-role=DOWN]")).size() == 1);
        String[] next = wait.until(d -> leader(d, Long.parseLong(first[1]) + 1));
        assertThat(next[0]).as("the new leader (the first was node %s in term %s)", first[0], first[1]).isNotEqualTo(first[0]);
        wait.until(d -> !d.findElements(By.cssSelector("ul.tries li[data-step=new-leader].passed")).isEmpty());
        assertThat(browser.findElements(By.cssSelector("ul.tries li[data-step=step-down].passed"))).as("a step not done is not ticked").isEmpty();
        wait.until(d -> new minietcd.kit.grader.Progress(dir.resolve("progress")).read().tried().stream()
                .anyMatch(t -> t.chapter() == 2 && t.step().equals("new-leader")));
        browser.findElement(By.cssSelector("input[data-side='1']")).click();
        browser.findElement(By.cssSelector("input[data-side='2']")).click();
        browser.findElement(By.cssSelector("button[data-do=partition]")).click();
        wait.until(d -> ((Number) ((org.openqa.selenium.JavascriptExecutor) d).executeScript( // two sides drawn: every live node cut off from the other side
                "return Array.from(document.querySelectorAll('#election-view g.node:not([data-role=DOWN]) circle')).filter(c => c.getAttribute('stroke-dasharray')).length;")).intValue() >= 4);
        browser.findElement(By.cssSelector("button[data-do=pause]")).click();
        browser.findElement(By.cssSelector("button[data-do=link]")).click();
        String link = wait.until(d -> d.findElement(By.id("election-status")).getText().contains("replays the run") ? d.getCurrentUrl() : null);
        String drawn = wait.until(d -> drawnNodes(d));
        assertThat(link).contains("#replay=");
        browser.get("about:blank");
        browser.get(link); // a learner opening the link they were sent
        wait.until(d -> drawn.equals(drawnNodes(d)));
        noConsoleErrors("/chapters/2 opened from its link");
        browser.get(url("/"));
        assertThat(browser.findElement(By.cssSelector("li[data-chapter='2']")).getText()).contains("read").contains("tried");
        noConsoleErrors("/chapters/2");
    }

    @Test
    void aFailingTraceOpensAsALamportDiagramWithTheFailureMarkedAndSteps() throws Exception {
        TutorialServerTest.assumeReferenceClasses();
        String name = TutorialServerTest.failingTrace(dir);
        browser.get(url("/traces"));
        browser.findElement(By.linkText(name)).click();
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        wait.until(d -> !d.findElements(By.cssSelector("#trace-view g.event.failure")).isEmpty());
        WebElement failure = browser.findElement(By.cssSelector("#trace-view g.event.failure"));
        assertThat(failure.getAttribute("class")).as("the viewer opens on the failing event").contains("current");
        assertThat(failure.getText()).contains("the first leader leads forever");
        assertThat(browser.findElements(By.cssSelector("#trace-view line.arrow")).size()).as("message arrows").isGreaterThan(10);
        assertThat(browser.findElement(By.id("trace-states")).getText()).contains("node 1").contains("term=");
        browser.findElement(By.cssSelector("button[data-do='first']")).click();
        String at = browser.findElement(By.id("trace-position")).getText();
        browser.findElement(By.cssSelector("button[data-do='next']")).click();
        assertThat(browser.findElement(By.id("trace-position")).getText()).as("Next moves one event on").isNotEqualTo(at);
        int withoutTicks = browser.findElements(By.cssSelector("#trace-view g.event")).size();
        browser.findElement(By.id("trace-ticks")).click();
        assertThat(browser.findElements(By.cssSelector("#trace-view g.event")).size()).as("ticks drawn only when asked for").isGreaterThan(withoutTicks);
        Files.write(Files.createDirectories(Path.of("target/screenshots")).resolve("trace-viewer.png"), browser.getScreenshotAs(OutputType.BYTES));
        noConsoleErrors("/traces/" + name);
    }

    private static void type(String field, String text) {
        WebElement e = browser.findElement(By.id("store-" + field));
        e.clear();
        e.sendKeys(text);
    }

    @Test
    void theStoreDemoDrawsRevisionsGenerationsAndAWatchersEvents() {
        TutorialServerTest.assumeStoreReferenceClasses();
        browser.get(url("/chapters/3"));
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        wait.until(d -> d.findElements(By.cssSelector("#store-view g.member[data-role=LEADER]")).size() == 1);
        type("key", "pods/a");
        browser.findElement(By.cssSelector("button[data-do=put]")).click();
        browser.findElement(By.cssSelector("button[data-do=put]")).click();
        type("key", "pods/b");
        browser.findElement(By.cssSelector("button[data-do=put]")).click();
        type("key", "pods/a");
        browser.findElement(By.cssSelector("button[data-do=delete]")).click();
        browser.findElement(By.cssSelector("button[data-do=put]")).click();
        wait.until(d -> d.findElements(By.cssSelector("#store-view g.revision")).size() >= 5);
        wait.until(d -> !d.findElements(By.cssSelector("#store-keys tr[data-key='pods/a'][data-generations='2']")).isEmpty());
        wait.until(d -> !d.findElements(By.cssSelector("ul.tries li[data-step=revisions].passed")).isEmpty());
        wait.until(d -> !d.findElements(By.cssSelector("ul.tries li[data-step=generation].passed")).isEmpty());
        noConsoleErrors("/chapters/3");

        browser.get(url("/chapters/4"));
        wait.until(d -> d.findElements(By.cssSelector("#store-view g.member[data-role=LEADER]")).size() == 1);
        type("key", "pods/c");
        browser.findElement(By.cssSelector("button[data-do=watch]")).click();
        browser.findElement(By.cssSelector("button[data-do=put]")).click();
        wait.until(d -> !d.findElements(By.cssSelector("#store-watchers li[data-events='1']")).isEmpty());
        wait.until(d -> !d.findElements(By.cssSelector("ul.tries li[data-step=watch-live].passed")).isEmpty());
        try {
            ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("document.getElementById('store-demo').scrollIntoView()");
            Files.write(Files.createDirectories(Path.of("target/screenshots")).resolve("chapter-4-store-demo.png"), browser.getScreenshotAs(OutputType.BYTES));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        noConsoleErrors("/chapters/4");
    }

    @Test
    void theControlPlaneDemoBindsAPodAndMakesAReplicaSetsPods() {
        TutorialServerTest.assumeControlPlaneReferenceClasses();
        browser.get(url("/chapters/0"));
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        wait.until(d -> d.findElements(By.cssSelector("#controlplane-view g.node")).size() == 3);
        browser.findElement(By.cssSelector("button[data-do=pod]")).click();
        wait.until(d -> d.findElement(By.id("controlplane-keys")).getText().contains("/registry/pods/default/hello"));
        browser.findElement(By.cssSelector("button[data-do=replicaset]")).click();
        browser.findElement(By.cssSelector("button[data-do=play]")).click();
        wait.until(d -> !d.findElements(By.cssSelector("#controlplane-view g.node g.pod[data-name=hello][data-phase=Running]")).isEmpty());
        wait.until(d -> !d.findElements(By.cssSelector("#controlplane-view text.replicaset[data-ready='3']")).isEmpty());
        wait.until(d -> !d.findElements(By.cssSelector("ul.tries li[data-step=bound].passed")).isEmpty());
        assertThat(browser.findElements(By.cssSelector("ul.tries li[data-step=pod-key].passed"))).isNotEmpty();
        try {
            ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("document.getElementById('controlplane-demo').scrollIntoView()");
            Files.write(Files.createDirectories(Path.of("target/screenshots")).resolve("chapter-0-control-plane-demo.png"), browser.getScreenshotAs(OutputType.BYTES));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        noConsoleErrors("/chapters/0");
    }
}
