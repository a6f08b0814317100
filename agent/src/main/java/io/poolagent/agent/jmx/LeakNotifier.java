package io.poolagent.agent.jmx;

import io.poolagent.leak.LeakEvent;
import io.poolagent.leak.LeakListener;
import java.util.concurrent.Executor;
import javax.management.openmbean.OpenDataException;
import org.jspecify.annotations.Nullable;

/**
 * Turns the tracker's findings into JMX notifications of {@code poolagent:type=LeakDetector}. It sits
 * in the listener chain from start-up and stays silent until the bean is registered. Notifications
 * are built and sent on the given executor (the agent's report thread): a late return is found on
 * the application's thread as it closes the connection, and JMX listeners are other people's code.
 */
public final class LeakNotifier implements LeakListener {
  private final Executor sendOn;
  private volatile @Nullable LeakDetectorEmitter emitter;

  /** @param sendOn where notifications are built and sent */
  public LeakNotifier(Executor sendOn) {
    this.sendOn = sendOn;
  }

  void publishTo(LeakDetectorEmitter registered) {
    emitter = registered;
  }

  @Override
  public void onLeak(LeakEvent event) {
    send(event);
  }

  @Override
  public void onReturned(LeakEvent event) {
    send(event);
  }

  @Override
  public void onGcUnclosed(LeakEvent event) {
    send(event);
  }

  private void send(LeakEvent event) {
    LeakDetectorEmitter target = emitter;
    if (target == null) {
      return;
    }
    sendOn.execute(() -> {
      try {
        target.send(event);
      } catch (OpenDataException e) {
        throw new IllegalStateException("poolagent: notification not sent: " + e.getMessage(), e);
      }
    });
  }
}
