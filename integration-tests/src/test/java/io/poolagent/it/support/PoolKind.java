package io.poolagent.it.support;

import com.mchange.v2.c3p0.ComboPooledDataSource;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalPropertiesReader;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import javax.sql.DataSource;
import org.apache.commons.dbcp2.BasicDataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.vibur.dbcp.ViburDBCPDataSource;

/**
 * Every connection source the agent must handle, each built on the test database with at most four
 * connections unless {@link Limits} say otherwise. {@link #open} returns the DataSource and a way to shut it down.
 */
public enum PoolKind {
  HIKARI {
    @Override
    Opened build(TestDatabase db, String name, Limits limits) {
      HikariConfig config = new HikariConfig();
      config.setPoolName(name);
      config.setJdbcUrl(db.jdbcUrl());
      config.setUsername(db.user());
      config.setPassword(db.password());
      config.setMaximumPoolSize(limits.maxSize());
      limits.waitMillis().ifPresent(config::setConnectionTimeout);
      HikariDataSource ds = new HikariDataSource(config);
      return new Opened(ds, ds::close);
    }
  },
  DBCP2 {
    @Override
    Opened build(TestDatabase db, String name, Limits limits) {
      BasicDataSource ds = new BasicDataSource();
      ds.setUrl(db.jdbcUrl());
      ds.setUsername(db.user());
      ds.setPassword(db.password());
      ds.setMaxTotal(limits.maxSize());
      limits.waitMillis().ifPresent(ms -> ds.setMaxWait(Duration.ofMillis(ms)));
      return new Opened(ds, ds::close);
    }
  },
  C3P0 {
    @Override
    Opened build(TestDatabase db, String name, Limits limits) {
      ComboPooledDataSource ds = new ComboPooledDataSource();
      ds.setDataSourceName(name);
      ds.setJdbcUrl(db.jdbcUrl());
      ds.setUser(db.user());
      ds.setPassword(db.password());
      ds.setMaxPoolSize(limits.maxSize());
      limits.waitMillis().ifPresent(ms -> ds.setCheckoutTimeout((int) ms));
      ds.setMinPoolSize(1);
      ds.setInitialPoolSize(1);
      return new Opened(ds, ds::close);
    }
  },
  TOMCAT_JDBC {
    @Override
    Opened build(TestDatabase db, String name, Limits limits) {
      org.apache.tomcat.jdbc.pool.DataSource ds = new org.apache.tomcat.jdbc.pool.DataSource();
      ds.setName(name);
      ds.setUrl(db.jdbcUrl());
      ds.setDriverClassName("org.postgresql.Driver");
      ds.setUsername(db.user());
      ds.setPassword(db.password());
      ds.setMaxActive(limits.maxSize());
      limits.waitMillis().ifPresent(ms -> ds.setMaxWait((int) ms));
      ds.setInitialSize(1);
      ds.setMinIdle(1);
      ds.setMaxIdle(limits.maxSize());
      return new Opened(ds, ds::close);
    }
  },
  VIBUR {
    @Override
    Opened build(TestDatabase db, String name, Limits limits) {
      ViburDBCPDataSource ds = new ViburDBCPDataSource();
      ds.setName(name);
      ds.setJdbcUrl(db.jdbcUrl());
      ds.setUsername(db.user());
      ds.setPassword(db.password());
      ds.setPoolInitialSize(1);
      ds.setPoolMaxSize(limits.maxSize());
      limits.waitMillis().ifPresent(ds::setConnectionTimeoutInMs);
      ds.start();
      return new Opened(ds, ds::terminate);
    }
  },
  AGROAL {
    @Override
    Opened build(TestDatabase db, String name, Limits limits) throws Exception {
      Properties props = new Properties();
      props.putAll(Map.of(
          AgroalPropertiesReader.JDBC_URL, db.jdbcUrl(),
          AgroalPropertiesReader.PRINCIPAL, db.user(),
          AgroalPropertiesReader.CREDENTIAL, db.password(),
          AgroalPropertiesReader.MIN_SIZE, "1",
          AgroalPropertiesReader.INITIAL_SIZE, "1",
          AgroalPropertiesReader.MAX_SIZE, Integer.toString(limits.maxSize())));
      limits.waitMillis().ifPresent(ms ->
          props.put(AgroalPropertiesReader.ACQUISITION_TIMEOUT_MS, Long.toString(ms)));
      AgroalDataSource ds = AgroalDataSource.from(new AgroalPropertiesReader().readProperties(props));
      return new Opened(ds, ds::close);
    }
  },
  BUNDLED {
    @Override
    Opened build(TestDatabase db, String name, Limits limits) {
      io.poolagent.pool.RetryingDataSource ds = new io.poolagent.pool.RetryingDataSource(
          io.poolagent.pool.PoolConfig.builder()
              .poolName(name)
              .jdbcUrl(db.jdbcUrl())
              .user(db.user())
              .password(db.password())
              .minSize(1)
              .maxSize(limits.maxSize())
              .acquireTimeout(limits.waitMillis().isPresent()
                  ? Duration.ofMillis(limits.waitMillis().getAsLong()) : Duration.ofSeconds(30))
              .build());
      return new Opened(ds, ds::close);
    }
  },
  PG_SIMPLE {
    @Override
    Opened build(TestDatabase db, String name, Limits limits) {
      PGSimpleDataSource ds = new PGSimpleDataSource();
      ds.setURL(db.jdbcUrl());
      ds.setUser(db.user());
      ds.setPassword(db.password());
      return new Opened(ds, () -> {});
    }
  };

  /** How a source is shut down. */
  @FunctionalInterface
  public interface Closer {
    void close() throws SQLException;
  }

  /** A started source and how to stop it. */
  public record Opened(DataSource dataSource, Closer closer) implements AutoCloseable {
    @Override
    public void close() throws SQLException {
      closer.close();
    }
  }

  /**
   * Size and wait limit of a pool: {@code waitMillis} bounds getConnection when the pool is empty
   * and cannot open a connection (0 = the pool's own default).
   */
  public record Limits(int maxSize, long waitLimitMillis) {
    public static final Limits DEFAULT = new Limits(4, 0);

    OptionalLong waitMillis() {
      return waitLimitMillis > 0 ? OptionalLong.of(waitLimitMillis) : OptionalLong.empty();
    }
  }

  abstract Opened build(TestDatabase db, String name, Limits limits) throws Exception;

  /** Starts the source; {@code name} is its pool name where the pool has one. */
  public Opened open(TestDatabase db, String name) throws Exception {
    return build(db, name, Limits.DEFAULT);
  }

  /** Starts the source with other limits. */
  public Opened open(TestDatabase db, String name, Limits limits) throws Exception {
    return build(db, name, limits);
  }
}
