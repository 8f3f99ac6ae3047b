package minietcd.kit.replica;

import minietcd.kit.etcd.GatewayRpc;
import minietcd.kit.etcd.RequestJson;
import minietcd.kit.mvcc.EtcdException;
import minietcd.kit.node.Message;
import minietcd.kit.raft.Entry;
import minietcd.kit.raft.RaftMessage;
import minietcd.kit.raft.RaftNode;

/**
 * What a member refuses from a peer because no correct member could have sent it: the peer port is
 * authenticated, so these guard against a member whose code is wrong (or a message that was
 * forged all the same) rather than against strangers. A refused message is dropped and reported; it
 * is never obeyed, and never allowed to stop the member. Pure: it only reads the member's state.
 *
 * <ul>
 *   <li>a sender that is not a member, or a message that names another sender than the one it came from;</li>
 *   <li>an AppendEntries of this member's own term from a second leader of that term, or to the
 *       leader of that term (Election Safety allows one leader per term);</li>
 *   <li>an AppendEntries of this member's term or later whose entries contradict what this member
 *       knows is committed (Leader Completeness: that leader's log holds every committed entry);</li>
 *   <li>a forwarded write that is not a well-formed write request of the forwarding member's own.</li>
 * </ul>
 */
final class PeerChecks {
    private PeerChecks() {}

    /** Why {@code m} from {@code from} cannot come from a correct member, or null if it can. */
    static String implausible(RaftNode raft, java.util.List<Integer> members, int self, int from, Message m) {
        if (from == self || !members.contains(from)) return "sender " + from + " is not a peer of member " + self;
        if (m instanceof RaftMessage.RequestVote v && v.candidate() != from) return "a vote request naming candidate " + v.candidate();
        if (m instanceof RaftMessage.InstallSnapshot s && s.leader() != from) return "a snapshot naming leader " + s.leader();
        if (m instanceof RaftMessage.AppendEntries a) return appendEntries(raft, from, a);
        if (m instanceof StoreMessage.Forward f) return forward(from, f);
        return null;
    }

    private static String appendEntries(RaftNode raft, int from, RaftMessage.AppendEntries a) {
        if (a.leader() != from) return "entries naming leader " + a.leader();
        long term = raft.state().term;
        if (a.term() < term) return null; // stale: Raft itself refuses it
        if (a.term() == term) {
            if (raft.isLeader()) return "entries from a second leader of term " + term;
            int leader = raft.state().leader;
            if (leader != 0 && leader != from) return "entries from a second leader of term " + term + " (member " + leader + " leads it)";
        }
        long committed = raft.state().commitIndex, first = raft.log().snapshot().index();
        for (Entry e : a.entries()) {
            if (e.index() > committed) break;
            if (e.index() > first && raft.log().term(e.index()) != e.term())
                return "entry " + e.index() + " of term " + e.term() + " contradicts the committed entry of term " + raft.log().term(e.index());
        }
        return null;
    }

    private static String forward(int from, StoreMessage.Forward f) {
        Command c;
        try {
            c = Command.decode(f.command(), GatewayRpc.MAX_REQUEST_BYTES);
        } catch (EtcdException e) {
            return "a forwarded write that its proposer should have refused: " + e.getMessage();
        } catch (RuntimeException e) {
            return "a forwarded write that is not a command: " + e.getMessage();
        }
        if (c.proposer() != from) return "a write forwarded for member " + c.proposer();
        if (c.request().isRead()) return "a forwarded read, " + RequestJson.path(c.request());
        return null;
    }
}
