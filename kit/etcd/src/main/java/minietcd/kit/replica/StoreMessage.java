package minietcd.kit.replica;

import minietcd.kit.node.Message;

/**
 * What members of the replicated store say to each other besides Raft: a follower hands a
 * client's write to the leader, and asks the leader for a read index so it can serve a
 * linearizable read itself.
 */
public sealed interface StoreMessage extends Message {
    /** A follower's client write, for the leader to propose as it is. */
    record Forward(String command) implements StoreMessage {}

    /** A follower asks the leader to confirm its leadership and name the index a read must wait for. */
    record ReadIndexAsk(long readId) implements StoreMessage {}

    /** The leader's answer: with ok, the read may be served once the asker has applied {@code index}. */
    record ReadIndexAnswer(long readId, long index, boolean ok) implements StoreMessage {}
}
