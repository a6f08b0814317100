package io.poolagent.agent.jmx;

import io.poolagent.leak.LeakEvent;
import io.poolagent.leak.LeakText;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.Descriptor;
import javax.management.ImmutableDescriptor;
import javax.management.MBeanException;
import javax.management.MBeanInfo;
import javax.management.MBeanNotificationInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanParameterInfo;
import javax.management.Notification;
import javax.management.NotificationBroadcasterSupport;
import javax.management.ObjectName;
import javax.management.ReflectionException;
import javax.management.StandardEmitterMBean;
import javax.management.openmbean.OpenDataException;
import org.jspecify.annotations.Nullable;

/**
 * The registered {@code poolagent:type=LeakDetector}: the {@link LeakDetectorMXBean} as an MXBean,
 * plus the {@code openConnections()} operation (an MXBean interface cannot declare a
 * {@code TabularData} of its own row type) and the leak notifications.
 */
final class LeakDetectorEmitter extends StandardEmitterMBean {
  static final String LEAK = "poolagent.leak";
  static final String RETURNED = "poolagent.returned";
  static final String GC_UNCLOSED = "poolagent.gc-unclosed";
  private static final String OPEN_CONNECTIONS = "openConnections";

  private final LeakDetector detector;
  private final ObjectName name;
  private final AtomicLong sequence = new AtomicLong();
  private volatile @Nullable MBeanInfo info;

  LeakDetectorEmitter(LeakDetector detector, ObjectName name) {
    super(detector, LeakDetectorMXBean.class, true, new NotificationBroadcasterSupport(
        new MBeanNotificationInfo(new String[] {LEAK, RETURNED, GC_UNCLOSED},
            Notification.class.getName(),
            "a connection held past the threshold (poolagent.leak), closed after being flagged"
                + " (poolagent.returned), or garbage collected without close()"
                + " (poolagent.gc-unclosed); the user data is a poolagent.LeakEvent")));
    this.detector = detector;
    this.name = name;
  }

  /** Sends the notification for {@code event}; listeners get the text and the event as data. */
  void send(LeakEvent event) throws OpenDataException {
    String type;
    String message;
    switch (event.kind()) {
      case LEAK -> {
        type = LEAK;
        message = LeakText.leak(event);
      }
      case RETURNED -> {
        type = RETURNED;
        message = LeakText.returned(event);
      }
      case GC_UNCLOSED -> {
        type = GC_UNCLOSED;
        message = LeakText.gcUnclosed(event);
      }
      default -> {
        return;
      }
    }
    Notification notification =
        new Notification(type, name, sequence.incrementAndGet(), System.currentTimeMillis(), message);
    notification.setUserData(BorrowData.event(event));
    sendNotification(notification);
  }

  @Override
  public MBeanInfo getMBeanInfo() {
    MBeanInfo cached = info;
    if (cached != null) {
      return cached;
    }
    MBeanInfo base = super.getMBeanInfo();
    MBeanOperationInfo[] operations =
        Arrays.copyOf(base.getOperations(), base.getOperations().length + 1);
    operations[operations.length - 1] = new MBeanOperationInfo(OPEN_CONNECTIONS,
        "every open borrow, oldest first: id, dataSource, thread, threadId, heldMillis,"
            + " acquiredAt, site, flagged (held past the threshold)",
        new MBeanParameterInfo[0], BorrowData.TABLE.getClassName(), MBeanOperationInfo.INFO,
        openTypeDescriptor());
    MBeanInfo built = new MBeanInfo(base.getClassName(), base.getDescription(),
        base.getAttributes(), base.getConstructors(), operations, base.getNotifications(),
        base.getDescriptor());
    info = built;
    return built;
  }

  /** What an MXBean operation's descriptor says about its return type. */
  private static Descriptor openTypeDescriptor() {
    return new ImmutableDescriptor(new String[] {"openType", "originalType"},
        new Object[] {BorrowData.TABLE, BorrowData.TABLE.getClassName()});
  }

  @Override
  public @Nullable Object invoke(String actionName, Object @Nullable [] params,
      String @Nullable [] signature) throws MBeanException, ReflectionException {
    if (OPEN_CONNECTIONS.equals(actionName) && (params == null || params.length == 0)) {
      try {
        return detector.openConnections();
      } catch (OpenDataException | RuntimeException e) {
        throw new MBeanException(new IllegalStateException(
            "poolagent: could not list the open connections: " + e.getMessage()));
      }
    }
    return super.invoke(actionName, params, signature);
  }
}
