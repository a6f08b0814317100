package io.poolagent.sample;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/** The data layer of the sample order service: plain JDBC over any DataSource. */
final class OrderRepository {
  private final DataSource dataSource;
  private final String table;
  /** The last statement {@link #totalFor} ran, kept for a diagnostics page the sample leaves out. */
  @SuppressWarnings("UnusedVariable")
  private volatile @Nullable PreparedStatement lastTotalQuery;

  OrderRepository(DataSource dataSource, String table) {
    this.dataSource = dataSource;
    this.table = table;
  }

  void createSchema() throws SQLException {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS " + table);
      s.execute("CREATE TABLE " + table
          + " (id BIGINT PRIMARY KEY, customer VARCHAR(64) NOT NULL, amount_cents BIGINT NOT NULL)");
    }
  }

  void placeOrder(long id, String customer, long amountCents) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement insert = c.prepareStatement(
            "INSERT INTO " + table + " (id, customer, amount_cents) VALUES (?, ?, ?)")) {
      insert.setLong(1, id);
      insert.setString(2, customer);
      insert.setLong(3, amountCents);
      insert.executeUpdate();
    }
  }

  Optional<String> customerOf(long id) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement query =
            c.prepareStatement("SELECT customer FROM " + table + " WHERE id = ?")) {
      query.setLong(1, id);
      try (ResultSet rs = query.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    }
  }

  /**
   * The bug this sample exists to show: the early return for a missing order skips the close, so
   * every lookup of an unknown order leaks one connection. The statement is also kept for
   * diagnostics ({@link #lastTotalQuery}), which keeps the leaked connection reachable, so the agent
   * reports it as held past the threshold (a connection dropped and collected instead would be
   * reported as gc-unclosed).
   */
  @SuppressWarnings("try")
  Optional<Long> totalFor(long id) throws SQLException {
    Connection c = dataSource.getConnection();
    PreparedStatement query =
        c.prepareStatement("SELECT amount_cents FROM " + table + " WHERE id = ?");
    query.setLong(1, id);
    lastTotalQuery = query;
    ResultSet rs = query.executeQuery();
    if (!rs.next()) {
      return Optional.empty(); // leaks c: the connection is never closed on this path
    }
    long total = rs.getLong(1);
    c.close();
    return Optional.of(total);
  }

  /** A slow monthly report: it holds its connection longer than the leak threshold, then returns it. */
  long slowReport(long holdMillis) throws SQLException, InterruptedException {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
      Thread.sleep(holdMillis);
      rs.next();
      return rs.getLong(1);
    }
  }

  long count() throws SQLException {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
