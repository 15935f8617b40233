/**
 * An NTP (RFC 5905) client library and command-line tool that measures this host's clock offset with an
 * honest error bound.
 */
module dev.ordo.ntp {
    requires transitive dev.ordo.clocks.api;
    requires transitive org.agrona;

    exports dev.ordo.ntp;
}
