package minietcd.kit.apiserver;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import minietcd.kit.controlplane.ObjectJson;
import minietcd.kit.controlplane.StatusException;

/**
 * The one protobuf body kubectl sends that this JSON-only server reads: a Namespace, as
 * {@code kubectl create namespace} sends it (Kubernetes' {@code k8s\0} envelope around an
 * {@code Unknown} holding the type and the object's bytes). Only its metadata is read (name,
 * generateName, labels, annotations), which is all a new namespace has. Any other protobuf body is a
 * 415 that says how to send it as JSON instead.
 */
final class Protobuf {
    static final String CONTENT_TYPE = "application/vnd.kubernetes.protobuf";
    private static final byte[] MAGIC = {'k', '8', 's', 0};

    private Protobuf() {}

    static ObjectNode decode(byte[] body) {
        if (body.length < 4 || !Arrays.equals(Arrays.copyOf(body, 4), MAGIC)) throw unsupported("not a Kubernetes protobuf body");
        Reader unknown = new Reader(body, 4, body.length);
        String apiVersion = "", kind = "";
        byte[] raw = null;
        while (unknown.more()) {
            int key = unknown.varint32();
            if (key >>> 3 == 1 && (key & 7) == 2) {
                Reader type = unknown.nested();
                while (type.more()) {
                    int k = type.varint32();
                    if (k >>> 3 == 1 && (k & 7) == 2) apiVersion = type.string();
                    else if (k >>> 3 == 2 && (k & 7) == 2) kind = type.string();
                    else type.skip(k);
                }
            } else if (key >>> 3 == 2 && (key & 7) == 2) {
                raw = unknown.bytes();
            } else {
                unknown.skip(key);
            }
        }
        if (!kind.equals("Namespace") || raw == null) throw unsupported("a protobuf " + (kind.isEmpty() ? "object" : kind));
        ObjectNode o = ObjectJson.MAPPER.createObjectNode().put("apiVersion", apiVersion.isEmpty() ? "v1" : apiVersion).put("kind", kind);
        ObjectNode meta = o.putObject("metadata");
        Reader object = new Reader(raw, 0, raw.length);
        while (object.more()) {
            int key = object.varint32();
            if (key >>> 3 != 1 || (key & 7) != 2) {
                object.skip(key);
                continue;
            }
            Reader m = object.nested();
            while (m.more()) {
                int k = m.varint32();
                int field = k >>> 3;
                if ((k & 7) != 2) {
                    m.skip(k);
                } else if (field == 1) {
                    meta.put("name", m.string());
                } else if (field == 2) {
                    meta.put("generateName", m.string());
                } else if (field == 11 || field == 12) {
                    Reader entry = m.nested();
                    String ek = "", ev = "";
                    while (entry.more()) {
                        int ekey = entry.varint32();
                        if (ekey >>> 3 == 1 && (ekey & 7) == 2) ek = entry.string();
                        else if (ekey >>> 3 == 2 && (ekey & 7) == 2) ev = entry.string();
                        else entry.skip(ekey);
                    }
                    ObjectNode map = meta.get(field == 11 ? "labels" : "annotations") instanceof ObjectNode x ? x : meta.putObject(field == 11 ? "labels" : "annotations");
                    map.put(ek, ev);
                } else {
                    m.skip(k);
                }
            }
        }
        return o;
    }

    private static StatusException unsupported(String what) {
        return new StatusException(415, "UnsupportedMediaType", what + ": this API server reads JSON bodies only; "
                + "write the object in a file and use kubectl apply -f (or create -f)", null, null);
    }

    /** Protobuf's wire format over a slice of bytes. */
    private static final class Reader {
        private final byte[] b;
        private int at;
        private final int end;

        Reader(byte[] b, int from, int to) {
            this.b = b;
            this.at = from;
            this.end = to;
        }

        boolean more() {
            return at < end;
        }

        long varint() {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (at >= end) throw unsupported("a truncated protobuf body");
                byte x = b[at++];
                v |= (long) (x & 0x7f) << shift;
                if (x >= 0) return v;
            }
            throw unsupported("a malformed protobuf body");
        }

        int varint32() {
            return (int) varint();
        }

        byte[] bytes() {
            long n = varint();
            if (n < 0 || n > end - at) throw unsupported("a truncated protobuf body");
            byte[] out = Arrays.copyOfRange(b, at, at + (int) n);
            at += (int) n;
            return out;
        }

        String string() {
            return new String(bytes(), StandardCharsets.UTF_8);
        }

        Reader nested() {
            long n = varint();
            if (n < 0 || n > end - at) throw unsupported("a truncated protobuf body");
            Reader r = new Reader(b, at, at + (int) n);
            at += (int) n;
            return r;
        }

        void skip(int key) {
            switch (key & 7) {
                case 0 -> varint();
                case 1 -> at += 8;
                case 2 -> bytes();
                case 5 -> at += 4;
                default -> throw unsupported("a protobuf body with wire type " + (key & 7));
            }
            if (at > end) throw unsupported("a truncated protobuf body");
        }
    }
}
