package dev.ordo.clocks.bounded;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Issue 10 item 17: fencing tokens that survive a restart, on the issuing side and on the guarding side. */
class DurableFencingTokenTest
{
    @TempDir
    Path dir;

    /** The defect: a fresh in-memory guard accepted 33 after 34 had been seen before a restart. */
    @Test
    void restoredGuardShouldRefuseATokenBelowOneAcceptedBeforeTheRestart() throws Exception
    {
        final Path file = dir.resolve("guard.token");
        final DurableFencingTokenGuard before = new DurableFencingTokenGuard(FileFencingTokenStore.create(file, 0));
        assertThat(before.highestToken()).isEqualTo(FencingTokenGuard.NONE);
        assertThat(before.tryAccept(34)).isTrue();

        final DurableFencingTokenGuard after = new DurableFencingTokenGuard(FileFencingTokenStore.open(file));
        assertThat(after.highestToken()).isEqualTo(34);
        assertThat(after.tryAccept(33)).isFalse();
        assertThat(after.tryAcceptCurrent(33)).isFalse();
        assertThat(after.tryAccept(34)).isFalse();
        assertThat(after.tryAcceptCurrent(34)).isTrue();
        assertThat(after.tryAccept(35)).isTrue();
        assertThat(new FencingTokenGuard(after.highestToken()).tryAccept(35)).isFalse();
    }

    @Test
    void issuerShouldContinueAboveEveryTokenIssuedBeforeARestart() throws Exception
    {
        final Path file = dir.resolve("issuer.token");
        final FencingTokenIssuer first = new FencingTokenIssuer(FileFencingTokenStore.create(file, 1), 10);
        long last = -1;
        for (int i = 0; i < 25; i++)
        {
            final long token = first.next();
            assertThat(token).isGreaterThan(last);
            last = token;
        }
        assertThat(last).isEqualTo(25);
        final FencingTokenIssuer restarted = new FencingTokenIssuer(FileFencingTokenStore.open(file), 10);
        assertThat(restarted.next()).as("skips the unused rest of the reservation, never repeats").isEqualTo(31);
    }

    @Test
    void firstStartShouldBeExplicitAndALostOrCorruptFileRefused() throws Exception
    {
        final Path file = dir.resolve("token");
        assertThatThrownBy(() -> FileFencingTokenStore.open(file)).isInstanceOf(NoSuchFileException.class)
            .hasMessageContaining("missing").hasMessageContaining("create");
        FileFencingTokenStore.create(file, 5);
        assertThatThrownBy(() -> FileFencingTokenStore.create(file, 0)).isInstanceOf(FileAlreadyExistsException.class);
        assertThatThrownBy(() -> FileFencingTokenStore.create(dir.resolve("no-dir").resolve("token"), 0))
            .isInstanceOf(NoSuchFileException.class).hasMessageContaining("directory");
        assertThat(FileFencingTokenStore.open(file).load()).isEqualTo(5);
        for (final String bad : new String[] {"", "ordo-fencing-token 1 \n", "ordo-fencing-token 1 12",
            "ordo-fencing-token 1 99999999999999999999\n", "ordo-fencing-token 1 -4\n", "garbage\n"})
        {
            Files.writeString(file, bad, StandardCharsets.US_ASCII);
            assertThatThrownBy(() -> FileFencingTokenStore.open(file)).as("%s", bad)
                .hasMessageContaining("corrupt fencing-token file").hasMessageContaining(file.toString());
        }
    }

    @Test
    void failedStoreShouldIssueAndAcceptNothing()
    {
        final FencingTokenStore failing = new FencingTokenStore()
        {
            long value = 7;
            boolean broken;

            @Override
            public long load()
            {
                return value;
            }

            @Override
            public void store(final long newValue)
            {
                if (broken)
                {
                    throw new UncheckedIOException(new java.io.IOException("disk full"));
                }
                value = newValue;
                broken = true;
            }
        };
        final FencingTokenIssuer issuer = new FencingTokenIssuer(failing, 2);
        assertThat(issuer.next()).isEqualTo(7);
        assertThat(issuer.next()).isEqualTo(8);
        assertThatThrownBy(issuer::next).isInstanceOf(UncheckedIOException.class);
        assertThat(issuer.lastIssued()).isEqualTo(8);

        final DurableFencingTokenGuard guard = new DurableFencingTokenGuard(failing);
        assertThatThrownBy(() -> guard.tryAccept(20)).isInstanceOf(UncheckedIOException.class);
        assertThat(guard.highestToken()).isEqualTo(8);
        assertThatThrownBy(() -> guard.tryAccept(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> guard.tryAccept(Long.MAX_VALUE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FencingTokenGuard(-2)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @Timeout(30)
    void concurrentIssueShouldGiveDistinctTokensAndConcurrentGuardsStoreTheirHighest() throws Exception
    {
        final MemoryStore issuerStore = new MemoryStore(0);
        final FencingTokenIssuer issuer = new FencingTokenIssuer(issuerStore, 3);
        final MemoryStore guardStore = new MemoryStore(0);
        final DurableFencingTokenGuard guard = new DurableFencingTokenGuard(guardStore);
        final ConcurrentHashMap<Long, Boolean> issued = new ConcurrentHashMap<>();
        final AtomicLong duplicates = new AtomicLong();
        final AtomicLong notDurable = new AtomicLong();
        final Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++)
        {
            threads[t] = new Thread(() ->
            {
                for (int i = 0; i < 5_000; i++)
                {
                    final long token = issuer.next();
                    if (issued.put(token, Boolean.TRUE) != null)
                    {
                        duplicates.incrementAndGet();
                    }
                    if (token >= issuerStore.value)
                    {
                        notDurable.incrementAndGet(); // issued without a stored limit above it
                    }
                    if (guard.tryAcceptCurrent(token) && guardStore.value <= token)
                    {
                        notDurable.incrementAndGet(); // accepted without being stored first
                    }
                }
            });
        }
        for (final Thread thread : threads)
        {
            thread.start();
        }
        for (final Thread thread : threads)
        {
            thread.join();
        }
        assertThat(duplicates.get()).isZero();
        assertThat(notDurable.get()).isZero();
        assertThat(issued).hasSize(20_000);
        assertThat(guard.highestToken()).isEqualTo(19_999);
        assertThat(guardStore.value).isEqualTo(20_000);
    }

    /** An in-memory store whose value other threads may read (volatile). */
    static final class MemoryStore implements FencingTokenStore
    {
        volatile long value;

        MemoryStore(final long value)
        {
            this.value = value;
        }

        @Override
        public long load()
        {
            return value;
        }

        @Override
        public void store(final long newValue)
        {
            value = newValue;
        }
    }
}
