package io.poolagent.leak;

/** A lookup key that finds a {@link Borrow} by the connection's reference alone. */
final class IdentityProbe {
  private final Object connection;
  private final int hash;

  IdentityProbe(Object connection) {
    this.connection = connection;
    this.hash = System.identityHashCode(connection);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Borrow borrow && borrow.get() == connection;
  }
}
