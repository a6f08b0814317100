package io.poolagent.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

class BootstrapInjectorTest {
  /**
   * Defines as the JVM does: a class whose super type is not defined yet fails with a
   * NoClassDefFoundError naming that type in internal form.
   */
  private static final class SuperTypesFirst implements BiConsumer<String, byte[]> {
    private final Map<String, String> superTypeOf;
    final List<String> defined = new ArrayList<>();
    int attempts;

    SuperTypesFirst(Map<String, String> superTypeOf) {
      this.superTypeOf = superTypeOf;
    }

    @Override
    public void accept(String name, byte[] bytes) {
      attempts++;
      String superType = superTypeOf.get(name);
      if (superType != null && !defined.contains(superType)) {
        throw new NoClassDefFoundError(superType.replace('.', '/'));
      }
      defined.add(name);
    }
  }

  private static Map<String, byte[]> classes(String... names) {
    Map<String, byte[]> classes = new LinkedHashMap<>();
    for (String name : names) {
      classes.put(name, new byte[0]);
    }
    return classes;
  }

  @Test
  void definesEachClassAfterItsSuperTypesWhateverTheJarOrder() {
    // a.C extends a.B extends a.A, listed the other way round; a.D needs nothing of ours
    SuperTypesFirst jvm = new SuperTypesFirst(Map.of("a.C", "a.B", "a.B", "a.A"));
    BootstrapInjector.defineInOrder(classes("a.C", "a.D", "a.B", "a.A"), jvm);
    assertEquals(List.of("a.D", "a.A", "a.B", "a.C"), jvm.defined);
    assertEquals(4 + 2 + 1, jvm.attempts); // C and B wait a round, C a second one
  }

  @Test
  void aSuperTypeThatIsNotAmongThemFailsWithItsName() {
    SuperTypesFirst jvm = new SuperTypesFirst(Map.of("a.Closing", "java.sql.Connection"));
    NoClassDefFoundError error = assertThrows(NoClassDefFoundError.class,
        () -> BootstrapInjector.defineInOrder(classes("a.A", "a.Closing"), jvm));
    assertEquals("java/sql/Connection", error.getMessage());
  }

  @Test
  void superTypesThatNeedEachOtherAreNamed() {
    SuperTypesFirst jvm = new SuperTypesFirst(Map.of("a.A", "a.B", "a.B", "a.A"));
    IllegalStateException error = assertThrows(IllegalStateException.class,
        () -> BootstrapInjector.defineInOrder(classes("a.A", "a.B", "a.C"), jvm));
    assertEquals("no order defines [a.A, a.B]", error.getMessage());
    assertEquals(List.of("a.C"), jvm.defined);
  }
}
