package io.poolagent.it.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.poolagent.it.support.ChildJvm;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/** The shaded agent jar carries nothing under a package an application could also have. */
class ShadedAgentJarIT {
  @Test
  void everyClassAndServiceIsRelocatedUnderIoPoolagent() throws Exception {
    List<String> foreign = new ArrayList<>();
    try (JarFile jar = new JarFile(ChildJvm.agentJar().toFile())) {
      for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
        String name = entries.nextElement().getName();
        boolean ours = name.startsWith("io/poolagent/") || name.equals("io/");
        boolean metadata = name.startsWith("META-INF/")
            && (!name.startsWith("META-INF/services/") || name.equals("META-INF/services/")
                || name.startsWith("META-INF/services/io.poolagent.agent.shaded."));
        // byte-buddy-agent's Windows attach libraries: native files, not a Java package
        boolean attachLibrary = name.startsWith("win32-") && !name.endsWith(".class");
        if (!ours && !metadata && !attachLibrary) {
          foreign.add(name);
        }
        if (name.startsWith("io/poolagent/agent/bootstrap/") && name.contains("shaded")) {
          foreign.add(name + " (on the bootstrap path)");
        }
      }
      assertEquals(List.of(), foreign, "unrelocated entries in the agent jar");
      for (String relocated : List.of("micrometer/jmx/JmxMeterRegistry", "dropwizard/MetricRegistry",
          "dropwizard/jmx/JmxReporter", "hdrhistogram/Histogram", "slf4j/LoggerFactory")) {
        assertNotNull(jar.getJarEntry("io/poolagent/agent/shaded/" + relocated + ".class"), relocated);
      }
    }
  }
}
