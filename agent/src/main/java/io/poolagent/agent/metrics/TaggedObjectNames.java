package io.poolagent.agent.metrics;

import com.codahale.metrics.jmx.ObjectNameFactory;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.NamingConvention;
import io.micrometer.core.instrument.util.HierarchicalNameMapper;
import io.poolagent.agent.jmx.ObjectNameValues;
import java.util.Hashtable;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * Gives each meter an ObjectName that keeps its Micrometer name and tags apart, so JMX exporters can
 * match them: {@code poolagent.metrics:type=gauges,name=db.client.connection.count,
 * db.client.connection.pool.name=orders,db.client.connection.state=used}. The meter name and tags
 * travel from Micrometer to Dropwizard's JmxReporter as one string, joined by a separator that no
 * name contains.
 */
final class TaggedObjectNames implements HierarchicalNameMapper, ObjectNameFactory {
  private static final char SEPARATOR = '\u001f';

  @Override
  public String toHierarchicalName(Meter.Id id, NamingConvention convention) {
    StringBuilder out = new StringBuilder(clean(id.getName()));
    for (Tag tag : id.getTagsAsIterable()) {
      out.append(SEPARATOR).append(clean(tag.getKey())).append('=').append(clean(tag.getValue()));
    }
    return out.toString();
  }

  @Override
  public ObjectName createName(String type, String domain, String name) {
    String[] parts = name.split(String.valueOf(SEPARATOR), -1);
    @SuppressWarnings("JdkObsolete") // ObjectName takes a Hashtable
    Hashtable<String, String> properties = new Hashtable<>();
    properties.put("type", ObjectNameValues.of(type));
    properties.put("name", ObjectNameValues.of(parts[0]));
    for (int i = 1; i < parts.length; i++) {
      int eq = parts[i].indexOf('=');
      properties.put(parts[i].substring(0, eq), ObjectNameValues.of(parts[i].substring(eq + 1)));
    }
    try {
      return new ObjectName(domain, properties);
    } catch (MalformedObjectNameException e) {
      throw new IllegalArgumentException("poolagent: no JMX name for meter " + parts[0], e);
    }
  }

  private static String clean(String text) {
    return text.replace(SEPARATOR, ' ');
  }
}
