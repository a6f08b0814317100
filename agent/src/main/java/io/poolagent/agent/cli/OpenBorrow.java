package io.poolagent.agent.cli;

/**
 * One open borrow in a target JVM, as {@code status} shows it.
 *
 * @param id the borrow's connection id ({@code <pid>-<n>})
 * @param dataSource the pool's name, or class and identity
 * @param thread the borrowing thread, with its id
 * @param heldMillis how long it has been held
 * @param site the acquisition site (first frame)
 * @param flagged true when held past the threshold
 */
record OpenBorrow(
    String id, String dataSource, String thread, long heldMillis, String site, boolean flagged) {}
