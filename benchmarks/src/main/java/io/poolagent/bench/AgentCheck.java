package io.poolagent.bench;

import java.sql.Connection;
import javax.sql.DataSource;

/**
 * Guards the agent-on forks: when {@code run.sh} attaches the agent it also sets
 * {@code -Dbench.agent=on}, and a fork in which the agent did not start, or does not see the pool's
 * borrows, fails instead of quietly measuring a JVM without it.
 */
final class AgentCheck {
  private AgentCheck() {}

  static void verify(DataSource dataSource) throws Exception {
    if (!"on".equals(System.getProperty("bench.agent"))) {
      return;
    }
    Class<?> bridge = Class.forName("io.poolagent.agent.bootstrap.AgentBridge", true, null);
    Object tracker = bridge.getMethod("tracker").invoke(null);
    if (tracker == null) {
      throw new IllegalStateException("bench.agent=on but the agent did not start");
    }
    long before = acquired(tracker);
    Connection c = dataSource.getConnection();
    long after = acquired(tracker);
    c.close();
    if (after != before + 1) {
      throw new IllegalStateException("the agent does not track borrows from " + dataSource);
    }
  }

  private static long acquired(Object tracker) throws Exception {
    return (Long) tracker.getClass().getMethod("acquiredCount").invoke(tracker);
  }
}
