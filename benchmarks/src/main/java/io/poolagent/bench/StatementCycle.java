package io.poolagent.bench;

import java.sql.Connection;
import java.sql.Statement;
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
 * Bar 1, second part: createStatement, execute, close on a connection each thread holds for the
 * whole trial, so only the pool's statement wrapping is measured (stub driver, pool of 8).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class StatementCycle {
  @Param({"BUNDLED", "HIKARI"})
  public String pool = "BUNDLED";

  Pools.Started started;

  @Setup(Level.Trial)
  public void start() throws Exception {
    started = Pools.valueOf(pool).start(Target.stub(), 8);
    AgentCheck.verify(started.dataSource());
  }

  @TearDown(Level.Trial)
  public void stop() throws Exception {
    started.close();
  }

  /** The connection one benchmark thread holds. */
  @State(Scope.Thread)
  public static class Held {
    Connection connection;

    @Setup(Level.Trial)
    public void borrow(StatementCycle bench) throws Exception {
      connection = bench.started.dataSource().getConnection();
    }

    @TearDown(Level.Trial)
    public void giveBack() throws Exception {
      connection.close();
    }
  }

  @Benchmark
  public void statement(Held held, Blackhole bh) throws Exception {
    try (Statement s = held.connection.createStatement()) {
      bh.consume(s.execute("SELECT 1"));
    }
  }
}
