package minietcd.kit.server;

import minietcd.kit.etcd.Header;

/**
 * Who answers: the ids and term a member reports in every response header (uint64 values,
 * printed unsigned). May be asked from any thread.
 */
interface Member {
    /** A lone member's fixed ids, the project's own (etcd derives its ids from member names and URLs), so answers are reproducible. */
    Member SINGLE = new Fixed(0x6d696e6965746364L /* "minietcd" */, 0x73696e676c65L /* "single" */, 1);

    long clusterId();

    long memberId();

    long raftTerm();

    default Header header(long revision) {
        return new Header(clusterId(), memberId(), revision, raftTerm());
    }

    /** A member whose term never changes: a single member elects itself once. */
    record Fixed(long clusterId, long memberId, long raftTerm) implements Member {}
}
