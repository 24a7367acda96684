"""Reverse direction of the codec goldens: the real protobuf library parses what the Swift
codec wrote (scripts/test.d/30-codec-goldens.sh runs the Swift side first, with
FANHEAT_CODEC_OUT pointing at the directory read here) and must get the same messages.
"""
import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "golden"))
import corpus  # noqa: E402

OUT = os.environ.get("FANHEAT_CODEC_OUT")
pytestmark = pytest.mark.skipif(not OUT, reason="needs FANHEAT_CODEC_OUT from scripts/test.d/30-codec-goldens.sh")

PB, INGEST = corpus.load_stubs() if OUT else (None, None)
CASES = corpus.corpus(PB, INGEST) if OUT else {}


def read(name):
    path = os.path.join(OUT, name)
    assert os.path.exists(path), f"the Swift side did not write {path}"
    with open(path, "rb") as f:
        return f.read()


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("kind", ["reencoded", "swift"])
def test_python_parses_swift_encoding_to_the_same_message(name, kind):
    expected, _ = CASES[name]
    parsed = PB.AllTypes.FromString(read(f"{name}.{kind}.bin"))
    assert corpus.canonical(parsed) == corpus.canonical(expected)
    if name != "float_nan":
        assert parsed == expected


def test_ingest_request_reencoded_by_swift_parses_identically():
    expected = corpus.ingest_corpus(INGEST)["ingest_request_100"]
    parsed = INGEST.IngestRequest.FromString(read("ingest_request_100.reencoded.bin"))
    assert parsed == expected
    assert len(parsed.activities) == 100


def test_every_case_was_written_by_swift():
    written = {f.split(".")[0] for f in os.listdir(OUT) if f.endswith(".swift.bin")}
    assert written == set(CASES)
