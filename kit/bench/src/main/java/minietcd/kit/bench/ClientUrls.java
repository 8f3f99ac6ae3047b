package minietcd.kit.bench;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reading a cluster command's output for its members' client URLs, and filling in its argv template.
 *
 * <p>Two forms of line are understood: {@code ./jbang cluster}'s {@code member 1 client
 * http://127.0.0.1:PORT peer http://127.0.0.1:PORT data DIR}, where the URL after the word
 * {@code client} is the one (not the peer's), and the one-member server's {@code etcd gateway on
 * http://127.0.0.1:PORT}.
 */
final class ClientUrls {
    private static final Pattern URL_LINE = Pattern.compile("\\b(?:client|gateway on)\\s+(https?://[^\\s/,;]+)");

    private ClientUrls() {}

    /** The client URL a line announces ({@code http://host:port}, no trailing slash), if it announces one. */
    static Optional<URI> parse(String line) {
        Matcher m = URL_LINE.matcher(line);
        if (!m.find()) return Optional.empty();
        try {
            URI uri = URI.create(m.group(1));
            return uri.getHost() != null && uri.getPort() > 0 ? Optional.of(uri) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * The command line with every {@code {name}} of {@code values} replaced, inside any argument
     * ({@code --members={members}} works too). Braces naming nothing in {@code values} stay as they are.
     */
    static List<String> expand(List<String> template, Map<String, String> values) {
        List<String> out = new ArrayList<>(template.size());
        for (String arg : template) {
            String a = arg;
            for (Map.Entry<String, String> e : values.entrySet()) a = a.replace("{" + e.getKey() + "}", e.getValue());
            out.add(a);
        }
        return out;
    }
}
