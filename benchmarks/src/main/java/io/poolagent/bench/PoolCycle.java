package io.poolagent.bench;

import java.sql.Connection;
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
 * Bar 1: borrow/close cycles per second on the in-memory stub driver, for every pool, with the pool
 * sized 8 (room for every thread at 1 and 2 threads) and 2 (contended). Thread counts come from the
 * command line ({@code -t}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PoolCycle {
  @Param({"BUNDLED", "HIKARI", "DBCP2", "C3P0", "TOMCAT", "VIBUR", "AGROAL"})
  public String pool = "BUNDLED";

  @Param({"8", "2"})
  public int size = 8;

  private Pools.Started started;

  @Setup(Level.Trial)
  public void start() throws Exception {
    started = Pools.valueOf(pool).start(Target.stub(), size);
    AgentCheck.verify(started.dataSource());
  }

  @TearDown(Level.Trial)
  public void stop() throws Exception {
    started.close();
  }

  /** One borrow and one close. */
  @Benchmark
  public void cycle(Blackhole bh) throws Exception {
    try (Connection c = started.dataSource().getConnection()) {
      bh.consume(c);
    }
  }
}
