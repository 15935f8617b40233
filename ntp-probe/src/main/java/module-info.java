/**
 * An NTP (RFC 5905) client library and command-line tool that measures this host's clock offset with an
 * honest error bound, with Network Time Security (RFC 8915) for authenticated measurements.
 */
module dev.ordo.ntp {
    requires transitive dev.ordo.clocks.api;
    requires transitive org.agrona;
    requires org.bouncycastle.tls;

    exports dev.ordo.ntp;
    exports dev.ordo.ntp.nts;
}
