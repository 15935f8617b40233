/**
 * Ordo's clocks: Lamport, hybrid logical, vector and bounded-uncertainty clocks. Lock-free where shared,
 * allocation-free on every hot path.
 */
module dev.ordo.clocks.impl {
    requires transitive dev.ordo.clocks.api;
    requires transitive org.agrona;

    exports dev.ordo.clocks.lamport;
    exports dev.ordo.clocks.hlc;
    exports dev.ordo.clocks.bounded;
    exports dev.ordo.clocks.vector;
    exports dev.ordo.clocks.dvv;
    exports dev.ordo.clocks.causal;
    exports dev.ordo.clocks.itc;

}
