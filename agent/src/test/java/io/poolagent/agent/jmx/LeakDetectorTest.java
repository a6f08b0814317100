package io.poolagent.agent.jmx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolagent.agent.AgentProperties;
import io.poolagent.agent.AgentRuntime;
import io.poolagent.agent.RuntimeFixture;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LeakDetectorTest {

  @Test
  void settingsChangedOverJmxReachTheSweeperAndThePublishedOptions() {
    AgentRuntime runtime = RuntimeFixture.runtime(Duration.ofSeconds(30));
    String before = System.getProperty(AgentProperties.OPTIONS);
    try {
      LeakDetector bean = new LeakDetector(runtime);
      bean.setLeakThresholdMillis(100);
      assertEquals(100, bean.getLeakThresholdMillis());
      assertEquals(10, bean.getScanIntervalMillis(), "the scan interval follows the threshold");
      assertEquals(Duration.ofMillis(100), runtime.options().leakThreshold());
      assertTrue(System.getProperty(AgentProperties.OPTIONS).contains("leakThreshold=100ms"),
          System.getProperty(AgentProperties.OPTIONS));
      bean.setStackTrace(false);
      assertFalse(bean.isStackTrace());
      assertEquals("false", runtime.options().stackTraceMode());
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> bean.setLeakThresholdMillis(Long.MAX_VALUE));
      assertTrue(e.getMessage().startsWith("LeakThresholdMillis must be"), e.getMessage());
      assertEquals(100, bean.getLeakThresholdMillis(), "unchanged by a refused value");
    } finally {
      runtime.sweeper().close();
      if (before == null) {
        System.clearProperty(AgentProperties.OPTIONS);
      } else {
        System.setProperty(AgentProperties.OPTIONS, before);
      }
    }
  }
}
