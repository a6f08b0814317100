package io.poolagent.agent.instrumentation;

/**
 * Thrown while patching a method's code in place ({@link CodePatch}) when the code has a shape the
 * patcher does not handle; the class is then woven by ASM instead. Control flow only: never reported.
 */
final class NotPatchable extends RuntimeException {
  private static final long serialVersionUID = 1L;

  NotPatchable(String reason) {
    super(reason, null, false, false);
  }
}
