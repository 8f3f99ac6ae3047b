package minietcd.kit.raft;

/** A rule of Raft was broken; the message names the rule first, the way the checkers do. */
public final class RuleViolation extends AssertionError {
    private final String rule;

    public RuleViolation(String rule, String detail) {
        super(rule + ": " + detail);
        this.rule = rule;
    }

    /** The rule's name, such as "Election Safety". */
    public String rule() {
        return rule;
    }
}
