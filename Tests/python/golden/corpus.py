"""The codec golden corpus: named AllTypes messages (and one IngestRequest) built with
the real protobuf library. make_goldens.py writes their encodings; test_codec_goldens.py
checks what the Swift codec wrote. The Swift side mirrors every case in
Tests/ProtobufTests/GoldenCorpus*.swift, by the same names.
"""
import math
import os
import random
import struct
import subprocess
import sys
import tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
TEST_PROTOS = os.path.join(ROOT, "Tests", "ProtobufTests", "Protos")
CONTRACT_PROTOS = os.path.join(ROOT, "Shared", "Protos")

INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
UINT32_MAX, UINT64_MAX = 2**32 - 1, 2**64 - 1


def load_stubs():
    """Compiles the test and ingest protos with grpcio-tools' protoc into a temp dir and imports them."""
    out = tempfile.mkdtemp(prefix="fh-golden-stubs-")
    from grpc_tools import protoc
    for include, proto in ((TEST_PROTOS, "fanheat/codectest/v1/all_types.proto"),
                           (CONTRACT_PROTOS, "fanheat/ingest/v1/ingest.proto")):
        rc = protoc.main(["protoc", f"-I{include}", f"--python_out={out}", proto])
        if rc != 0:
            raise SystemExit(f"protoc failed for {proto}")
    sys.path.insert(0, out)
    from fanheat.codectest.v1 import all_types_pb2
    from fanheat.ingest.v1 import ingest_pb2
    return all_types_pb2, ingest_pb2


def varint(value):
    value &= (1 << 64) - 1
    out = bytearray()
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def tag(field, wire_type):
    return varint(field << 3 | wire_type)


def length_delimited(field, payload):
    return tag(field, 2) + varint(len(payload)) + payload


def make_ingest_request(ingest_pb2, n, seed=42):
    """The same realistic activities as shared/peers/python/ingest_tool.py."""
    crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
    clubs = ["club-tokyo-ravens", "club-osaka-lights", "artist-mika-sora", "shop-harbor-fc"]
    base_ms = 1_763_900_000_000
    rng = random.Random(seed)
    activities = []
    for i in range(n):
        kind = rng.randint(1, 10)
        a = ingest_pb2.Activity(
            event_id="".join(rng.choice(crockford) for _ in range(26)),
            club_id=rng.choice(clubs),
            member_id="m" + "".join(rng.choice("0123456789abcdef") for _ in range(11)),
            kind=kind,
            occurred_at_ms=base_ms + i * 137 + rng.randint(0, 999),
            item_id=f"item-{rng.randint(0, 99999):06d}",
            value=rng.randint(1, 600),
        )
        if kind == ingest_pb2.ACTIVITY_KIND_PURCHASE:
            a.currency = "JPY"
            a.value = rng.randint(500, 20000)
        activities.append(a)
    return ingest_pb2.IngestRequest(activities=activities)


def corpus(pb, ingest_pb2):
    """name -> (message, raw bytes to write instead of message.SerializeToString(), or None)."""
    T = pb.AllTypes
    N = pb.Nested
    cases = {}

    cases["empty"] = (T(), None)
    cases["scalars_typical"] = (T(
        f_double=1.5, f_float=-2.25, f_int64=1234567890123, f_uint64=9876543210, f_int32=42,
        f_fixed64=0xDEADBEEFCAFEBABE, f_fixed32=0xCAFEBABE, f_bool=True, f_string="hello",
        f_bytes=b"\x00\x01\xff", f_uint32=4000000000, f_sfixed32=-5, f_sfixed64=-6, f_sint32=-7,
        f_sint64=-8, f_enum=pb.COLOR_GREEN, f_nested=N(a=1, note="n")), None)
    cases["minus_one"] = (T(
        f_double=-1.0, f_float=-1.0, f_int64=-1, f_int32=-1, f_sfixed32=-1, f_sfixed64=-1,
        f_sint32=-1, f_sint64=-1, f_enum=pb.COLOR_NEGATIVE), None)
    cases["extremes_min"] = (T(
        f_int32=INT32_MIN, f_int64=INT64_MIN, f_sint32=INT32_MIN, f_sint64=INT64_MIN,
        f_sfixed32=INT32_MIN, f_sfixed64=INT64_MIN, f_enum=INT32_MIN), None)
    cases["extremes_max"] = (T(
        f_int32=INT32_MAX, f_int64=INT64_MAX, f_uint32=UINT32_MAX, f_uint64=UINT64_MAX,
        f_fixed32=UINT32_MAX, f_fixed64=UINT64_MAX, f_sint32=INT32_MAX, f_sint64=INT64_MAX,
        f_sfixed32=INT32_MAX, f_sfixed64=INT64_MAX, f_enum=INT32_MAX), None)
    cases["float_infinities"] = (T(f_double=math.inf, f_float=-math.inf), None)
    cases["float_nan"] = (T(f_double=math.nan, f_float=math.nan), None)
    cases["negative_zero"] = (T(f_double=-0.0, f_float=-0.0), None)
    cases["strings_unicode"] = (T(
        f_string="ファン熱 🔥 café", f_far="far field", r_string=["", "a", "日本語", "😀"],
        f_bytes=bytes(range(256)), r_bytes=[b"", b"\x00", b"\xff\xfe"]), None)
    cases["repeated_packed"] = (T(
        r_double=[0.0, -1.5, math.inf], r_float=[1.25, -0.0], r_int64=[0, -1, INT64_MIN, INT64_MAX],
        r_uint64=[0, 1, UINT64_MAX], r_int32=[0, -1, INT32_MIN, INT32_MAX, 300], r_fixed64=[0, UINT64_MAX],
        r_fixed32=[0, UINT32_MAX], r_bool=[True, False, True], r_uint32=[0, UINT32_MAX],
        r_sfixed32=[INT32_MIN, -1, 1], r_sfixed64=[INT64_MIN, 0], r_sint32=[INT32_MIN, -1, 0, 1, INT32_MAX],
        r_sint64=[INT64_MIN, -1, 0, 1, INT64_MAX], r_enum=[pb.COLOR_RED, pb.COLOR_NEGATIVE, 0],
        r_nested=[N(a=1), N(), N(note="x")]), None)
    cases["repeated_unpacked"] = (T(
        u_int32=[1, -1, INT32_MIN], u_sint64=[INT64_MIN, 0, 5], u_double=[0.0, -1.5, math.inf],
        u_enum=[pb.COLOR_RED, pb.COLOR_NEGATIVE, 7]), None)
    raw = (b"".join(tag(25, 0) + varint(v) for v in (1, -2, 300))
           + tag(21, 1) + struct.pack("<d", 1.5) + tag(28, 0) + varint(1))
    cases["packed_field_sent_unpacked"] = (T.FromString(raw), raw)
    payload = varint(5) + varint(-6)
    raw = length_delimited(40, payload) + length_delimited(42, struct.pack("<dd", 2.5, -3.0))
    cases["unpacked_field_sent_packed"] = (T.FromString(raw), raw)
    cases["maps"] = (T(
        m_string_string={"a": "1", "b": "", "": "empty key", "日本": "語"},
        m_int32_int64={-1: INT64_MIN, 0: 0, 7: 7},
        m_uint64_nested={UINT64_MAX: N(a=5), 0: N()},
        m_bool_bytes={True: b"\x01", False: b""},
        m_sint32_color={-3: pb.COLOR_RED, 4: pb.COLOR_NEGATIVE},
        m_fixed64_double={1: 2.5}), None)
    raw = length_delimited(50, tag(2, 2) + varint(1) + b"v")  # map entry with the key missing
    cases["map_entry_missing_key"] = (T.FromString(raw), raw)
    cases["optional_set_to_default"] = (T(o_int32=0, o_string="", o_enum=0, o_double=0.0, o_bool=False), None)
    cases["optional_set"] = (T(o_int32=-1, o_string="x", o_enum=pb.COLOR_GREEN, o_double=3.25, o_bool=True), None)
    cases["oneof_empty_string"] = (T(c_string=""), None)
    cases["oneof_int64"] = (T(c_int64=INT64_MIN), None)
    cases["oneof_nested"] = (T(c_nested=N(a=1, children=[N(a=2)])), None)
    cases["oneof_bytes"] = (T(c_bytes=b"\x00abc"), None)
    deep = N(a=50)
    for depth in range(49, 0, -1):
        deep = N(a=depth, children=[deep])
    cases["nested_deep_50"] = (T(f_nested=deep), None)
    raw = (tag(5, 0) + varint(1) + tag(1000, 0) + varint(5) + tag(1001, 1) + struct.pack("<Q", 7)
           + length_delimited(1002, b"xyz") + tag(1003, 5) + struct.pack("<I", 9))
    cases["unknown_fields"] = (T.FromString(raw), raw)
    cases["unknown_enum_values"] = (T(f_enum=99, r_enum=[1, 99, -5], o_enum=12345), None)
    raw = (length_delimited(17, tag(1, 0) + varint(1)) + length_delimited(17, length_delimited(2, b"x"))
           + tag(5, 0) + varint(3) + tag(5, 0) + varint(4) + length_delimited(72, tag(1, 0) + varint(8))
           + length_delimited(72, length_delimited(2, b"y")))
    cases["merge_repeated_occurrences"] = (T.FromString(raw), raw)
    cases["far_field_only"] = (T(f_far="z"), None)
    return cases


def ingest_corpus(ingest_pb2):
    """name -> IngestRequest (the benchmark's request shape)."""
    return {"ingest_request_100": make_ingest_request(ingest_pb2, 100)}


def encoding(message, raw):
    return raw if raw is not None else message.SerializeToString(deterministic=True)


def canonical(message):
    """A byte form for equality that also holds for NaN fields."""
    return message.SerializeToString(deterministic=True)
