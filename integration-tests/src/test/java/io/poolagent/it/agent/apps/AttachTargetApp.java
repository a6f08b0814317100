package io.poolagent.it.agent.apps;

import io.poolagent.it.support.PoolKind;
import io.poolagent.it.support.TestDatabase;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * A long-running child JVM for the attach tests: it starts a pool and borrows from it in a loop on a
 * background thread, so the pool's classes are loaded and in use when an agent is attached later. It
 * then obeys commands, one per line on standard input, and answers each with one line starting with
 * {@code ok } on standard output:
 *
 * <ul>
 *   <li>{@code hold}: borrows a connection in {@link #hold} and keeps it; answers {@code ok held <line>}
 *       with the line of the getConnection call;
 *   <li>{@code release}: closes the held connections;
 *   <li>{@code pause} / {@code resume}: stops (and waits for) or restarts the background borrowing;
 *   <li>{@code borrow <n>}: n borrows with a query each, every one closed;
 *   <li>{@code install <options>}: {@code PoolAgent.install(options)} (pool-agent.jar must be on the
 *       class path); answers {@code ok install <outcome>} or {@code ok install-failed <message>};
 *   <li>{@code threads <prefix>}: how many live threads have a name starting with the prefix;
 *   <li>{@code exit}: closes the pool and ends the JVM.
 * </ul>
 *
 * Arguments: JDBC URL, user, password, {@link PoolKind} name, pool name.
 */
public final class AttachTargetApp {
  private final DataSource dataSource;
  private final List<Connection> held = new ArrayList<>();
  private final AtomicBoolean looping = new AtomicBoolean(true);
  private final AtomicLong loopBorrows = new AtomicLong();
  private final Object loopIdle = new Object();

  private AttachTargetApp(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  public static void main(String[] args) throws Exception {
    TestDatabase db = new TestDatabase(args[0], args[1], args[2], "child JVM arguments");
    try (PoolKind.Opened pool = PoolKind.valueOf(args[3]).open(db, args[4])) {
      AttachTargetApp app = new AttachTargetApp(pool.dataSource());
      Thread loop = new Thread(app::borrowInALoop, "attach-target-loop");
      loop.setDaemon(true);
      loop.start();
      while (app.loopBorrows.get() < 20) {
        Thread.sleep(10);
      }
      System.out.println("ok ready");
      app.obey(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
      app.looping.set(false);
    }
    System.out.println("ok bye");
  }

  private void obey(BufferedReader in) throws Exception {
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      String[] words = line.trim().split(" ", 2);
      switch (words[0]) {
        case "hold" -> System.out.println("ok held " + hold());
        case "release" -> {
          for (Connection c : held) {
            c.close();
          }
          System.out.println("ok released " + held.size());
          held.clear();
        }
        case "pause" -> {
          synchronized (loopIdle) {
            looping.set(false);
          }
          System.out.println("ok paused");
        }
        case "resume" -> {
          looping.set(true);
          System.out.println("ok resumed");
        }
        case "borrow" -> {
          int n = Integer.parseInt(words[1]);
          for (int i = 0; i < n; i++) {
            query();
          }
          System.out.println("ok borrowed " + n);
        }
        case "install" -> System.out.println(install(words.length > 1 ? words[1] : ""));
        case "threads" -> System.out.println("ok threads " + Thread.getAllStackTraces().keySet()
            .stream().filter(t -> t.getName().startsWith(words[1])).count());
        case "exit" -> {
          return;
        }
        default -> System.out.println("error unknown command " + line);
      }
    }
  }

  private int hold() throws Exception {
    Connection c = dataSource.getConnection();
    int line = new Throwable().getStackTrace()[0].getLineNumber() - 1;
    held.add(c);
    return line;
  }

  private void borrowInALoop() {
    while (true) {
      try {
        synchronized (loopIdle) {
          if (looping.get()) {
            query();
            loopBorrows.incrementAndGet();
          }
        }
        Thread.sleep(looping.get() ? 5 : 50);
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        System.err.println("loop borrow failed: " + e);
      }
    }
  }

  private void query() throws Exception {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT 1")) {
      rs.next();
    }
  }

  private static String install(String options) {
    try {
      return "ok install " + io.poolagent.agent.PoolAgent.install(options);
    } catch (RuntimeException e) {
      return "ok install-failed " + e.getClass().getSimpleName() + ": "
          + String.valueOf(e.getMessage()).replace('\n', ' ');
    }
  }
}
