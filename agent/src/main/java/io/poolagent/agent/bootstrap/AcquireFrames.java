package io.poolagent.agent.bootstrap;

/**
 * One thread's open getConnection calls, innermost last: one bit per nesting level says whether that
 * call counts (made on a DataSource, or a static factory). Woven code keeps nothing in local
 * variables, so this is how a call's exit, normal or exceptional, knows what its entry decided.
 * Calls nested deeper than 63 levels are never counted (no source nests anywhere near that).
 */
final class AcquireFrames {
  private static final int MAX_LEVELS = 63;

  private int depth;
  /** Bit n set: the call at nesting level n counts. */
  private long counting;

  /** The call site an application call just announced, not yet taken by a getConnection. */
  private int announcedSite;
  /** The call site of the thread's outermost open getConnection; 0 when unknown. */
  private int borrowSite;

  /** A marked call site is about to call getConnection. */
  void announce(int site) {
    announcedSite = site;
  }

  /**
   * Starts a call. Every getConnection takes the announced site, so a mark never outlives its call;
   * only the outermost one keeps it as the borrow's site.
   */
  void push(boolean counts) {
    int site = announcedSite;
    announcedSite = 0;
    if (depth == 0) {
      borrowSite = site;
    }
    int level = depth++;
    if (counts && level < MAX_LEVELS) {
      counting |= 1L << level;
    }
  }

  /** The call site of the borrow being recorded (valid until the next outermost call starts). */
  int borrowSite() {
    return borrowSite;
  }

  /**
   * Ends the innermost call.
   *
   * @return true when it counted and no outer call counts: the borrow is this call's to record
   */
  boolean popOutermost() {
    if (depth == 0) {
      return false; // entered before the agent was installed: nothing to undo
    }
    int level = --depth;
    if (level >= MAX_LEVELS) {
      return false;
    }
    long bit = 1L << level;
    if ((counting & bit) == 0) {
      return false;
    }
    counting &= ~bit;
    return counting == 0;
  }
}
