package org.reelbox.common.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on loopback that breaks connections on purpose: after a connection has carried {@code
 * resetAfterBytes} bytes from client to server, it resets both sides (RST, not FIN), up to {@code
 * resets} times in all; later connections pass untouched. Used to prove that uploads resume after a
 * network failure mid-body.
 */
public final class FaultProxy implements AutoCloseable {
  private final ServerSocket server;
  private final InetSocketAddress target;
  private final long resetAfterBytes;
  private final AtomicInteger resetsLeft;
  private final AtomicInteger resetsDone = new AtomicInteger();
  private final ExecutorService pool =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "fault-proxy");
            t.setDaemon(true);
            return t;
          });
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  public FaultProxy(InetSocketAddress target, long resetAfterBytes, int resets) throws IOException {
    this.target = target;
    this.resetAfterBytes = resetAfterBytes;
    this.resetsLeft = new AtomicInteger(resets);
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    pool.execute(this::acceptLoop);
  }

  public int port() {
    return server.getLocalPort();
  }

  /** How many connections were reset so far. */
  public int resetsDone() {
    return resetsDone.get();
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket client = server.accept();
        Socket upstream = new Socket(target.getAddress(), target.getPort());
        open.add(client);
        open.add(upstream);
        pool.execute(() -> pump(client, upstream, true));
        pool.execute(() -> pump(upstream, client, false));
      } catch (IOException e) {
        if (!closed) {
          continue;
        }
        return;
      }
    }
  }

  private void pump(Socket from, Socket to, boolean clientToServer) {
    byte[] buf = new byte[16 * 1024];
    long carried = 0;
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      int n;
      while ((n = in.read(buf)) >= 0) {
        if (clientToServer && carried + n > resetAfterBytes && resetsLeft.get() > 0) {
          int allowed = (int) Math.max(0, resetAfterBytes - carried);
          out.write(buf, 0, allowed);
          out.flush();
          if (resetsLeft.getAndDecrement() > 0) {
            resetsDone.incrementAndGet();
            reset(from);
            reset(to);
            return;
          }
          out.write(buf, allowed, n - allowed);
        } else {
          out.write(buf, 0, n);
        }
        carried += n;
      }
      to.shutdownOutput();
    } catch (IOException e) {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private static void reset(Socket s) {
    try {
      s.setSoLinger(true, 0); // close() now sends RST
      s.close();
    } catch (IOException ignored) {
      // Already gone: that is the point.
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // Nothing left to do.
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    server.close();
    open.forEach(FaultProxy::closeQuietly);
    pool.shutdownNow();
  }
}
