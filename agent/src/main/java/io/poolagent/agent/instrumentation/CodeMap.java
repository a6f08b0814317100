package io.poolagent.agent.instrumentation;

import java.util.Arrays;

/**
 * Where the original code's offsets land once code is inserted: a prefix at the start of the method,
 * and the same sequence before each of some instructions (the returns). Every inserted length is a
 * multiple of four, so switch padding and therefore every instruction's length stay as they were.
 */
final class CodeMap {
  private final int prefix;
  private final int perExit;
  /** Offsets of the instructions that get the per-exit sequence, ascending. */
  private final int[] exits;
  private final int codeLength;

  CodeMap(int prefix, int perExit, int[] exits, int codeLength) {
    if (prefix % 4 != 0 || perExit % 4 != 0) {
      throw new IllegalArgumentException("insertions must keep four-byte alignment");
    }
    this.prefix = prefix;
    this.perExit = perExit;
    this.exits = exits;
    this.codeLength = codeLength;
  }

  /**
   * Where a jump, an exception range or a frame at {@code old} lands: the start of what was inserted
   * before the instruction there, except at 0, where the prefix runs once and a jump back to the
   * method's first instruction lands after it.
   */
  int target(int old) {
    if (old == 0) {
      return prefix;
    }
    return old + prefix + perExit * exitsBefore(old);
  }

  /** Where the instruction at {@code old} itself lands. */
  int instruction(int old) {
    int moved = target(old);
    return old != 0 && isExit(old) ? moved + perExit : moved;
  }

  /** The length of the moved code, before anything appended after it. */
  int newLength() {
    return codeLength + prefix + perExit * exits.length;
  }

  private boolean isExit(int old) {
    return Arrays.binarySearch(exits, old) >= 0;
  }

  /** The number of exits at offsets below {@code old}. */
  private int exitsBefore(int old) {
    int found = Arrays.binarySearch(exits, old);
    return found >= 0 ? found : -found - 1;
  }
}
