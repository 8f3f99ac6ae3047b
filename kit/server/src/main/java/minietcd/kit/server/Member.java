package minietcd.kit.server;

import minietcd.kit.etcd.Header;

/**
 * Who answers: the ids this one-member cluster reports in every response header. They are the
 * project's own (etcd derives its ids from member names and URLs), fixed so answers are reproducible.
 * The term stays 1: a single member elects itself once.
 */
record Member(long clusterId, long memberId, long raftTerm) {
    static final Member DEFAULT = new Member(0x6d696e6965746364L /* "minietcd" */, 0x73696e676c65L /* "single" */, 1);

    Header header(long revision) {
        return new Header(clusterId, memberId, revision, raftTerm);
    }
}
