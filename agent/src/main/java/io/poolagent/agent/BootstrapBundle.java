package io.poolagent.agent;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Reads the classes {@link BootstrapInjector} defines in the bootstrap loader from an entry of the
 * agent jar ({@link #ENTRY}, {@link #DEFERRED_ENTRY}), written at build time by
 * {@link BootstrapBundleWriter}: every class after its super class and interfaces, so that each
 * definition succeeds the first time. One class at a time, into one buffer, in reads of at most
 * {@link #CHUNK} bytes: premain then touches a few tens of kilobytes of fresh memory instead of the
 * half megabyte the classes take, and on a virtual machine each fresh page is a costly fault
 * (reading the classes into one array took 4-6 ms there; a nested jar before it took as long again
 * to unzip, and a class defined before its super type cost a thrown and caught error).
 *
 * <p>Layout, big-endian: the int {@link #MAGIC}, the int count of classes, then per class the
 * unsigned short length of its binary name, the name in ASCII, the int length of its class file and
 * the class file.
 */
final class BootstrapBundle implements Closeable {
  /** The classes defined in premain. */
  static final String ENTRY = "META-INF/poolagent/bootstrap.classes";
  /**
   * ASM and the weavers built on it, defined at their first use ({@link DeferredClasses}): most
   * start-ups never weave through ASM, and defining its classes is a third of premain's definitions.
   */
  static final String DEFERRED_ENTRY = "META-INF/poolagent/bootstrap-asm.classes";
  /** "PAB1": pool-agent bootstrap classes, layout 1. */
  static final int MAGIC = 0x50414231;
  /** Longer reads make the JDK copy through a native buffer it allocates for the read. */
  private static final int CHUNK = 8192;
  /** Far above any class of ours: a corrupt length must not allocate the host's heap away. */
  private static final int MAX_CLASS_FILE = 16 << 20;

  private final InputStream in;
  private final int count;
  private int index;
  private byte[] buffer = new byte[32 * 1024];
  private int length;

  /**
   * @param in the bundle, closed with this
   * @throws IOException when {@code in} does not start as a bundle of this layout
   */
  BootstrapBundle(InputStream in) throws IOException {
    this.in = in;
    try {
      if (readInt() != MAGIC) {
        throw new IOException(ENTRY + " is not a pool-agent bootstrap bundle");
      }
    } catch (EOFException e) {
      throw new IOException(ENTRY + " is not a pool-agent bootstrap bundle", e);
    }
    count = readInt();
  }

  /**
   * Reads the next class; its class file is then {@link #classFile()}.
   *
   * @return its binary name, or null after the last class
   * @throws IOException when the bundle is cut short or has bytes after its last class
   */
  @Nullable String next() throws IOException {
    if (index == count) {
      if (in.read() != -1) {
        throw new IOException(ENTRY + " has bytes after its " + count + " classes");
      }
      return null;
    }
    index++;
    try {
      int nameLength = readShort();
      readFully(nameLength);
      String name = new String(buffer, 0, nameLength, StandardCharsets.ISO_8859_1);
      int classLength = readInt();
      if (classLength < 0 || classLength > MAX_CLASS_FILE) {
        throw new IOException(ENTRY + " gives class " + name + " the impossible length "
            + classLength);
      }
      readFully(classLength);
      length = classLength;
      return name;
    } catch (EOFException e) {
      throw new IOException(ENTRY + " is cut short: it ends inside class " + index + " of " + count,
          e);
    }
  }

  /** The class file {@link #next} read: a view of a buffer the following {@link #next} reuses. */
  ByteBuffer classFile() {
    return ByteBuffer.wrap(buffer, 0, length);
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  private int readInt() throws IOException {
    readFully(4);
    return (buffer[0] & 0xFF) << 24 | (buffer[1] & 0xFF) << 16 | (buffer[2] & 0xFF) << 8
        | (buffer[3] & 0xFF);
  }

  private int readShort() throws IOException {
    readFully(2);
    return (buffer[0] & 0xFF) << 8 | (buffer[1] & 0xFF);
  }

  /** Reads {@code n} bytes to the start of the buffer, first growing it when it is shorter. */
  private void readFully(int n) throws IOException {
    if (n > buffer.length) {
      buffer = new byte[n];
    }
    for (int read = 0; read < n; ) {
      int got = in.read(buffer, read, Math.min(CHUNK, n - read));
      if (got < 0) {
        throw new EOFException();
      }
      read += got;
    }
  }
}
