package minietcd.kit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The {@code kvctl} command of the kit's command line: what {@code ./jbang kvctl ...} hands to the client. */
class KitCliTest {

    @Test
    void kvctlGetsEveryArgumentAfterItsNameAsIs() {
        String[] rest = {"--endpoints=http://127.0.0.1:1", "put", "@not-a-file", "--prev-kv", "-h", "--", "-v"};
        String[] all = new String[rest.length + 1];
        all[0] = "kvctl";
        System.arraycopy(rest, 0, all, 1, rest.length);
        CommandLine.ParseResult parsed = KitCli.commandLine().parseArgs(all);
        StoreCommands.KvctlCommand kvctl = (StoreCommands.KvctlCommand) parsed.subcommand().commandSpec().userObject();
        assertThat(kvctl.args).containsExactly(rest);
    }

    @Test
    void kvctlReturnsTheClientsExitCode() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        assertThat(KitCli.commandLine().execute("kvctl", "--endpoints=http://127.0.0.1:" + closed, "get", "k")).isEqualTo(1);
        assertThat(KitCli.commandLine().execute("kvctl", "get")).isEqualTo(2);
        assertThat(KitCli.commandLine().execute("kvctl", "--help")).isZero();
    }
}
