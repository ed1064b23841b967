package io.fluxguard.e2e;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import org.xbill.DNS.Message;

/**
 * A deliberately plain DNS client: raw UDP datagrams and TCP frames, no retries, no TC handling,
 * so tests see exactly what the server sent.
 */
final class DnsClient {
  private DnsClient() {}

  /** Sends {@code query} over UDP; returns the answer bytes, or null if none came in time. */
  static byte[] udp(InetSocketAddress server, byte[] query, int timeoutMillis) throws IOException {
    try (DatagramSocket s = new DatagramSocket()) {
      s.setSoTimeout(timeoutMillis);
      s.send(new DatagramPacket(query, query.length, server));
      return receive(s);
    }
  }

  /** The next datagram on {@code s}, or null if none comes within its timeout. */
  static byte[] receive(DatagramSocket s) throws IOException {
    byte[] buf = new byte[65535];
    DatagramPacket p = new DatagramPacket(buf, buf.length);
    try {
      s.receive(p);
    } catch (SocketTimeoutException e) {
      return null;
    }
    return Arrays.copyOf(p.getData(), p.getLength());
  }

  static Message udp(InetSocketAddress server, Message query) throws IOException {
    byte[] answer = udp(server, query.toWire(), 5000);
    if (answer == null) {
      throw new SocketTimeoutException("no UDP answer from " + server);
    }
    return new Message(answer);
  }

  static Message tcp(InetSocketAddress server, Message query) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(server, 2000);
      s.setSoTimeout(5000);
      writeFrame(s, query.toWire());
      return new Message(readFrame(s));
    }
  }

  static void writeFrame(Socket s, byte[] wire) throws IOException {
    DataOutputStream out = new DataOutputStream(s.getOutputStream());
    out.writeShort(wire.length);
    out.write(wire);
    out.flush();
  }

  static byte[] readFrame(Socket s) throws IOException {
    DataInputStream in = new DataInputStream(s.getInputStream());
    int len = in.readUnsignedShort();
    byte[] wire = new byte[len];
    in.readFully(wire);
    return wire;
  }
}
