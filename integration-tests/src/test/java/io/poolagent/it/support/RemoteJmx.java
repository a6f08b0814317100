package io.poolagent.it.support;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.rmi.server.RMIServerSocketFactory;
import java.rmi.server.UnicastRemoteObject;
import java.util.Map;
import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXConnectorServerFactory;
import javax.management.remote.JMXServiceURL;
import javax.management.remote.rmi.RMIConnectorServer;

/**
 * This JVM's platform MBeanServer behind an RMI connector on a free loopback port, and a client
 * connected to it the way a remote JConsole is: through {@code service:jmx:rmi:///jndi/...}.
 */
public final class RemoteJmx implements AutoCloseable {
  private final Registry registry;
  private final JMXConnectorServer server;
  private final JMXConnector client;
  private final JMXServiceURL url;

  private RemoteJmx(Registry registry, JMXConnectorServer server, JMXConnector client,
      JMXServiceURL url) {
    this.registry = registry;
    this.server = server;
    this.client = client;
    this.url = url;
  }

  public static RemoteJmx start() throws IOException {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    System.setProperty("java.rmi.server.hostname", loopback.getHostAddress());
    RMIServerSocketFactory onLoopback = port -> new ServerSocket(port, 0, loopback);
    int port;
    try (ServerSocket probe = new ServerSocket(0, 0, loopback)) {
      port = probe.getLocalPort();
    }
    Registry registry = LocateRegistry.createRegistry(port, null, onLoopback);
    JMXServiceURL url = new JMXServiceURL(
        "service:jmx:rmi:///jndi/rmi://" + loopback.getHostAddress() + ":" + port + "/jmxrmi");
    JMXConnectorServer server = JMXConnectorServerFactory.newJMXConnectorServer(url,
        Map.of(RMIConnectorServer.RMI_SERVER_SOCKET_FACTORY_ATTRIBUTE, onLoopback),
        ManagementFactory.getPlatformMBeanServer());
    server.start();
    JMXConnector client = JMXConnectorFactory.connect(url);
    return new RemoteJmx(registry, server, client, url);
  }

  public MBeanServerConnection connection() throws IOException {
    return client.getMBeanServerConnection();
  }

  public JMXServiceURL url() {
    return url;
  }

  @Override
  public void close() throws IOException {
    try {
      client.close();
    } finally {
      try {
        server.stop();
      } finally {
        UnicastRemoteObject.unexportObject(registry, true);
      }
    }
  }
}
