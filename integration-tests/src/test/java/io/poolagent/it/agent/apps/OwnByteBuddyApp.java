package io.poolagent.it.agent.apps;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.implementation.FixedValue;
import net.bytebuddy.matcher.ElementMatchers;

/**
 * An application that carries its own (unshaded) Byte Buddy, as Hibernate and Mockito do, and uses
 * it at run time next to the agent's relocated copy.
 */
public final class OwnByteBuddyApp {
  private OwnByteBuddyApp() {}

  public static void main(String[] args) throws Exception {
    Class<?> generated = new ByteBuddy()
        .subclass(Object.class)
        .method(ElementMatchers.named("toString"))
        .intercept(FixedValue.value("made by the app's own Byte Buddy " + ByteBuddy.class.getName()))
        .make()
        .load(OwnByteBuddyApp.class.getClassLoader())
        .getLoaded();
    System.out.println(generated.getDeclaredConstructor().newInstance());
    HikariConfig config = new HikariConfig();
    config.setPoolName("child-bytebuddy-pool");
    config.setJdbcUrl(args[0]);
    config.setUsername(args[1]);
    config.setPassword(args[2]);
    config.setMaximumPoolSize(2);
    try (HikariDataSource ds = new HikariDataSource(config)) {
      Connection held = ds.getConnection();
      Thread.sleep(Long.parseLong(args[3]));
      held.close();
    }
    System.out.println("app finished normally");
  }
}
