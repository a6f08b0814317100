package io.poolagent.agent;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.security.ProtectionDomain;
import java.util.function.BiConsumer;

/**
 * Defines one class in the bootstrap class loader, through the JDK's internal
 * {@code jdk.internal.misc.Unsafe.defineClass}. {@link BootstrapInjector} loads this class in a
 * class loader of its own and exports {@code jdk.internal.misc} to that loader's module only, so the
 * application's class path gains no access to JDK internals. It names only JDK types: its loader's
 * parent is the bootstrap loader.
 */
public final class BootClassDefiner implements BiConsumer<String, ByteBuffer> {
  private final Object unsafe;
  private final Method defineClass;

  public BootClassDefiner() throws ReflectiveOperationException {
    Class<?> unsafeClass = Class.forName("jdk.internal.misc.Unsafe");
    unsafe = unsafeClass.getMethod("getUnsafe").invoke(null);
    defineClass = unsafeClass.getMethod("defineClass", String.class, byte[].class, int.class,
        int.class, ClassLoader.class, ProtectionDomain.class);
  }

  /**
   * Defines the class file in {@code bytes} (a heap buffer, from its position to its limit) as the
   * class {@code name} (binary name) in the bootstrap loader.
   */
  @Override
  public void accept(String name, ByteBuffer bytes) {
    try {
      defineClass.invoke(unsafe, name, bytes.array(), bytes.arrayOffset() + bytes.position(),
          bytes.remaining(), null, null);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Error error) {
        throw error;
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(cause);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }
}
