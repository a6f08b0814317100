package io.poolagent.leak;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Names the source of a borrow for reports: the pool's own name where the pool has one
 * ({@code getPoolName()}, {@code getDataSourceName()} or {@code getName()}), else the class name and
 * identity hash. Strings (such as "DriverManager") name themselves.
 */
public final class SourceNames {
  private static final String[] NAME_GETTERS = {"getPoolName", "getDataSourceName", "getName"};

  private SourceNames() {}

  /** The default naming function. */
  public static Function<Object, String> defaults() {
    return Default.INSTANCE;
  }

  /** A class, not a method reference: the agent creates it in premain, where a lambda costs time. */
  private static final class Default implements Function<Object, String> {
    static final Default INSTANCE = new Default();

    @Override
    public String apply(Object source) {
      return nameOf(source);
    }
  }

  /** A name for {@code source}; never null and never throws. */
  public static String nameOf(@Nullable Object source) {
    if (source == null) {
      return "unknown";
    }
    if (source instanceof CharSequence) {
      return source.toString();
    }
    for (String getter : NAME_GETTERS) {
      String name = call(source, getter);
      if (name != null && !name.isBlank()) {
        return name;
      }
    }
    return identity(source);
  }

  /** Class name and identity hash, for example {@code org.example.MyDataSource@1b6d3586}. */
  public static String identity(@Nullable Object source) {
    if (source == null) {
      return "unknown";
    }
    return source.getClass().getName() + '@' + Integer.toHexString(System.identityHashCode(source));
  }

  private static @Nullable String call(Object source, String getter) {
    try {
      Method method = source.getClass().getMethod(getter);
      if (method.getReturnType() != String.class || Modifier.isStatic(method.getModifiers())) {
        return null;
      }
      return (String) method.invoke(source);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return null;
    }
  }
}
