package io.poolagent.leak;

import java.lang.ref.WeakReference;

/**
 * A thread held weakly, only to tell whether it has ended: per-thread state (the tracker's slots,
 * the agent's call state) can outlive its thread in tables and sets, and an ended thread still
 * refers to its context class loader, so a strong reference there could keep an undeployed
 * application's classes.
 */
public final class WeakThread extends WeakReference<Thread> {
  public WeakThread(Thread thread) {
    super(thread);
  }

  /** True while the thread runs; false once it has ended or been collected. */
  public boolean isAlive() {
    Thread thread = get();
    return thread != null && thread.isAlive();
  }
}
