package io.poolagent.pool;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Micrometer meters named after OpenTelemetry's {@code db.client.connection.*} conventions, tagged
 * {@code db.client.connection.pool.name=<poolName>}. The only class that links to Micrometer; it is
 * loaded by reflection only when Micrometer is present.
 */
final class MicrometerPoolMetrics implements PoolMetrics {
  static final String POOL_TAG = "db.client.connection.pool.name";
  static final String STATE_TAG = "db.client.connection.state";

  private final MeterRegistry registry;
  private final List<Meter> meters = new ArrayList<>();
  private final Timer createTime;
  private final Timer waitTime;
  private final Timer useTime;

  MicrometerPoolMetrics(PoolEngine engine, @Nullable Object registry) {
    this.registry = registry instanceof MeterRegistry given ? given : Metrics.globalRegistry;
    Tags pool = Tags.of(POOL_TAG, engine.name());
    meters.add(Gauge.builder("db.client.connection.count", engine, e -> e.stats().idle())
        .tags(pool).tag(STATE_TAG, "idle")
        .description("connections in the pool by state").register(this.registry));
    meters.add(Gauge.builder("db.client.connection.count", engine, e -> e.stats().active())
        .tags(pool).tag(STATE_TAG, "used")
        .description("connections in the pool by state").register(this.registry));
    meters.add(Gauge.builder("db.client.connection.idle.min", engine, e -> e.config.minSize())
        .tags(pool).description("minimum idle connections").register(this.registry));
    meters.add(Gauge.builder("db.client.connection.max", engine, PoolEngine::maxSize)
        .tags(pool).description("maximum open connections").register(this.registry));
    meters.add(Gauge.builder("db.client.connection.pending_requests", engine, e -> e.bag.waiting())
        .tags(pool).description("threads waiting for a connection").register(this.registry));
    meters.add(FunctionCounter.builder("db.client.connection.timeouts", engine,
            e -> e.counters.timeouts())
        .tags(pool).description("acquires that timed out").register(this.registry));
    createTime = Timer.builder("db.client.connection.create_time").tags(pool)
        .description("time to open a connection").register(this.registry);
    waitTime = Timer.builder("db.client.connection.wait_time").tags(pool)
        .description("time to obtain a connection from the pool").register(this.registry);
    useTime = Timer.builder("db.client.connection.use_time").tags(pool)
        .description("time between borrowing a connection and returning it").register(this.registry);
    meters.add(createTime);
    meters.add(waitTime);
    meters.add(useTime);
  }

  @Override
  public void connectionCreated(long nanos) {
    createTime.record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void acquired(long waitNanos) {
    waitTime.record(waitNanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void released(long usedNanos) {
    useTime.record(usedNanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void close() {
    for (Meter m : meters) {
      registry.remove(m);
    }
  }
}
