package io.poolagent.bench;

import com.mchange.v2.c3p0.ComboPooledDataSource;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalPropertiesReader;
import io.poolagent.pool.PoolConfig;
import io.poolagent.pool.RetryingDataSource;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import javax.sql.DataSource;
import org.apache.commons.dbcp2.BasicDataSource;
import org.vibur.dbcp.ViburDBCPDataSource;

/**
 * Every pool the benchmarks compare, each built to the same safety as HikariCP's defaults: a
 * connection is validated with {@code Connection.isValid} when it is handed out (HikariCP and the
 * bundled pool skip the check for a connection returned in the last 500 ms; the others cannot and
 * check every time), and state the application changed (auto-commit, read-only, isolation, an open
 * transaction) is reset when it is returned. Leak detection is off in every pool unless asked for.
 */
public enum Pools {
  BUNDLED {
    @Override
    Started build(Target db, int size, Duration leak) {
      RetryingDataSource ds = new RetryingDataSource(PoolConfig.builder()
          .poolName("bench-bundled-" + size)
          .jdbcUrl(db.url()).user(db.user()).password(db.password())
          .minSize(size).maxSize(size)
          .statementTimeout(Duration.ZERO)
          .maxQueries(0)
          .leakDetectionTimeout(leak)
          .build());
      return new Started(ds, ds::close);
    }
  },
  HIKARI {
    @Override
    Started build(Target db, int size, Duration leak) {
      HikariConfig config = new HikariConfig();
      config.setPoolName("bench-hikari-" + size);
      config.setJdbcUrl(db.url());
      config.setUsername(db.user());
      config.setPassword(db.password());
      config.setMaximumPoolSize(size);
      config.setMinimumIdle(size);
      config.setLeakDetectionThreshold(leak.toMillis());
      HikariDataSource ds = new HikariDataSource(config);
      return new Started(ds, ds::close);
    }
  },
  DBCP2 {
    @Override
    Started build(Target db, int size, Duration leak) {
      BasicDataSource ds = new BasicDataSource();
      ds.setUrl(db.url());
      ds.setUsername(db.user());
      ds.setPassword(db.password());
      ds.setMaxTotal(size);
      ds.setMaxIdle(size);
      ds.setMinIdle(size);
      ds.setInitialSize(size);
      ds.setTestOnBorrow(true); // isValid, as no validation query is set
      ds.setRollbackOnReturn(true);
      ds.setAutoCommitOnReturn(true);
      return new Started(ds, ds::close);
    }
  },
  C3P0 {
    @Override
    Started build(Target db, int size, Duration leak) {
      ComboPooledDataSource ds = new ComboPooledDataSource();
      ds.setJdbcUrl(db.url());
      ds.setUser(db.user());
      ds.setPassword(db.password());
      ds.setMaxPoolSize(size);
      ds.setMinPoolSize(size);
      ds.setInitialPoolSize(size);
      ds.setTestConnectionOnCheckout(true); // isValid, as no test query is set
      return new Started(ds, ds::close);
    }
  },
  TOMCAT {
    @Override
    Started build(Target db, int size, Duration leak) {
      org.apache.tomcat.jdbc.pool.DataSource ds = new org.apache.tomcat.jdbc.pool.DataSource();
      ds.setUrl(db.url());
      ds.setDriverClassName(db.driverClass());
      ds.setUsername(db.user());
      ds.setPassword(db.password());
      ds.setMaxActive(size);
      ds.setMaxIdle(size);
      ds.setMinIdle(size);
      ds.setInitialSize(size);
      ds.setTestOnBorrow(true); // isValid, as no validation query is set
      ds.setRollbackOnReturn(true);
      ds.setJdbcInterceptors("ConnectionState");
      return new Started(ds, ds::close);
    }
  },
  VIBUR {
    @Override
    Started build(Target db, int size, Duration leak) {
      ViburDBCPDataSource ds = new ViburDBCPDataSource();
      ds.setJdbcUrl(db.url());
      ds.setUsername(db.user());
      ds.setPassword(db.password());
      ds.setPoolInitialSize(size);
      ds.setPoolMaxSize(size);
      ds.setConnectionIdleLimitInSeconds(0); // validate (isValid) on every take
      ds.setResetDefaultsAfterUse(true);
      ds.setClearSQLWarnings(true);
      ds.start();
      return new Started(ds, ds::terminate);
    }
  },
  AGROAL {
    @Override
    Started build(Target db, int size, Duration leak) throws Exception {
      Properties props = new Properties();
      props.setProperty(AgroalPropertiesReader.JDBC_URL, db.url());
      props.setProperty(AgroalPropertiesReader.PRINCIPAL, db.user());
      props.setProperty(AgroalPropertiesReader.CREDENTIAL, db.password());
      props.setProperty(AgroalPropertiesReader.MIN_SIZE, Integer.toString(size));
      props.setProperty(AgroalPropertiesReader.INITIAL_SIZE, Integer.toString(size));
      props.setProperty(AgroalPropertiesReader.MAX_SIZE, Integer.toString(size));
      props.setProperty(AgroalPropertiesReader.VALIDATE_ON_BORROW, "true");
      AgroalDataSource ds = AgroalDataSource.from(new AgroalPropertiesReader().readProperties(props));
      return new Started(ds, ds::close);
    }
  };

  /** How a pool is shut down. */
  @FunctionalInterface
  public interface Closer {
    void close() throws SQLException;
  }

  /** A started pool and how to stop it. */
  public record Started(DataSource dataSource, Closer closer) implements AutoCloseable {
    @Override
    public void close() throws SQLException {
      closer.close();
    }
  }

  abstract Started build(Target db, int size, Duration leak) throws Exception;

  /** Starts the pool with {@code size} connections (min = max) and leak detection off. */
  public Started start(Target db, int size) throws Exception {
    return build(db, size, Duration.ZERO);
  }

  /** Starts the pool with its own leak detection at {@code leak} (HikariCP and the bundled pool). */
  public Started startWithLeakDetection(Target db, int size, Duration leak) throws Exception {
    return build(db, size, leak);
  }
}
