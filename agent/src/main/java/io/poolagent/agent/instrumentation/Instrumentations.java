package io.poolagent.agent.instrumentation;

import io.poolagent.agent.bootstrap.AgentBridge;
import java.lang.instrument.Instrumentation;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.utility.JavaModule;

/**
 * Installs every instrumentation with one Byte Buddy agent builder. Classes already loaded (an attach,
 * or DriverManager loaded before premain) are retransformed. A class that fails to instrument is
 * counted and skipped; it affects no other class.
 */
public final class Instrumentations {
  private Instrumentations() {}

  /**
   * Installs the transformations.
   *
   * @param onError told once per failing class, with a one-line description
   * @param instrumented collects the names of instrumented types (for JMX)
   */
  public static ResettableClassFileTransformer install(
      Instrumentation inst, Consumer<String> onError, Set<String> instrumented) {
    ClassLoader agentLoader = Instrumentations.class.getClassLoader();
    AgentBuilder builder = new AgentBuilder.Default()
        .disableClassFormatChanges()
        .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
        .with(AgentBuilder.RedefinitionStrategy.DiscoveryStrategy.Reiterating.INSTANCE)
        .with(AgentBuilder.TypeStrategy.Default.DECORATE)
        .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
        .with(AgentBuilder.PoolStrategy.Default.FAST)
        .with(new Recorder(onError, instrumented))
        .ignore(Ignores.matcher())
        .assureReadEdgeTo(inst, AgentBridge.class);
    builder = DataSourceInstrumentation.apply(builder, agentLoader);
    builder = DriverManagerInstrumentation.apply(builder, agentLoader);
    builder = ConnectionInstrumentation.apply(builder, agentLoader);
    return builder.installOn(inst);
  }

  /** Remembers what was instrumented and reports failures once per type. */
  private static final class Recorder extends AgentBuilder.Listener.Adapter {
    private final Consumer<String> onError;
    private final Set<String> instrumented;
    private final Set<String> failed = ConcurrentHashMap.newKeySet();

    Recorder(Consumer<String> onError, Set<String> instrumented) {
      this.onError = onError;
      this.instrumented = instrumented;
    }

    @Override
    public void onTransformation(TypeDescription type, ClassLoader loader, JavaModule module,
        boolean loaded, DynamicType dynamicType) {
      instrumented.add(type.getName());
    }

    @Override
    public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded,
        Throwable error) {
      if (failed.add(typeName)) {
        onError.accept("poolagent: could not instrument " + typeName + ", other classes are"
            + " unaffected: " + error);
      }
    }
  }
}
