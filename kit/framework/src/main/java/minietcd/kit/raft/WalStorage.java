package minietcd.kit.raft;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import minietcd.kit.node.Disk;

/**
 * {@link RaftStorage} as a write-ahead log in one file of a {@link Disk}. Each record is
 * {@code [length:int][crc32:int][type:byte][payload]}; replaying the records in order rebuilds the
 * state, a later entry record replacing the stored suffix from its index on. A record cut short at
 * the end of the file is a torn write and is dropped on load; a record whose checksum fails in the
 * middle of the file is corruption, and loading refuses it with the file name and offset.
 * A snapshot rewrites the file with just the current state, which keeps it bounded.
 */
public final class WalStorage implements RaftStorage {
    public static final String FILE = "raft.wal";
    private static final byte HARD_STATE = 1, ENTRY = 2, SNAPSHOT = 3;

    private final Disk disk;
    private HardState hardState = HardState.INITIAL;
    private Snapshot snapshot = Snapshot.NONE;
    private final List<Entry> entries = new ArrayList<>();

    public WalStorage(Disk disk) {
        this.disk = disk;
    }

    @Override
    public Recovered load() {
        byte[] wal = disk.read(FILE).orElse(new byte[0]);
        hardState = HardState.INITIAL;
        snapshot = Snapshot.NONE;
        entries.clear();
        int offset = 0;
        while (offset < wal.length) {
            int length = wal.length - offset < 8 ? 0 : ByteBuffer.wrap(wal, offset, 8).getInt();
            long end = offset + 8L + Math.max(length, 0);
            boolean whole = wal.length - offset >= 9 && length >= 1 && end <= wal.length;
            if (whole) {
                CRC32 check = new CRC32();
                check.update(wal, offset + 8, length);
                whole = (int) check.getValue() == ByteBuffer.wrap(wal, offset + 4, 4).getInt();
            }
            if (!whole) {
                // A record that cannot be read is the torn end of the last write if no whole record
                // follows it (zeros a file system preallocated may); if one does, it is corruption.
                if (recordAfter(wal, offset + 1))
                    throw new IllegalStateException("corrupt write-ahead log: file " + FILE + ", record at offset " + offset
                            + (length >= 1 && end <= wal.length ? " fails its checksum" : " has a bad length (" + length + ")") + " and records follow it");
                break;
            }
            replay(wal, offset + 8, length);
            offset = (int) end;
        }
        if (offset < wal.length) { // drop the torn tail so later appends follow a whole record
            disk.replace(FILE, java.util.Arrays.copyOf(wal, offset));
            disk.sync();
        }
        return new Recovered(hardState, snapshot, entries);
    }

    /** Whether a whole record (a sane length and a matching checksum) starts anywhere from {@code from} on. */
    private static boolean recordAfter(byte[] wal, int from) {
        int last = wal.length - 1;
        while (last >= 0 && wal[last] == 0) last--;
        for (int p = from; p + 9 <= last + 1; p++) {
            int length = ByteBuffer.wrap(wal, p, 4).getInt();
            if (length < 1 || p + 8L + length > wal.length || wal[p + 8] < HARD_STATE || wal[p + 8] > SNAPSHOT) continue;
            CRC32 check = new CRC32();
            check.update(wal, p + 8, length);
            if ((int) check.getValue() == ByteBuffer.wrap(wal, p + 4, 4).getInt()) return true;
        }
        return false;
    }

    private void replay(byte[] wal, int from, int length) {
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(wal, from, length))) {
            byte type = in.readByte();
            switch (type) {
                case HARD_STATE -> hardState = new HardState(in.readLong(), in.readInt());
                case ENTRY -> remember(new Entry(in.readLong(), in.readLong(), readString(in)));
                case SNAPSHOT -> forgetUpTo(new Snapshot(in.readLong(), in.readLong(), readString(in)));
                default -> throw new IllegalStateException("corrupt write-ahead log: unknown record type " + type);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void saveHardState(HardState state) {
        hardState = state;
        disk.append(FILE, record(HARD_STATE, out -> { out.writeLong(state.term()); out.writeInt(state.votedFor()); }));
    }

    @Override
    public void append(List<Entry> batch) {
        if (batch.isEmpty()) return;
        long expected = batch.get(0).index();
        long last = snapshot.index() + entries.size();
        if (expected > last + 1)
            throw new IllegalArgumentException("append of entry " + expected + " would leave a gap after the last stored entry " + last);
        if (expected <= snapshot.index())
            throw new IllegalArgumentException("append of entry " + expected + " rewrites entries covered by the snapshot at " + snapshot.index());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Entry e : batch) {
            if (e.index() != expected++) throw new IllegalArgumentException("entries are not consecutive: " + batch);
            remember(e);
            out.writeBytes(record(ENTRY, o -> { o.writeLong(e.index()); o.writeLong(e.term()); writeString(o, e.command()); }));
        }
        disk.append(FILE, out.toByteArray());
    }

    @Override
    public void saveSnapshot(Snapshot s) {
        if (s.index() <= snapshot.index()) return;
        forgetUpTo(s);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(record(HARD_STATE, o -> { o.writeLong(hardState.term()); o.writeInt(hardState.votedFor()); }));
        out.writeBytes(record(SNAPSHOT, o -> { o.writeLong(s.index()); o.writeLong(s.term()); writeString(o, s.data()); }));
        for (Entry e : entries)
            out.writeBytes(record(ENTRY, o -> { o.writeLong(e.index()); o.writeLong(e.term()); writeString(o, e.command()); }));
        disk.replace(FILE, out.toByteArray());
    }

    @Override
    public void sync() {
        disk.sync();
    }

    @Override
    public boolean dirty() {
        return disk.dirty();
    }

    private void remember(Entry e) {
        int at = (int) (e.index() - snapshot.index() - 1);
        while (entries.size() > at) entries.remove(entries.size() - 1);
        entries.add(e);
    }

    /** Drops entries the snapshot covers; keeps the rest only if they follow on from it. */
    private void forgetUpTo(Snapshot s) {
        int covered = (int) Math.min(entries.size(), Math.max(0, s.index() - snapshot.index()));
        boolean agrees = covered > 0 && entries.get(covered - 1).index() == s.index() && entries.get(covered - 1).term() == s.term();
        List<Entry> rest = agrees ? new ArrayList<>(entries.subList(covered, entries.size())) : List.of();
        entries.clear();
        entries.addAll(rest);
        snapshot = s;
    }

    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private static byte[] record(byte type, Writer body) {
        try {
            ByteArrayOutputStream payload = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(payload);
            out.writeByte(type);
            body.write(out);
            out.flush();
            byte[] p = payload.toByteArray();
            CRC32 crc = new CRC32();
            crc.update(p);
            return ByteBuffer.allocate(8 + p.length).putInt(p.length).putInt((int) crc.getValue()).put(p).array();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
        return new String(in.readNBytes(in.readInt()), StandardCharsets.UTF_8);
    }
}
