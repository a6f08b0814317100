package io.poolagent.bench.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback TCP proxy in front of the database that can simulate an outage: {@link #cut()} closes
 * every link and stops listening (connections are refused), {@link #restore()} listens again on
 * the same port.
 */
final class OutageProxy implements AutoCloseable {
  private final InetSocketAddress upstream;
  private final int port;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private volatile ServerSocket server;

  OutageProxy(String host, int upstreamPort) throws IOException {
    this.upstream = new InetSocketAddress(host, upstreamPort);
    this.server = listen(0);
    this.port = server.getLocalPort();
  }

  int port() {
    return port;
  }

  void cut() throws IOException {
    server.close();
    for (Socket s : sockets) {
      s.close();
    }
    sockets.clear();
  }

  void restore() throws IOException {
    server = listen(port);
  }

  @Override
  public void close() throws IOException {
    cut();
  }

  private ServerSocket listen(int at) throws IOException {
    ServerSocket s = new ServerSocket();
    s.setReuseAddress(true);
    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), at));
    Thread acceptor = new Thread(() -> accept(s), "outage-proxy-accept");
    acceptor.setDaemon(true);
    acceptor.start();
    return s;
  }

  private void accept(ServerSocket s) {
    while (!s.isClosed()) {
      try {
        Socket client = s.accept();
        Socket db = new Socket(upstream.getAddress(), upstream.getPort());
        sockets.add(client);
        sockets.add(db);
        pump(client, db);
        pump(db, client);
      } catch (IOException e) {
        return; // closed by cut()
      }
    }
  }

  private void pump(Socket from, Socket to) {
    Thread t = new Thread(() -> {
      byte[] buffer = new byte[16384];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        for (int n; (n = in.read(buffer)) >= 0; ) {
          out.write(buffer, 0, n);
        }
      } catch (IOException e) {
        // link closed
      } finally {
        try {
          from.close();
          to.close();
        } catch (IOException e) {
          // already closed
        }
      }
    }, "outage-proxy-pump");
    t.setDaemon(true);
    t.start();
  }
}
