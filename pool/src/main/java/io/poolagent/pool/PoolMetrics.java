package io.poolagent.pool;

import org.jspecify.annotations.Nullable;

/**
 * Where the pool reports timings for meters. {@link #NONE} does nothing; the Micrometer version is
 * created only when Micrometer is on the class path, so the pool never links to it otherwise.
 */
interface PoolMetrics extends AutoCloseable {
  PoolMetrics NONE = new PoolMetrics() {};

  String MICROMETER_REGISTRY = "io.micrometer.core.instrument.MeterRegistry";
  String MICROMETER_METRICS = "io.poolagent.pool.MicrometerPoolMetrics";

  default void connectionCreated(long nanos) {}

  default void acquired(long waitNanos) {}

  default void released(long usedNanos) {}

  @Override
  default void close() {}

  /**
   * Micrometer meters when Micrometer is visible to the pool's class loader (on the given registry,
   * or the global one), else {@link #NONE}.
   */
  static PoolMetrics create(PoolEngine engine, @Nullable Object registry) {
    ClassLoader loader = PoolMetrics.class.getClassLoader();
    try {
      Class.forName(MICROMETER_REGISTRY, false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      return NONE;
    }
    try {
      Class<?> type = Class.forName(MICROMETER_METRICS, true, loader);
      return (PoolMetrics) type.getDeclaredConstructor(PoolEngine.class, Object.class)
          .newInstance(engine, registry);
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      System.getLogger("poolagent.pool").log(System.Logger.Level.WARNING,
          "poolagent pool '" + engine.name() + "': Micrometer is present but its meters could not"
              + " be registered: " + e);
      return NONE;
    }
  }
}
