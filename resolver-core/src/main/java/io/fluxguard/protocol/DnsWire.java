package io.fluxguard.protocol;

/**
 * Bounds-checked reads and writes of the fixed parts of a DNS message (RFC 1035 §4.1) on raw
 * bytes, for the paths where building a dnsjava {@code Message} would be wasted work.
 */
public final class DnsWire {
  public static final int HEADER_LENGTH = 12;

  public static final int FLAG_QR = 0x8000;
  public static final int MASK_OPCODE = 0x7800;
  public static final int FLAG_AA = 0x0400;
  public static final int FLAG_TC = 0x0200;
  public static final int FLAG_RD = 0x0100;
  public static final int FLAG_RA = 0x0080;
  public static final int FLAG_AD = 0x0020;
  public static final int FLAG_CD = 0x0010;
  public static final int MASK_RCODE = 0x000F;

  private static final int MAX_NAME_LENGTH = 255;

  private DnsWire() {}

  public static int u16(byte[] wire, int offset) {
    checkRange(wire, offset, 2);
    return ((wire[offset] & 0xFF) << 8) | (wire[offset + 1] & 0xFF);
  }

  public static long u32(byte[] wire, int offset) {
    checkRange(wire, offset, 4);
    return ((long) (wire[offset] & 0xFF) << 24)
        | ((wire[offset + 1] & 0xFF) << 16)
        | ((wire[offset + 2] & 0xFF) << 8)
        | (wire[offset + 3] & 0xFF);
  }

  public static void putU16(byte[] wire, int offset, int value) {
    wire[offset] = (byte) (value >>> 8);
    wire[offset + 1] = (byte) value;
  }

  public static void putU32(byte[] wire, int offset, long value) {
    wire[offset] = (byte) (value >>> 24);
    wire[offset + 1] = (byte) (value >>> 16);
    wire[offset + 2] = (byte) (value >>> 8);
    wire[offset + 3] = (byte) value;
  }

  public static int id(byte[] wire) {
    return u16(wire, 0);
  }

  public static int flags(byte[] wire) {
    return u16(wire, 2);
  }

  public static int opcode(int flags) {
    return (flags & MASK_OPCODE) >>> 11;
  }

  /** Count of records in a section: 0 question, 1 answer, 2 authority, 3 additional. */
  public static int count(byte[] wire, int section) {
    return u16(wire, 4 + 2 * section);
  }

  /**
   * Returns the offset just past the name starting at {@code offset}, following no pointers (a
   * pointer ends a name). With {@code allowPointers} false a compression pointer is rejected, as
   * it must be in the first name of a message.
   */
  public static int skipName(byte[] wire, int offset, boolean allowPointers) {
    int pos = offset;
    int length = 0;
    while (true) {
      checkRange(wire, pos, 1);
      int len = wire[pos] & 0xFF;
      if (len == 0) {
        return pos + 1;
      }
      if ((len & 0xC0) == 0xC0) {
        if (!allowPointers) {
          throw new MalformedMessageException("compression pointer in the question name");
        }
        checkRange(wire, pos, 2);
        return pos + 2;
      }
      if ((len & 0xC0) != 0) {
        throw new MalformedMessageException("unsupported label type " + (len >>> 6));
      }
      length += len + 1;
      if (length > MAX_NAME_LENGTH) {
        throw new MalformedMessageException("name longer than 255 octets");
      }
      pos += 1 + len;
    }
  }

  private static void checkRange(byte[] wire, int offset, int length) {
    if (offset < 0 || offset + length > wire.length) {
      throw new MalformedMessageException(
          "read of " + length + " bytes at offset " + offset + " past end of " + wire.length);
    }
  }
}
