/**
 * Ordo's clock interfaces and allocation-free value helpers. Timestamps are primitive {@code long}s;
 * nothing on a hot path allocates.
 */
module dev.ordo.clocks.api {
    requires transitive org.agrona;

    exports dev.ordo.clocks.api;
}
