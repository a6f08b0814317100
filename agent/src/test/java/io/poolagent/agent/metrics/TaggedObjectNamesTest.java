package io.poolagent.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.NamingConvention;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

class TaggedObjectNamesTest {
  private final TaggedObjectNames names = new TaggedObjectNames();

  private ObjectName nameOf(String meter, Tags tags) {
    Meter.Id id = new Meter.Id(meter, tags, null, null, Meter.Type.GAUGE);
    return names.createName("gauges", AgentMetrics.DOMAIN,
        names.toHierarchicalName(id, NamingConvention.camelCase));
  }

  @Test
  void theMeterNameAndEachTagBecomeKeyProperties() throws Exception {
    ObjectName name = nameOf("db.client.connection.count",
        Tags.of(AgentMetrics.POOL_NAME, "orders", AgentMetrics.STATE, "used"));
    assertEquals(new ObjectName("poolagent.metrics:type=gauges,name=db.client.connection.count,"
        + "db.client.connection.pool.name=orders,db.client.connection.state=used"), name);
  }

  @Test
  void valuesThatJmxCannotTakeAsTheyAreAreQuoted() throws Exception {
    String pool = "org.example.Pool@1f, \"x\"=y:*?";
    ObjectName name = nameOf("poolagent.connection.leaked", Tags.of(AgentMetrics.POOL_NAME, pool));
    assertEquals(pool, ObjectName.unquote(name.getKeyProperty(AgentMetrics.POOL_NAME)));
    assertEquals("poolagent.connection.leaked", name.getKeyProperty("name"));
  }
}
