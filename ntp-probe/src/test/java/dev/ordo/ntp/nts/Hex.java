package dev.ordo.ntp.nts;

import java.util.HexFormat;

final class Hex
{
    private Hex()
    {
    }

    static byte[] bytes(final String hex)
    {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    static String text(final byte[] bytes, final int offset, final int length)
    {
        return HexFormat.of().formatHex(bytes, offset, offset + length);
    }
}
