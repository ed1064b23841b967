package io.fluxguard.config;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The system's name servers from resolv.conf, as default upstreams. Loopback addresses are
 * skipped: when workstations (or this host) point their DNS at fluxguard, a loopback name server
 * is most likely fluxguard itself, and forwarding to it would loop.
 */
final class ResolvConf {
  static final List<InetSocketAddress> FALLBACK =
      List.of(new InetSocketAddress("9.9.9.9", 53), new InetSocketAddress("149.112.112.112", 53));

  private ResolvConf() {}

  /** Parsed name servers, with {@code skipped} receiving the loopback ones left out. */
  static List<InetSocketAddress> nameservers(Path file, List<String> skipped) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return List.of();
    }
    List<InetSocketAddress> servers = new ArrayList<>();
    for (String line : lines) {
      String[] words = line.trim().split("\\s+");
      if (words.length < 2 || !words[0].equals("nameserver")) {
        continue;
      }
      String host = words[1];
      int zone = host.indexOf('%');
      if (zone >= 0) {
        host = host.substring(0, zone);
      }
      try {
        InetAddress address = InetAddress.getByName(host);
        if (address.isLoopbackAddress() || address.isAnyLocalAddress()) {
          skipped.add(host);
        } else {
          servers.add(new InetSocketAddress(address, 53));
        }
      } catch (IOException e) {
        skipped.add(host);
      }
    }
    return servers;
  }
}
