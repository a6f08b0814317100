package io.poolagent.it.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolagent.it.agent.apps.AttachTargetApp;
import io.poolagent.it.support.ChildJvm;
import io.poolagent.it.support.PostgresExtension;
import io.poolagent.it.support.RunningJvm;
import io.poolagent.it.support.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The agent opens no network port of its own: a child JVM using HikariCP, with and without the
 * agent (JMX and metrics on, remote JMX not configured), listens on the same TCP ports (none). The
 * child's sockets are found through /proc/&lt;pid&gt;/fd and matched with /proc/net/tcp and tcp6.
 */
@ExtendWith(PostgresExtension.class)
class NoListeningPortIT {
  @Test
  void theAgentListensOnNoTcpPort(TestDatabase db) throws Exception {
    Set<Integer> without = listeningPorts(db, List.of());
    Set<Integer> with = listeningPorts(db, List.of("-javaagent:" + ChildJvm.agentJar()));
    assertEquals(without, with, "the agent adds no listening TCP port");
    assertEquals(Set.of(), with, "the JVM with the agent listens on no TCP port");
  }

  private static Set<Integer> listeningPorts(TestDatabase db, List<String> jvmArgs) throws Exception {
    try (RunningJvm jvm = RunningJvm.start(jvmArgs, List.of(), AttachTargetApp.class,
        List.of(db.jdbcUrl(), db.user(), db.password(), "HIKARI", "no-port"))) {
      assertTrue(jvm.send("hold").startsWith("ok held"), "the app borrowed through the agent");
      Thread.sleep(500); // lazy JMX registration and the sweeper have started by now
      Set<Long> sockets = socketInodes(jvm.pid());
      assertTrue(!sockets.isEmpty(), "the child has sockets (its database connections)");
      Set<Integer> ports = new TreeSet<>();
      for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
        Path p = Path.of(table);
        if (!Files.exists(p)) {
          continue;
        }
        for (String line : Files.readAllLines(p).subList(1, Files.readAllLines(p).size())) {
          String[] f = line.trim().split("\\s+");
          boolean listening = f[3].equals("0A");
          if (listening && sockets.contains(Long.parseLong(f[9]))) {
            ports.add(Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16));
          }
        }
      }
      jvm.send("release");
      return ports;
    }
  }

  /** The inodes of the sockets process {@code pid} has open. */
  private static Set<Long> socketInodes(long pid) throws IOException {
    Set<Long> inodes = new TreeSet<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      for (Path fd : (Iterable<Path>) fds::iterator) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            inodes.add(Long.parseLong(target.substring(8, target.length() - 1)));
          }
        } catch (IOException e) {
          // the descriptor closed meanwhile
        }
      }
    }
    return inodes;
  }
}
