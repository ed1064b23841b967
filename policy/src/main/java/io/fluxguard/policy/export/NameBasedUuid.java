package io.fluxguard.policy.export;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * Name-based UUIDs, version 5 (SHA-1), per RFC 9562 §5.5 (formerly RFC 4122 §4.3): the same
 * namespace and name always give the same UUID, so an object exported again keeps its id.
 */
final class NameBasedUuid {
  private NameBasedUuid() {}

  /** The version 5 UUID of {@code name} (hashed as UTF-8) in {@code namespace}. */
  static UUID v5(UUID namespace, String name) {
    MessageDigest sha1;
    try {
      sha1 = MessageDigest.getInstance("SHA-1"); // every Java platform must provide it
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    ByteBuffer space = ByteBuffer.allocate(16); // big-endian: network order
    space.putLong(namespace.getMostSignificantBits()).putLong(namespace.getLeastSignificantBits());
    sha1.update(space.array());
    byte[] hash = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
    hash[6] = (byte) ((hash[6] & 0x0f) | 0x50); // version 5 (§4.2)
    hash[8] = (byte) ((hash[8] & 0x3f) | 0x80); // variant 10x (§4.1)
    ByteBuffer first16 = ByteBuffer.wrap(hash, 0, 16);
    return new UUID(first16.getLong(), first16.getLong());
  }
}
