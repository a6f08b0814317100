package io.poolagent.leak;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks, on the running JVM's layout, that a class padded as {@link CacheLinePadding} describes
 * keeps its written fields at least a cache line from both ends of the object. Shared with the
 * agent's tests through this module's test jar.
 */
public final class PaddingLayout {
  private static final int LINE = 64;

  private PaddingLayout() {}

  /** Checks {@code type}'s layout: leading padding from CacheLinePadding, trailing from itself. */
  public static void assertPaddedOnBothSides(Class<?> type) throws Exception {
    long firstWritten = Long.MAX_VALUE;
    long writtenEnd = -1;
    long objectEnd = -1;
    for (Field f : instanceFields(type)) {
      assertTrue(f.getType() == long.class, type + " declares " + f + ": only its trailing padding"
          + " belongs there; the written fields go in its superclass");
    }
    for (Class<?> c = type; c != Object.class; c = c.getSuperclass()) {
      for (Field f : instanceFields(c)) {
        long offset = offsetOf(f);
        long end = offset + sizeOf(f);
        objectEnd = Math.max(objectEnd, end);
        if (c != type && c != CacheLinePadding.class) {
          firstWritten = Math.min(firstWritten, offset);
          writtenEnd = Math.max(writtenEnd, end);
        }
      }
    }
    assertTrue(writtenEnd > 0, type + " has no written fields between its paddings");
    assertTrue(firstWritten >= LINE, type + ": first written field at offset " + firstWritten);
    assertTrue(objectEnd - writtenEnd >= LINE,
        type + ": written fields end at " + writtenEnd + ", the object at " + objectEnd);
  }

  private static long sizeOf(Field field) throws Exception {
    Class<?> t = field.getType();
    if (t == long.class || t == double.class) {
      return 8;
    }
    if (t == int.class || t == float.class) {
      return 4;
    }
    if (t == short.class || t == char.class) {
      return 2;
    }
    if (t == byte.class || t == boolean.class) {
      return 1;
    }
    return (int) unsafe("arrayIndexScale", Class.class, Object[].class); // 4 with compressed oops
  }

  private static List<Field> instanceFields(Class<?> c) {
    List<Field> out = new ArrayList<>();
    for (Field f : c.getDeclaredFields()) {
      if (!Modifier.isStatic(f.getModifiers())) {
        out.add(f);
      }
    }
    return out;
  }

  /** The field's offset in the object, from sun.misc.Unsafe (reached by reflection). */
  private static long offsetOf(Field field) throws Exception {
    return (long) unsafe("objectFieldOffset", Field.class, field);
  }

  private static Object unsafe(String method, Class<?> parameterType, Object argument)
      throws Exception {
    Class<?> unsafeType = Class.forName("sun.misc.Unsafe");
    Field instance = unsafeType.getDeclaredField("theUnsafe");
    instance.setAccessible(true);
    Method m = unsafeType.getMethod(method, parameterType);
    return m.invoke(instance.get(null), argument);
  }
}
