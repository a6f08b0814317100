package io.poolagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolagent.it.support.PostgresExtension;
import io.poolagent.it.support.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class PostgresReachedIT {
  @Test
  void answersAQueryAsPostgreSql(TestDatabase db) throws Exception {
    try (Connection c = db.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT version(), 1 + 1")) {
      assertTrue(rs.next());
      assertTrue(rs.getString(1).startsWith("PostgreSQL"), rs.getString(1));
      assertEquals(2, rs.getInt(2));
    }
  }
}
