package io.tandem.telephony.codec;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Just enough Ogg (RFC 3533) and Ogg Opus (RFC 7845) to hand Opus packets to ffmpeg and take
 * its packets back: one packet per page on writing, any lacing on reading.
 */
final class OggOpus {
    private static final int[] CRC_TABLE = new int[256];

    static {
        // RFC 3533 §6: CRC-32, polynomial 0x04C11DB7, MSB first, initial value 0, no final XOR.
        for (int i = 0; i < 256; i++) {
            int r = i << 24;
            for (int bit = 0; bit < 8; bit++) {
                r = (r & 0x80000000) != 0 ? (r << 1) ^ 0x04C11DB7 : r << 1;
            }
            CRC_TABLE[i] = r;
        }
    }

    private OggOpus() {
    }

    /** An Ogg Opus file of mono 20 ms {@code packets} coded from {@code inputRate} audio. */
    static byte[] write(List<byte[]> packets, int inputRate, int preSkip) {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        int serial = 0x7A4D;
        ByteBuffer head = ByteBuffer.allocate(19).order(ByteOrder.LITTLE_ENDIAN);
        head.put("OpusHead".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 1)
                .putShort((short) preSkip).putInt(inputRate).putShort((short) 0).put((byte) 0);
        page(file, head.array(), 0x02, 0, serial, 0);
        byte[] vendor = "tandem-test".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer tags = ByteBuffer.allocate(8 + 4 + vendor.length + 4).order(ByteOrder.LITTLE_ENDIAN);
        tags.put("OpusTags".getBytes(StandardCharsets.US_ASCII)).putInt(vendor.length).put(vendor).putInt(0);
        page(file, tags.array(), 0, 0, serial, 1);
        long granule = 0;
        for (int i = 0; i < packets.size(); i++) {
            granule += 960; // 20 ms at Ogg Opus's fixed 48 kHz granule rate
            page(file, packets.get(i), i == packets.size() - 1 ? 0x04 : 0, granule, serial, i + 2);
        }
        return file.toByteArray();
    }

    /** All packets of the first logical stream, headers included, in order. */
    static List<byte[]> readPackets(byte[] file) {
        List<byte[]> packets = new ArrayList<>();
        ByteArrayOutputStream current = new ByteArrayOutputStream();
        int pos = 0;
        while (pos + 27 <= file.length) {
            if (file[pos] != 'O' || file[pos + 1] != 'g' || file[pos + 2] != 'g' || file[pos + 3] != 'S') {
                throw new IllegalArgumentException("no Ogg page at offset " + pos);
            }
            int segments = file[pos + 26] & 0xFF;
            int data = pos + 27 + segments;
            for (int s = 0; s < segments; s++) {
                int lacing = file[pos + 27 + s] & 0xFF;
                current.write(file, data, lacing);
                data += lacing;
                if (lacing < 255) {
                    packets.add(current.toByteArray());
                    current.reset();
                }
            }
            pos = data;
        }
        return packets;
    }

    private static void page(ByteArrayOutputStream out, byte[] packet, int flags, long granule, int serial, int seq) {
        int fullSegments = packet.length / 255;
        int segments = fullSegments + 1;
        ByteBuffer page = ByteBuffer.allocate(27 + segments + packet.length).order(ByteOrder.LITTLE_ENDIAN);
        page.put("OggS".getBytes(StandardCharsets.US_ASCII)).put((byte) 0).put((byte) flags)
                .putLong(granule).putInt(serial).putInt(seq).putInt(0).put((byte) segments);
        for (int i = 0; i < fullSegments; i++) {
            page.put((byte) 255);
        }
        page.put((byte) (packet.length % 255));
        page.put(packet);
        byte[] bytes = page.array();
        int crc = 0;
        for (byte b : bytes) {
            crc = (crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ b) & 0xFF];
        }
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(22, crc);
        out.write(bytes, 0, bytes.length);
    }
}
