package io.poolagent.bench;

import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Bars 2 and 3: a borrow/close cycle taken {@link #depth} calls below the benchmark method, so the
 * acquisition stack is about 50 frames deep as in a real service (JMH's own frames add about 12).
 * The same benchmark runs in forks without the agent and with it ({@code run.sh} appends the
 * {@code -javaagent} flag); {@link #cycleAndThrowable} adds one bare {@code new Throwable()} at the
 * same depth, the yardstick for stack capture; {@link #leak} turns on the pool's own leak detection
 * (HikariCP's {@code leakDetectionThreshold}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AgentCost {
  @Param({"HIKARI"})
  public String pool = "HIKARI";

  /** The pool's own leak detection threshold in ms; 0 = off. */
  @Param({"0"})
  public long leak;

  @Param({"36"})
  public int depth = 36;

  private Pools.Started started;

  @Setup(Level.Trial)
  public void start() throws Exception {
    started = Pools.valueOf(pool).startWithLeakDetection(Target.stub(), 8, Duration.ofMillis(leak));
    AgentCheck.verify(started.dataSource());
  }

  @TearDown(Level.Trial)
  public void stop() throws Exception {
    started.close();
  }

  @Benchmark
  public void cycle(Blackhole bh) throws Exception {
    descend(depth, bh, false);
  }

  @Benchmark
  public void cycleAndThrowable(Blackhole bh) throws Exception {
    descend(depth, bh, true);
  }

  private void descend(int n, Blackhole bh, boolean throwable) throws Exception {
    if (n > 0) {
      descend(n - 1, bh, throwable);
      return;
    }
    if (throwable) {
      bh.consume(new Throwable());
    }
    try (Connection c = started.dataSource().getConnection()) {
      bh.consume(c);
    }
  }
}
