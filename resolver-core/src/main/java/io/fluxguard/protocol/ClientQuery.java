package io.fluxguard.protocol;

import org.xbill.DNS.Name;

/**
 * One decoded client query: the question as the client wrote it (letter case preserved in
 * {@code questionWire}), the header bits that travel to the answer, and the client's EDNS(0)
 * parameters (RFC 6891).
 *
 * @param id the client's transaction ID, echoed in the answer
 * @param flags the client's header flags word
 * @param name the question name (case as sent)
 * @param nameText the question name in lower case without the final dot, as policies match it
 *     (worked out once here, not by each policy that looks at the query)
 * @param type the question type
 * @param dclass the question class
 * @param questionWire the question section exactly as sent: name, type, class
 * @param edns whether the client sent an OPT record
 * @param udpPayloadSize the largest UDP answer the client accepts (512 without EDNS)
 * @param dnssecOk the client's DO bit
 */
public record ClientQuery(
    int id,
    int flags,
    Name name,
    String nameText,
    int type,
    int dclass,
    byte[] questionWire,
    boolean edns,
    int udpPayloadSize,
    boolean dnssecOk) {

  /** RFC 1035 §4.2.1: the UDP limit without EDNS, and the floor of any advertised size. */
  public static final int CLASSIC_UDP_SIZE = 512;

  public boolean recursionDesired() {
    return (flags & DnsWire.FLAG_RD) != 0;
  }

  public boolean checkingDisabled() {
    return (flags & DnsWire.FLAG_CD) != 0;
  }

  public boolean authenticData() {
    return (flags & DnsWire.FLAG_AD) != 0;
  }
}
