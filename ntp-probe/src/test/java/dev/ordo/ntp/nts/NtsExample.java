package dev.ordo.ntp.nts;

import dev.ordo.ntp.NtpProbe;
import dev.ordo.ntp.ProbeResult;
import dev.ordo.ntp.ProbeSettings;
import dev.ordo.ntp.ServerResult;
import dev.ordo.ntp.ServerSpec;
import dev.ordo.ntp.nts.NtsKeClient;
import dev.ordo.ntp.nts.NtsTrust;
import org.agrona.concurrent.SystemEpochNanoClock;
import org.agrona.concurrent.SystemNanoClock;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;

public final class NtsExample
{
    public static void main(final String[] args) throws IOException
    {
        // args: an NTS-KE host, its port, and optionally a certificate file to trust (a private server)
        final NtsTrust trust = args.length > 2 ? NtsTrust.certificates(Path.of(args[2])) : NtsTrust.system();
        final NtsKeClient keClient = new NtsKeClient(trust, 5_000);
        final List<ServerSpec> servers = List.of(ServerSpec.nts(args[0], Integer.parseInt(args[1])));
        try (NtpProbe probe = NtpProbe.open(servers, ProbeSettings.DEFAULTS, SystemEpochNanoClock.INSTANCE,
            SystemNanoClock.INSTANCE, InetAddress::getByName, keClient))
        {
            final ProbeResult result = probe.measure();
            final ServerResult server = result.servers().get(0);
            if (server.ok() && server.authenticated())
            {
                System.out.println("offset " + server.offsetNs() + " ns ± " + server.boundNs() + " ns (NTS)");
            }
            else
            {
                System.out.println("no authenticated measurement: " + server.message());
            }
        }
    }
}
