package dev.ordo.ntp.nts;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An on-path attacker for NTS tests: a UDP relay at the address the NTS-KE server told the client to use
 * (chronyd's {@code ntsntpserver}), forwarding each request to the real server and doing one of {@link Attack}
 * to the way back. Everything stays on loopback.
 */
final class OnPathRelay implements AutoCloseable
{
    /** What the relay does. */
    enum Attack
    {
        /** Forward both ways untouched. */
        NONE,
        /** Add one second to the reply's transmit timestamp, leaving the authenticator as it was. */
        SHIFT_TRANSMIT_TIMESTAMP,
        /** Flip one bit of the authenticator's tag/ciphertext. */
        FLIP_AUTHENTICATOR_BYTE,
        /** Send the first reply seen again before each genuine reply. */
        REPLAY_OLD_REPLY,
        /** Remove the authenticator extension field. */
        STRIP_AUTHENTICATOR,
        /** Answer each request with the (genuine) reply to the previous request. */
        REPLY_TO_PREVIOUS_REQUEST,
        /** Corrupt the cookie in each request, so the server answers with an NTS NAK. */
        CORRUPT_REQUEST_COOKIE
    }

    private final DatagramSocket front;
    private final DatagramSocket upstream;
    private final Thread thread;
    private volatile Attack attack = Attack.NONE;
    private volatile boolean closed;
    private byte[] firstReply;
    private byte[] previousReply;
    final AtomicInteger relayed = new AtomicInteger();

    OnPathRelay(final String frontAddress, final int port, final int serverPort) throws IOException
    {
        front = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(frontAddress), port));
        front.setSoTimeout(100);
        upstream = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), serverPort));
        upstream.setSoTimeout(1_000);
        thread = new Thread(this::run, "on-path-relay");
        thread.setDaemon(true);
        thread.start();
    }

    void attack(final Attack attack)
    {
        this.attack = attack;
    }

    private void run()
    {
        final byte[] in = new byte[4096];
        final byte[] back = new byte[4096];
        while (!closed)
        {
            try
            {
                final DatagramPacket request = new DatagramPacket(in, in.length);
                front.receive(request);
                final SocketAddress client = request.getSocketAddress();
                final Attack now = attack;
                if (now == Attack.CORRUPT_REQUEST_COOKIE && request.getLength() > 100)
                {
                    in[95] ^= 0x40; // inside the cookie, which follows the 36-byte unique identifier field
                }
                upstream.send(new DatagramPacket(in, request.getLength()));
                final DatagramPacket response = new DatagramPacket(back, back.length);
                upstream.receive(response);
                final byte[] reply = Arrays.copyOf(back, response.getLength());
                relayed.incrementAndGet();
                switch (now)
                {
                    case SHIFT_TRANSMIT_TIMESTAMP -> reply[43]++;
                    case FLIP_AUTHENTICATOR_BYTE -> reply[reply.length - 1] ^= 0x01;
                    case REPLAY_OLD_REPLY ->
                    {
                        if (firstReply != null)
                        {
                            front.send(new DatagramPacket(firstReply, firstReply.length, client));
                        }
                        else
                        {
                            firstReply = reply;
                        }
                    }
                    case STRIP_AUTHENTICATOR ->
                    {
                        final int at = authenticatorOffset(reply);
                        send(Arrays.copyOf(reply, at < 0 ? reply.length : at), client);
                        continue;
                    }
                    case REPLY_TO_PREVIOUS_REQUEST ->
                    {
                        final byte[] previous = previousReply;
                        previousReply = reply;
                        if (previous != null)
                        {
                            send(previous, client);
                        }
                        continue;
                    }
                    default ->
                    {
                    }
                }
                send(reply, client);
            }
            catch (final SocketTimeoutException ex)
            {
                // poll the closed flag
            }
            catch (final IOException ex)
            {
                if (!closed)
                {
                    System.err.println("relay: " + ex);
                }
            }
        }
    }

    private void send(final byte[] reply, final SocketAddress client) throws IOException
    {
        front.send(new DatagramPacket(reply, reply.length, client));
    }

    private static int authenticatorOffset(final byte[] reply)
    {
        int p = 48;
        while (reply.length - p >= 4)
        {
            final int type = NtsKeRecords.getShort(reply, p);
            if (type == NtsAssociation.EF_AUTHENTICATOR)
            {
                return p;
            }
            final int length = NtsKeRecords.getShort(reply, p + 2);
            if (length < 4)
            {
                return -1;
            }
            p += length;
        }
        return -1;
    }

    @Override
    public void close() throws InterruptedException
    {
        closed = true;
        thread.join(2_000);
        front.close();
        upstream.close();
    }
}
