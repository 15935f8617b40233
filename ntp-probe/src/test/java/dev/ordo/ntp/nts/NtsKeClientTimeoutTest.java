package dev.ordo.ntp.nts;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A KE server that accepts the connection and then says nothing, or is not there at all: the key exchange fails
 * within its timeout with a one-line message.
 */
class NtsKeClientTimeoutTest
{
    @Test
    void aSilentServerShouldFailWithinTheTimeoutAndAnAbsentOneAtOnce() throws Exception
    {
        final NtsKeClient client = new NtsKeClient(NtsTrust.system(), 300);
        final CountDownLatch release = new CountDownLatch(1);
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            final Thread acceptor = new Thread(() ->
            {
                try (Socket ignored = silent.accept())
                {
                    release.await(30, TimeUnit.SECONDS); // hold the connection open and silent
                }
                catch (final Exception done)
                {
                    // closed by the test
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            final long startNs = System.nanoTime();
            assertThatThrownBy(() -> client.establish("localhost", InetAddress.getLoopbackAddress(),
                silent.getLocalPort())).isInstanceOf(NtsException.class)
                .hasMessage("NTS-KE with localhost:" + silent.getLocalPort() + " failed: no answer within 300 ms");
            // Not a speed claim: only that the client gave up long before the silent server would have let go.
            org.assertj.core.api.Assertions.assertThat(System.nanoTime() - startNs).isLessThan(20_000_000_000L);
        }
        finally
        {
            release.countDown();
        }
        final int closedPort;
        try (ServerSocket closing = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            closedPort = closing.getLocalPort();
        }
        assertThatThrownBy(() -> client.establish("localhost", InetAddress.getLoopbackAddress(), closedPort))
            .isInstanceOf(NtsException.class).hasMessageStartingWith("NTS-KE with localhost:" + closedPort +
                " failed: cannot connect (Connection refused");
    }
}
