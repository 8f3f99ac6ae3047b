package minietcd.kit.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link WatchBody} cuts a body into its JSON values wherever the bytes happen to be split: every
 * split of these bodies gives the same values, each out as soon as its last byte is in.
 */
class WatchBodyTest {
    private static final String CREATE = "{\"create_request\":{\"key\":\"Zm9v\"}}";
    private static final String TRICKY = "{\"a\":\"} ] { [ \\\" \\\\\",\"b\":[1,{\"c\":\"}\"}]}";

    @Test
    void everySplitOfABodyGivesTheSameValues() {
        String body = " " + CREATE + "\n\t" + TRICKY + "[1,2]\"str\\\"ing\" 12 true null" + CREATE;
        List<String> expected = List.of(CREATE, TRICKY, "[1,2]", "\"str\\\"ing\"", "12", "true", "null", CREATE);
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        for (int cut = 0; cut <= b.length; cut++) {
            for (int cut2 = cut; cut2 <= b.length; cut2 += 7) {
                WatchBody w = new WatchBody();
                List<String> got = new ArrayList<>(w.feed(b, 0, cut));
                got.addAll(w.feed(b, cut, cut2 - cut));
                got.addAll(w.feed(b, cut2, b.length - cut2));
                String rest = w.end();
                if (rest != null) got.add(rest);
                assertThat(got).as("the body cut at %d and %d", cut, cut2).isEqualTo(expected);
            }
        }
    }

    @Test
    void anObjectComesOutWithItsLastByte() {
        WatchBody w = new WatchBody();
        byte[] b = CREATE.getBytes(StandardCharsets.UTF_8);
        assertThat(w.feed(b, 0, b.length - 1)).isEmpty();
        assertThat(w.pending()).as("what is open so far").isEqualTo(CREATE.substring(0, CREATE.length() - 1));
        assertThat(w.feed(b, b.length - 1, 1)).containsExactly(CREATE);
        assertThat(w.pending()).isNull();
        assertThat(w.end()).as("nothing is left open").isNull();
    }

    @Test
    void aNumberOrLiteralEndsAtTheByteThatCannotContinueItOrAtTheEnd() {
        WatchBody w = new WatchBody();
        assertThat(w.feed(bytes("12"), 0, 2)).isEmpty();
        assertThat(w.pending()).as("only an object or array is shown while open").isNull();
        assertThat(w.feed(bytes("3{}"), 0, 3)).containsExactly("123", "{}");
        assertThat(w.feed(bytes("xyz"), 0, 3)).isEmpty();
        assertThat(w.end()).isEqualTo("xyz");
    }

    @Test
    void anUnfinishedValueIsWhatTheBodyEndsWith() {
        WatchBody w = new WatchBody();
        assertThat(w.feed(bytes("{\"create_request\":"), 0, 18)).isEmpty();
        assertThat(w.end()).isEqualTo("{\"create_request\":");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
