package minietcd.kit.raft;

/** What a node is doing in its current term. */
public enum Role { FOLLOWER, PRE_CANDIDATE, CANDIDATE, LEADER }
