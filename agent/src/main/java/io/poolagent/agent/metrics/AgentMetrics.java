package io.poolagent.agent.metrics;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.jmx.JmxReporter;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.jmx.JmxConfig;
import io.micrometer.jmx.JmxMeterRegistry;
import io.poolagent.agent.stats.SourceStats;
import io.poolagent.agent.stats.SourceStatsIndex;
import io.poolagent.leak.LeakTracker;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import org.jspecify.annotations.Nullable;

/**
 * The agent's Micrometer meters, published by a {@link JmxMeterRegistry} under the JMX domain
 * {@value #DOMAIN}. Every meter reads the per-DataSource statistics when it is read: nothing is
 * recorded into Micrometer on the application's threads, so its cost never lands on a borrow.
 */
public final class AgentMetrics implements AutoCloseable {
  public static final String DOMAIN = "poolagent.metrics";
  /** OpenTelemetry's attribute for the pool: the DataSource's report name. */
  static final String POOL_NAME = "db.client.connection.pool.name";
  static final String STATE = "db.client.connection.state";
  private static final double[] PERCENTILES = {0.5, 0.95, 0.99};

  private final JmxMeterRegistry registry;
  private final LeakTracker tracker;
  private final SourceStatsIndex index;

  private AgentMetrics(JmxMeterRegistry registry, LeakTracker tracker, SourceStatsIndex index) {
    this.registry = registry;
    this.tracker = tracker;
    this.index = index;
  }

  /** Starts the registry, registering its MBeans with {@code server}. */
  public static AgentMetrics start(
      MBeanServer server, LeakTracker tracker, SourceStatsIndex index) {
    TaggedObjectNames names = new TaggedObjectNames();
    MetricRegistry dropwizard = new MetricRegistry();
    JmxReporter reporter = JmxReporter.forRegistry(dropwizard)
        .inDomain(DOMAIN)
        .registerWith(server)
        .createsObjectNamesWith(names)
        .convertDurationsTo(TimeUnit.MILLISECONDS)
        .convertRatesTo(TimeUnit.SECONDS)
        .build();
    JmxConfig config = new JmxConfig() {
      @Override
      public @Nullable String get(String key) {
        return null;
      }

      @Override
      public String domain() {
        return DOMAIN;
      }
    };
    return new AgentMetrics(
        new JmxMeterRegistry(config, Clock.SYSTEM, names, dropwizard, reporter), tracker, index);
  }

  /** Adds the meters of one DataSource. */
  public void bind(SourceStats stats) {
    Tags pool = Tags.of(POOL_NAME, stats.name());
    Gauge.builder("db.client.connection.count", stats, s -> index.openNow(tracker, s).open())
        .tags(pool).tag(STATE, "used").baseUnit("{connection}").strongReference(true)
        .description("connections borrowed and not yet closed").register(registry);
    Gauge.builder("poolagent.connection.leaked", stats, s -> index.openNow(tracker, s).leaked())
        .tags(pool).baseUnit("{connection}").strongReference(true)
        .description("connections borrowed now and held past the leak threshold")
        .register(registry);
    FunctionCounter.builder("poolagent.connection.leaks", stats, SourceStats::leaksDetected)
        .tags(pool).baseUnit("{leak}").description("borrows flagged as leaks since start")
        .register(registry);
    FunctionTimer.builder("db.client.connection.use_time", stats, SourceStats::released,
            s -> s.holdTimes().estimatedTotalNanos(), TimeUnit.NANOSECONDS)
        .tags(pool).description("time between borrowing a connection and closing it: every close"
            + " counted, the total estimated from the timed ones (option holdTimes)")
        .register(registry);
    TimeGauge.builder("db.client.connection.use_time.max", stats, TimeUnit.NANOSECONDS,
            s -> s.holdTimes().maxNanos())
        .tags(pool).strongReference(true).description("the longest timed hold since start")
        .register(registry);
    for (double p : PERCENTILES) {
      TimeGauge.builder("db.client.connection.use_time.percentile", stats, TimeUnit.NANOSECONDS,
              s -> s.holdTimes().percentileNanos(p))
          .tags(pool).tag("phi", String.valueOf(p)).strongReference(true)
          .description("hold time percentile since start (within 12.5%)").register(registry);
    }
  }

  @Override
  public void close() {
    registry.close();
  }
}
