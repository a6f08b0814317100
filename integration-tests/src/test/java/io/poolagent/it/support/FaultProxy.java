package io.poolagent.it.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on loopback that injects network faults between a client and a server, for tests.
 *
 * <ul>
 *   <li>{@link Mode#PASS}: forwards both ways;
 *   <li>{@link Mode#CUT}: closes every link and refuses new connections (the port stops listening);
 *   <li>{@link Mode#BLACKHOLE}: accepts connections and holds every byte: nothing is answered;
 *   <li>{@link Mode#LATENCY}: forwards each chunk after {@link #latencyMillis(long)};
 *   <li>{@link Mode#RESET_MID_QUERY}: the next time a client sends (a query), its link is reset
 *       (TCP RST) both ways.
 * </ul>
 *
 * Switching back to PASS restores service on the same port; held bytes then flow.
 */
public final class FaultProxy implements AutoCloseable {
  public enum Mode { PASS, CUT, BLACKHOLE, LATENCY, RESET_MID_QUERY }

  private static final AtomicInteger IDS = new AtomicInteger();

  private final InetSocketAddress upstream;
  private final int port;
  private final Set<Link> links = ConcurrentHashMap.newKeySet();
  private final AtomicInteger accepted = new AtomicInteger();
  private final String name = "fault-proxy-" + IDS.incrementAndGet();
  private volatile Mode mode = Mode.PASS;
  private volatile long latencyMillis;
  private volatile ServerSocket server;
  private volatile Thread acceptor;
  private volatile boolean closed;

  /** Starts a proxy on a free loopback port in front of {@code upstreamHost:upstreamPort}. */
  public FaultProxy(String upstreamHost, int upstreamPort) throws IOException {
    this.upstream = new InetSocketAddress(upstreamHost, upstreamPort);
    ServerSocket s = bind(0);
    this.port = s.getLocalPort();
    listen(s);
  }

  public int port() {
    return port;
  }

  public Mode mode() {
    return mode;
  }

  /** Connections accepted so far. */
  public int accepted() {
    return accepted.get();
  }

  /** Links open now. */
  public int openLinks() {
    return links.size();
  }

  public void latencyMillis(long millis) {
    this.latencyMillis = millis;
  }

  /** Switches mode; CUT closes everything and stops listening, leaving CUT listens again. */
  public synchronized void mode(Mode next) throws IOException {
    Mode before = mode;
    mode = next;
    if (next == Mode.CUT && before != Mode.CUT) {
      stopListening();
      for (Link l : links) {
        l.close(false);
      }
    } else if (next != Mode.CUT && before == Mode.CUT) {
      listen(bind(port));
    }
  }

  /**
   * Closes the listening socket and waits for the accept thread to leave accept(): until then the
   * kernel may still complete handshakes into the backlog, and "refuse new connections" would lie.
   */
  private void stopListening() {
    closeQuietly(server);
    Thread t = acceptor;
    if (t != null) {
      try {
        t.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static ServerSocket bind(int port) throws IOException {
    ServerSocket s = new ServerSocket();
    s.setReuseAddress(true);
    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
    return s;
  }

  private void listen(ServerSocket s) {
    server = s;
    Thread t = new Thread(() -> acceptLoop(s), name + "-accept");
    t.setDaemon(true);
    acceptor = t;
    t.start();
  }

  private void acceptLoop(ServerSocket s) {
    while (!s.isClosed()) {
      Socket client;
      try {
        client = s.accept();
      } catch (IOException e) {
        return;
      }
      accepted.incrementAndGet();
      Thread opener = new Thread(() -> open(client), name + "-link");
      opener.setDaemon(true);
      opener.start();
    }
  }

  private void open(Socket client) {
    try {
      while (mode == Mode.BLACKHOLE && !closed) {
        Thread.sleep(10); // accepted, never answered
      }
      if (mode == Mode.CUT || closed) {
        closeQuietly(client);
        return;
      }
      Socket server = new Socket();
      server.connect(upstream, 5_000);
      client.setTcpNoDelay(true);
      server.setTcpNoDelay(true);
      Link link = new Link(client, server);
      links.add(link);
      link.start();
    } catch (IOException | InterruptedException e) {
      closeQuietly(client);
    }
  }

  /** One proxied connection: two pumps. */
  private final class Link {
    private final Socket client;
    private final Socket server;

    Link(Socket client, Socket server) {
      this.client = client;
      this.server = server;
    }

    void start() {
      pump(client, server, true);
      pump(server, client, false);
    }

    private void pump(Socket from, Socket to, boolean fromClient) {
      Thread t = new Thread(() -> {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
          for (int n; (n = in.read(buffer)) >= 0; ) {
            if (fromClient && mode == Mode.RESET_MID_QUERY) {
              close(true);
              return;
            }
            while (mode == Mode.BLACKHOLE && !closed) {
              Thread.sleep(10);
            }
            if (mode == Mode.LATENCY && latencyMillis > 0) {
              Thread.sleep(latencyMillis);
            }
            out.write(buffer, 0, n);
            out.flush();
          }
        } catch (IOException | InterruptedException e) {
          // the link is over
        } finally {
          close(false);
        }
      }, name + (fromClient ? "-up" : "-down"));
      t.setDaemon(true);
      t.start();
    }

    void close(boolean reset) {
      if (!links.remove(this) && !reset) {
        closeQuietly(client);
        closeQuietly(server);
        return;
      }
      if (reset) {
        try {
          client.setSoLinger(true, 0);
          server.setSoLinger(true, 0);
        } catch (SocketException e) {
          // closing anyway
        }
      }
      closeQuietly(client);
      closeQuietly(server);
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception e) {
      // nothing to do
    }
  }

  @Override
  public void close() {
    closed = true;
    stopListening();
    for (Link l : links) {
      l.close(false);
    }
  }
}
