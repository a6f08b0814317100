package io.poolagent.agent.jfr;

import io.poolagent.leak.LeakEvent;
import io.poolagent.leak.LeakListener;

/**
 * Emits {@code poolagent.Leak}, {@code poolagent.Returned} and {@code poolagent.GcUnclosed} into any
 * running flight recording. Where the JVM has no {@code jdk.jfr} module, the first attempt says so
 * once and the listener goes quiet.
 */
public final class JfrListener implements LeakListener {
  private volatile boolean available = true;

  @Override
  public void onLeak(LeakEvent event) {
    emit(event);
  }

  @Override
  public void onReturned(LeakEvent event) {
    emit(event);
  }

  @Override
  public void onGcUnclosed(LeakEvent event) {
    emit(event);
  }

  private void emit(LeakEvent event) {
    if (!available) {
      return;
    }
    try {
      JfrEvents.emit(event);
    } catch (LinkageError e) {
      available = false;
      System.err.println("poolagent: JFR events are off, this JVM has no jdk.jfr: " + e);
    }
  }
}
