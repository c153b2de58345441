package dev.vitrine.csp;

/** What a directive's value is made of; decides which builder method and parser rule apply. */
enum ValueKind {
  /** A source list: keywords, schemes, hosts, nonces, hashes. */
  SOURCES,
  /**
   * frame-ancestors' restricted source list: only {@code 'self'}, {@code 'none'}, schemes and
   * hosts. Browsers drop anything else there, so accepting it would hide a mistake.
   */
  ANCESTOR_SOURCES,
  /** sandbox: zero or more {@link SandboxFlag} tokens. */
  SANDBOX_FLAGS,
  /** report-uri: one or more URI references. */
  REPORT_URIS,
  /** report-to: exactly one reporting group name. */
  REPORT_GROUP,
  /** upgrade-insecure-requests: no value at all. */
  NO_VALUE,
  /** require-trusted-types-for: sink groups, today only {@code 'script'}. */
  SINK_GROUPS,
  /** trusted-types: policy names, {@code 'none'}, {@code 'allow-duplicates'} or {@code *}. */
  POLICY_NAMES;

  boolean isSourceList() {
    return this == SOURCES || this == ANCESTOR_SOURCES;
  }

  boolean isTokenList() {
    return this == REPORT_URIS || this == REPORT_GROUP || this == SINK_GROUPS || this == POLICY_NAMES;
  }
}
