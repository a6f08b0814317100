package io.poolagent.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Bar 4: borrow, {@code SELECT 1}, close on the local PostgreSQL, pool of 8. {@code run.sh} runs it
 * in throughput and sample-time modes (the latter gives p50/p95/p99) at 1, 8 and 32 threads, with
 * and without the agent.
 */
@State(Scope.Benchmark)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PostgresCycle {
  @Param({"BUNDLED", "HIKARI"})
  public String pool = "BUNDLED";

  private Pools.Started started;

  @Setup(Level.Trial)
  public void start() throws Exception {
    started = Pools.valueOf(pool).start(Target.postgres(), 8);
    AgentCheck.verify(started.dataSource());
  }

  @TearDown(Level.Trial)
  public void stop() throws Exception {
    started.close();
  }

  @Benchmark
  public int selectOne() throws Exception {
    try (Connection c = started.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT 1")) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
