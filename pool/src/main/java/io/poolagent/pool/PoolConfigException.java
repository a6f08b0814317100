package io.poolagent.pool;

import java.util.List;

/** Thrown when a configuration is invalid; lists every problem found, one per line. */
public final class PoolConfigException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** Not serialized: the message already carries every problem. */
  private final transient List<String> problems;

  PoolConfigException(List<String> problems) {
    super(text(problems));
    this.problems = List.copyOf(problems);
  }

  /** Each problem, naming the key, the value given (never a secret) and what is allowed. */
  public List<String> problems() {
    return problems == null ? List.of() : problems;
  }

  private static String text(List<String> problems) {
    StringBuilder out = new StringBuilder("invalid pool configuration (")
        .append(problems.size()).append(problems.size() == 1 ? " problem):" : " problems):");
    for (String p : problems) {
      out.append(System.lineSeparator()).append("  - ").append(p);
    }
    return out.toString();
  }
}
