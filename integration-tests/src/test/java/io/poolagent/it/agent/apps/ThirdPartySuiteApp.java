package io.poolagent.it.agent.apps;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.ArrayList;
import java.util.List;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.ClassSelector;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs test classes of a third-party pool's published test jar with the JUnit Platform launcher and
 * prints one line per test: {@code RESULT <status> <unique id>}. Arguments: the class names.
 */
public final class ThirdPartySuiteApp {
  private ThirdPartySuiteApp() {}

  public static void main(String[] args) throws Exception {
    List<ClassSelector> selectors = new ArrayList<>();
    for (String name : args) {
      selectors.add(selectClass(Class.forName(name)));
    }
    LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
        .selectors(selectors)
        .build();
    Launcher launcher = LauncherFactory.create();
    launcher.execute(request, new TestExecutionListener() {
      @Override
      public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        if (id.isTest()) {
          System.out.println("RESULT " + result.getStatus() + " " + id.getUniqueId());
        }
      }

      @Override
      public void executionSkipped(TestIdentifier id, String reason) {
        if (id.isTest()) {
          System.out.println("RESULT SKIPPED " + id.getUniqueId());
        }
      }
    });
    System.out.println("suite done");
    System.exit(0); // the tests may leave non-daemon threads (evictors) behind
  }
}
