package minietcd.kit.kvctl;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * etcdctl's txn script, as {@code etcdctl txn} reads it from stdin, turned into a
 * {@code kv/txn} request. Three parts, each ended by a blank line (or the end of input):
 *
 * <ol>
 *   <li>compares, one a line: {@code target("key") op "value"}, where the target is
 *       {@code ver|version}, {@code c|create}, {@code m|mod}, {@code val|value} or {@code lease}
 *       (the value then a hexadecimal lease id), and the op is {@code =}, {@code !=}, {@code <} or
 *       {@code >}; the strings are Go-quoted (so {@code \n}, {@code \"} and {@code \xff} work);</li>
 *   <li>the requests to run when every compare holds: {@code put}, {@code get} or {@code del}
 *       command lines with the same arguments and flags as the commands themselves (words may be
 *       double-quoted, Go style, or single-quoted, taken as they are);</li>
 *   <li>the requests to run otherwise.</li>
 * </ol>
 *
 * A line that cannot be read fails the whole command with {@link Failure.BadInput} (exit 3, as
 * etcdctl's "invalid input"), naming the line; nothing is sent.
 */
final class TxnScript {
    private static final String QUOTED = "\"(?:[^\"\\\\]|\\\\.)*\"";
    private static final Pattern COMPARE = Pattern.compile("(\\w+)\\(\\s*(" + QUOTED + ")\\s*\\)\\s*(=|!=|<|>)\\s*(" + QUOTED + ")");
    private static final Map<String, String> RESULTS = Map.of("=", "EQUAL", "!=", "NOT_EQUAL", "<", "LESS", ">", "GREATER");

    private TxnScript() {}

    /** The picocli frame for one request line: its subcommands are the commands themselves. */
    @Command(name = "txn-request", subcommands = {KvCommands.Put.class, KvCommands.Get.class, KvCommands.Del.class})
    static final class Requests {}

    /**
     * Reads the whole script.
     *
     * @param prompts where to print etcdctl's prompts before each part, or null for none
     */
    static ObjectNode read(BufferedReader in, PrintStream prompts) {
        ObjectNode txn = KvCommands.request();
        prompt(prompts, "compares:");
        ArrayNode compares = Gateway.JSON.createArrayNode();
        for (String line : part(in)) compares.add(compare(line));
        prompt(prompts, "success requests (get, put, del):");
        ArrayNode success = Gateway.JSON.createArrayNode();
        for (String line : part(in)) success.add(request(line));
        prompt(prompts, "failure requests (get, put, del):");
        ArrayNode failure = Gateway.JSON.createArrayNode();
        for (String line : part(in)) failure.add(request(line));
        if (!compares.isEmpty()) txn.set("compare", compares);
        if (!success.isEmpty()) txn.set("success", success);
        if (!failure.isEmpty()) txn.set("failure", failure);
        return txn;
    }

    /** One compare line as a {@code Compare} message. */
    static ObjectNode compare(String line) {
        Matcher m = COMPARE.matcher(line.strip());
        if (!m.matches()) throw new Failure.BadInput("malformed comparison: " + line).raise();
        String target = m.group(1);
        byte[] key = unquote(m.group(2), line);
        byte[] value = unquote(m.group(4), line);
        ObjectNode c = KvCommands.request().put("result", RESULTS.get(m.group(3)));
        try {
            switch (target) {
                case "ver", "version" -> c.put("target", "VERSION").put("version", number(value));
                case "c", "create" -> c.put("target", "CREATE").put("create_revision", number(value));
                case "m", "mod" -> c.put("target", "MOD").put("mod_revision", number(value));
                case "val", "value" -> c.put("target", "VALUE").put("value", Gateway.base64(value));
                case "lease" -> c.put("target", "LEASE").put("lease", String.valueOf(LeaseCommands.parseId(new String(value, StandardCharsets.UTF_8))));
                default -> throw new Failure.BadInput("malformed comparison: " + line + " (unknown target " + target + ")").raise();
            }
        } catch (IllegalArgumentException e) {
            throw new Failure.BadInput("invalid txn compare request: " + line).raise();
        }
        return c.put("key", Gateway.base64(key));
    }

    /** One request line ({@code put k v}, {@code get k --prefix}, {@code del k}) as a {@code RequestOp} message. */
    static ObjectNode request(String line) {
        List<String> words = words(line);
        if (words.size() < 2) throw new Failure.BadInput("invalid txn request: " + line).raise();
        CommandLine frame = new CommandLine(new Requests()).setExpandAtFiles(false);
        try {
            CommandLine.ParseResult parsed = frame.parseArgs(words.toArray(String[]::new));
            if (!parsed.hasSubcommand() || parsed.subcommand().isUsageHelpRequested()) throw new IllegalArgumentException("not a request");
            Object command = parsed.subcommand().commandSpec().userObject();
            ObjectNode op = KvCommands.request();
            if (command instanceof KvCommands.Put p) op.set("request_put", p.request(null));
            else if (command instanceof KvCommands.Get g) op.set("request_range", g.request());
            else if (command instanceof KvCommands.Del d) op.set("request_delete_range", d.request());
            else throw new IllegalArgumentException("not a request");
            return op;
        } catch (CommandLine.ParameterException | IllegalArgumentException e) {
            throw new Failure.BadInput("invalid txn request: " + line).raise();
        }
    }

    /**
     * A request line's words: split at white space; a word in double quotes is read as a Go string
     * literal, one in single quotes is taken as it is.
     */
    static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        int i = 0, n = line.length();
        while (i < n) {
            char c = line.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '"' || c == '\'') {
                int end = i + 1;
                while (end < n && line.charAt(end) != c) end += (c == '"' && line.charAt(end) == '\\') ? 2 : 1;
                if (end >= n) throw new Failure.BadInput("invalid txn request: " + line + " (unterminated quote)").raise();
                String quoted = line.substring(i, end + 1);
                words.add(c == '"' ? new String(unquote(quoted, line), StandardCharsets.UTF_8) : quoted.substring(1, quoted.length() - 1));
                i = end + 1;
            } else {
                int end = i;
                while (end < n && !Character.isWhitespace(line.charAt(end))) end++;
                words.add(line.substring(i, end));
                i = end;
            }
        }
        return words;
    }

    /** The bytes a double-quoted Go string literal stands for. */
    static byte[] unquote(String quoted, String line) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String s = quoted.substring(1, quoted.length() - 1);
        try {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c != '\\') {
                    int end = Character.isHighSurrogate(c) && i + 1 < s.length() ? i + 2 : i + 1;
                    out.writeBytes(s.substring(i, end).getBytes(StandardCharsets.UTF_8));
                    i = end - 1;
                    continue;
                }
                char e = s.charAt(++i);
                switch (e) {
                    case 'n' -> out.write('\n');
                    case 't' -> out.write('\t');
                    case 'r' -> out.write('\r');
                    case 'a' -> out.write(7);
                    case 'b' -> out.write('\b');
                    case 'f' -> out.write('\f');
                    case 'v' -> out.write(11);
                    case '\\', '"', '\'' -> out.write(e);
                    case 'x' -> { out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16)); i += 2; }
                    case 'u' -> { out.writeBytes(Character.toString(Integer.parseInt(s.substring(i + 1, i + 5), 16)).getBytes(StandardCharsets.UTF_8)); i += 4; }
                    case 'U' -> { out.writeBytes(Character.toString(Integer.parseInt(s.substring(i + 1, i + 9), 16)).getBytes(StandardCharsets.UTF_8)); i += 8; }
                    default -> {
                        if (e < '0' || e > '7') throw new IllegalArgumentException("unknown escape");
                        out.write(Integer.parseInt(s.substring(i, i + 3), 8));
                        i += 2;
                    }
                }
            }
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new Failure.BadInput("invalid quoted string " + quoted + " in: " + line).raise();
        }
        return out.toByteArray();
    }

    /** The lines of one part: up to a blank line or the end of input. */
    private static List<String> part(BufferedReader in) {
        List<String> lines = new ArrayList<>();
        try {
            for (String line; (line = in.readLine()) != null && !line.isBlank(); ) lines.add(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lines;
    }

    private static String number(byte[] value) {
        return String.valueOf(Long.parseLong(new String(value, StandardCharsets.UTF_8)));
    }

    private static void prompt(PrintStream prompts, String text) {
        if (prompts != null) {
            prompts.println(text);
            prompts.flush();
        }
    }
}
