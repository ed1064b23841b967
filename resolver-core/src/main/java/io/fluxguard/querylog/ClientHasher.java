package io.fluxguard.querylog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Replaces client addresses in the query log by HMAC-SHA256 under a key kept in the data
 * directory ({@code query-log.key}, made once, readable by its owner only): the same workstation
 * always gets the same 16 hex digits, so an analyst can follow it across the log, but without the
 * key the address cannot be recovered by trying every IPv4 address.
 */
final class ClientHasher {
  private final ThreadLocal<Mac> macs;

  ClientHasher(Path keyFile) throws IOException {
    byte[] key;
    if (Files.exists(keyFile)) {
      key = Files.readAllBytes(keyFile);
    } else {
      key = new byte[32];
      new SecureRandom().nextBytes(key);
      try { // created owner-only, never readable by others even for a moment
        Files.createFile(keyFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException e) {
        Files.createFile(keyFile); // not a POSIX file system: the directory's own protection applies
      }
      Files.write(keyFile, key);
    }
    SecretKeySpec spec = new SecretKeySpec(key, "HmacSHA256");
    this.macs = ThreadLocal.withInitial(() -> {
      try {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(spec);
        return mac;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("HmacSHA256 is part of every Java platform", e);
      }
    });
  }

  String hash(byte[] address) {
    return HexFormat.of().formatHex(macs.get().doFinal(address), 0, 8);
  }
}
