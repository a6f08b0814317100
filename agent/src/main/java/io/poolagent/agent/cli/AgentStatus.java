package io.poolagent.agent.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.management.Attribute;
import javax.management.JMException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;

/**
 * What {@code status} shows: the LeakDetector MBean's attributes, read by name as any JMX client
 * would (the well-known ones first, then any others the bean has), and the open borrows.
 *
 * @param pid the target JVM
 * @param jvm its main class or jar
 * @param options the options in force, as the agent prints them
 * @param attributes attribute name to value (numbers, booleans, strings, lists of strings)
 * @param inventory the open borrows and the operation they came from
 */
record AgentStatus(long pid, String jvm, String options, Map<String, Object> attributes,
    Inventory.Result inventory) {
  static final String OBJECT_NAME = "poolagent:type=LeakDetector";

  /** The attributes shown first, in this order; the README documents each. */
  static final List<String> KNOWN = List.of("OpenConnections", "LeakedConnections", "LeaksDetected",
      "GcUnclosed", "Acquired", "Released", "LeakThresholdMillis", "ScanIntervalMillis",
      "StackTrace", "InternalErrors", "InstrumentationErrors", "InstrumentedTypes");

  AgentStatus {
    attributes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
  }

  static AgentStatus read(long pid, String jvm, String options, MBeanServerConnection server)
      throws JMException, IOException {
    ObjectName name = new ObjectName(OBJECT_NAME);
    MBeanInfo info = server.getMBeanInfo(name);
    List<String> names = new ArrayList<>();
    for (String known : KNOWN) {
      for (MBeanAttributeInfo a : info.getAttributes()) {
        if (a.getName().equals(known) && a.isReadable()) {
          names.add(known);
        }
      }
    }
    for (MBeanAttributeInfo a : info.getAttributes()) {
      if (a.isReadable() && !names.contains(a.getName())) {
        names.add(a.getName());
      }
    }
    Map<String, Object> values = new LinkedHashMap<>();
    for (Attribute a : server.getAttributes(name, names.toArray(new String[0])).asList()) {
      Object value = a.getValue();
      values.put(a.getName(), value instanceof String[] array ? List.of(array)
          : value == null ? "" : value);
    }
    // getAttributes leaves out what it could not read; keep the documented order regardless
    Map<String, Object> ordered = new LinkedHashMap<>();
    for (String n : names) {
      if (values.containsKey(n)) {
        ordered.put(n, values.get(n));
      }
    }
    return new AgentStatus(pid, jvm, options, ordered, Inventory.read(server, name, info));
  }

  long number(String attribute) {
    Object value = attributes.get(attribute);
    return value instanceof Number n ? n.longValue() : -1;
  }
}
