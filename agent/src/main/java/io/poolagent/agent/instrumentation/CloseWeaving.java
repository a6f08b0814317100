package io.poolagent.agent.instrumentation;

import io.poolagent.agent.bootstrap.CloseHooks;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Weaves a connection class's close() at the first borrow of one of its connections
 * ({@link CloseHooks}): finds the class that declares the close() those connections run (a
 * {@code java.lang.reflect.Proxy} class for Tomcat JDBC and Vibur, HikariCP's ProxyConnection for its
 * generated subclass) and retransforms it with that close() wanted. The borrowing thread waits for
 * it, so the application never holds a connection whose close() does not yet report. A class that
 * cannot be woven is reported once; its connections are then not tracked.
 */
final class CloseWeaving implements CloseHooks.Weaver {
  private final Instrumentation inst;
  private final JdbcClassTransformer transformer;
  private final Consumer<String> onError;

  CloseWeaving(Instrumentation inst, JdbcClassTransformer transformer, Consumer<String> onError) {
    this.inst = inst;
    this.transformer = transformer;
    this.onError = onError;
  }

  @Override
  public boolean weaveClose(Class<?> connectionClass) {
    Class<?> declaring;
    try {
      declaring = declaringClose(connectionClass);
    } catch (LinkageError | SecurityException e) { // a method signature names a missing class
      return cannot(connectionClass, "its close() cannot be looked up: " + e);
    }
    if (declaring == null) {
      return cannot(connectionClass, "no class of it declares a concrete close()");
    }
    if (transformer.closeWoven(declaring)) {
      return true; // woven for another class that inherits the same close()
    }
    if (!inst.isModifiableClass(declaring)) {
      return cannot(connectionClass, declaring.getName() + " cannot be retransformed");
    }
    transformer.wantClose(declaring);
    try {
      inst.retransformClasses(declaring);
    } catch (Throwable t) {
      transformer.forgetClose(declaring);
      return cannot(connectionClass, "retransforming " + declaring.getName() + " failed: " + t);
    }
    return transformer.closeWoven(declaring)
        || cannot(connectionClass, declaring.getName() + ".close() was left unwoven");
  }

  /**
   * The nearest class, from {@code type} up, that declares a concrete {@code close()}: the one whose
   * code runs when a connection of {@code type} is closed. Null when there is none (an interface's
   * default method, or an abstract, static or native close), as the weaver would find none.
   */
  static @Nullable Class<?> declaringClose(Class<?> type) {
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      Method close;
      try {
        close = c.getDeclaredMethod("close");
      } catch (NoSuchMethodException e) {
        continue;
      }
      // reflection's modifier bits are the class file's access flags
      return ConnectionInstrumentation.isConcreteInstanceMethod(close.getModifiers()) ? c : null;
    }
    return null;
  }

  private boolean cannot(Class<?> connectionClass, String why) {
    onError.accept("poolagent: connections of " + connectionClass.getName() + " are not tracked: "
        + why);
    return false;
  }
}
