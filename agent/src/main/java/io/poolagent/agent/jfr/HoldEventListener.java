package io.poolagent.agent.jfr;

import io.poolagent.agent.stats.SourceStatsIndex;
import io.poolagent.leak.Borrow;
import io.poolagent.leak.LeakListener;

/**
 * Emits {@code poolagent.ConnectionHeld} for every closed borrow. Only in the listener chain with
 * {@code holdEvents=true}, so without it nothing at all runs per borrow; with it the tracker times
 * every borrow.
 */
public final class HoldEventListener implements LeakListener {
  private final SourceStatsIndex names;
  private volatile boolean available = true;

  public HoldEventListener(SourceStatsIndex names) {
    this.names = names;
  }

  @Override
  public void onRelease(Borrow borrow, long heldNanos) {
    if (!available || heldNanos == NOT_TIMED) { // (the agent times every hold when holdEvents is on)
      return;
    }
    try {
      JfrEvents.held(names, borrow.source(), heldNanos);
    } catch (LinkageError e) {
      available = false;
      System.err.println("poolagent: JFR events are off, this JVM has no jdk.jfr: " + e);
    }
  }
}
