package io.poolagent.agent;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.BiConsumer;
import java.util.zip.ZipFile;
import org.jspecify.annotations.Nullable;

/**
 * Defines the agent's deferred classes ({@link BootstrapBundle#DEFERRED_ENTRY}: ASM and the weavers
 * built on it) in the bootstrap loader the first time it runs. The transformer runs it before its
 * first use of ASM, from whichever thread gets there first; the others wait for it. When defining
 * fails, every later run fails at once with the first failure: some classes may be defined already,
 * and defining them again would be an error of its own.
 */
final class DeferredClasses implements Runnable {
  /** Where the deferred classes are on the bootstrap path already. */
  static final Runnable NONE = new NothingToDefine();

  private final BiConsumer<String, ByteBuffer> definer;
  private final @Nullable File agentJar;
  private boolean defined;
  private @Nullable String failure;

  /**
   * @param definer defines one class in the bootstrap loader
   * @param agentJar the agent jar, or null to read the bundle as a resource of the agent's loader
   */
  DeferredClasses(BiConsumer<String, ByteBuffer> definer, @Nullable File agentJar) {
    this.definer = definer;
    this.agentJar = agentJar;
  }

  /** @throws IllegalStateException when the classes could not be defined, now or before */
  @Override
  public synchronized void run() {
    if (defined) {
      return;
    }
    if (failure != null) {
      throw new IllegalStateException("ASM could not be defined in the bootstrap class loader: "
          + failure);
    }
    try (ZipFile agent = BootstrapInjector.openJar(agentJar)) {
      BootstrapInjector.defineBundle(agent, agentJar, BootstrapBundle.DEFERRED_ENTRY, definer);
      defined = true;
    } catch (IOException | RuntimeException | LinkageError e) {
      failure = e.toString();
      throw new IllegalStateException("ASM could not be defined in the bootstrap class loader: "
          + failure, e);
    }
  }

  /** Not a lambda: a lambda costs about a millisecond of start-up in premain. */
  private static final class NothingToDefine implements Runnable {
    @Override
    public void run() {}
  }
}
