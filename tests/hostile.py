"""Hostile input for the assistant's HTTP surfaces, as Hypothesis strategies.

Participants type on phones in four languages and three scripts, paste from anywhere and tap
buttons whose payloads anyone can retype; scanners and broken clients send whatever they like.
These strategies make that input on purpose: blank and huge messages, emoji sequences, control,
format and bidi-override characters, markup, mixed scripts, hand-typed button payloads, and
request bodies that are not what the route expects, junk paths, queries and headers. The tests
in tests/test_hostile_input.py (and bench/robustness.py, which runs them at a larger scale) are
built from them, so a new route is covered by reusing them.
"""

from __future__ import annotations

import json
from urllib.parse import quote

from hypothesis import strategies as st

from tests.barrage import RawRequest

WHITESPACE = " \t\n\r\x0b\x0c\x85\xa0\u1680\u2000\u2001\u2002\u2007\u200a\u2028\u2029\u202f\u205f\u3000"
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u034f\u180e"
# Embedding, override and isolate controls, and the marks (LRM, RLM, ALM).
BIDI = "".join(map(chr, [*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C]))
EMOJI = (
    "👩‍👩‍👧‍👦",  # family: a ZWJ sequence of four people
    "🧑🏿‍⚕️",  # health worker with skin tone and variation selector
    "🏳️‍🌈",
    "👍🏽",
    "🇸🇪",
    "🇸🇴",
    "❤️",
    "1️⃣",
    "🫠",
    "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",  # flag with tag characters
)
MARKUP = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "javascript:alert(1)",
    "<iframe src=//example.invalid></iframe>",
    "{{7*7}}",
    "${7*7}",
    "%s%s%s%n",
    "'; DROP TABLE events; --",
    "<!-- ]]> -->",
    "&lt;&#x3C;&#0;",
    "../../../../etc/passwd",
    "\\u0000\\ud800",
)
# Words people really write, in each script, so hostile text sits next to text the model knows.
WORDS = (
    "vårdcentral",
    "Försäkringskassan",
    "jag har ont",
    "hej",
    "112",
    "nästa",
    "مرحبا",
    "المستشفى",
    "لا يتنفس",
    "ሰላም",
    "ሕክምና",
    "caafimaad",
    "waa maxay",
    "andas inte",
)
ARABIC = st.characters(min_codepoint=0x0600, max_codepoint=0x06FF)
GEEZ = st.characters(min_codepoint=0x1200, max_codepoint=0x139F)
LATIN = st.characters(min_codepoint=0x20, max_codepoint=0x24F)

INTENTS = ("show", "menu", "handoff", "change_language", "start", "greet", "ask_somn", "out_of_scope")
JUNK_INTENTS = ("unknown_intent", "ask_", "ask_finns_inte", "", " ", "show show", "/show", "SHOW", "ask_../x")


def _json_values() -> st.SearchStrategy:
    """Any JSON value, nested a little: what a hand-typed payload or a broken client may hold."""
    scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40)
    return st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
        max_leaves=8,
    )


JSON_VALUES = _json_values()


def _entities() -> st.SearchStrategy[str]:
    """What follows an intent in a payload: nothing, a JSON object (with odd values), or not JSON."""
    entity_names = st.sampled_from(["item", "language", "unknown", ""]) | st.text(max_size=8)
    entity_values = (
        st.sampled_from(["somn", "vardcentral", "xx", "sv", "ar", "", "../", "hjalp", "ask_somn"]) | JSON_VALUES
    )
    objects = st.dictionaries(entity_names, entity_values, max_size=3).map(
        lambda entities: json.dumps(entities, ensure_ascii=False)
    )
    broken = st.sampled_from(
        ["{broken json", "{", "}", "{}", "[]", '{"item":}', '{"item": "somn"', "null", '"x"', "{{}}"]
    )
    confidence = st.sampled_from(["", "@0.5", "@1e9", "@abc", "@-1", "@"])
    return st.tuples(confidence, st.just("") | objects | broken | st.text(max_size=20)).map("".join)


PAYLOADS = st.builds(
    lambda intent, rest: f"/{intent}{rest}", st.sampled_from(INTENTS + JUNK_INTENTS) | st.text(max_size=12), _entities()
)
BUTTON_LIKE = PAYLOADS | st.sampled_from(
    [
        '/show{"item": "finns_inte"}',
        '/show{"item": ["somn", "somn"]}',
        '/show{"item": {"id": "somn"}}',
        '/show{"item": 7, "language": ["sv"]}',
        '/show{"item": "somn", "language": {"x": 1}}',
        '/change_language{"language":"xx"}',
        '/change_language{"language": {}}',
        '/change_language{"language": [[]]}',
        "/unknown_intent",
        "/show{broken json",
        "/",
        "//",
        "/show@0.1",
    ]
)

BLANK = st.text(alphabet=WHITESPACE + INVISIBLE + BIDI, max_size=40)
# C0 and C1 controls, format characters (bidi, ZWJ, tags), private use and unassigned code points.
CONTROLS = st.text(st.characters(categories=["Cc", "Cf", "Co", "Cn"]), min_size=1, max_size=60)
# Anything Unicode has, except surrogates (Hypothesis leaves them out; HALVES adds them).
ANY_TEXT = st.text(max_size=300)
# Text cut in the middle of an emoji: halves of surrogate pairs among letters. `json_body` sends
# them as JSON escapes (valid JSON, but no UTF-8 can hold them) or as bytes that are not UTF-8.
HALVES = st.text(st.characters(categories=["Cs"]) | LATIN, min_size=1, max_size=12)
MIXED = st.lists(
    st.sampled_from(WORDS)
    | st.sampled_from(EMOJI)
    | st.sampled_from(MARKUP)
    | st.text(ARABIC | GEEZ | LATIN, min_size=1, max_size=12)
    | st.text(alphabet=BIDI + INVISIBLE + "\x00", min_size=1, max_size=3),
    min_size=1,
    max_size=15,
).map(" ".join)
# Far past the 1000 characters the assistant reads (up to about 100 kB), in each script.
HUGE = st.builds(
    lambda unit, size: (unit * (size // len(unit.encode()) + 1))[: max(1, size // len(unit.encode()))],
    st.sampled_from(["a", "å ", "مرحبا ", "ሰላም ", "👩‍👩‍👧‍👦", "<b>x</b>", "\x00", "\u202e", "/show{", " "]),
    st.integers(min_value=1_001, max_value=100_000),
)

MESSAGES = st.one_of(BLANK, CONTROLS, ANY_TEXT, HALVES, MIXED, BUTTON_LIKE, st.sampled_from(EMOJI + MARKUP + WORDS))


CONTENT_TYPES = st.sampled_from(
    [
        "application/json",
        "application/json; charset=utf-8",
        "application/json; charset=utf-16",
        "application/json; charset=nonsense",
        "text/plain",
        "text/html",
        "application/xml",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "",
        None,
    ]
)

# Bodies no JSON library makes: broken JSON, lone surrogates, bad UTF-8, deep nesting, a BOM.
BROKEN_BODIES = st.sampled_from(
    [
        b"",
        b"{",
        b"}",
        b'{"sender": "a", "message": ',
        b"null",
        b"[]",
        b"0",
        b'"text"',
        b"NaN",
        b'{"sender": "s", "message": NaN}',
        b'{"sender": "s", "message": "\\ud800"}',
        b'{"sender": "s", "message": "\\udfff\\ud800 hej"}',
        b'{"sender": "\\ud800", "message": "hej"}',
        b'{"sender": "s", "message": "\xff\xfe\xfd"}',
        b'\xef\xbb\xbf{"sender": "s", "message": "hej"}',
        b'{"sender": "s", "message": "hej", "sender": "t"}',
        b'{"sender": "s", "message": "\\u0000"}',
        b"sender=s&message=hej",
        b'--x\r\nContent-Disposition: form-data; name="message"\r\n\r\nhej\r\n--x--\r\n',
        b"<message>hej</message>",
    ]
)
# Nesting deeper than any JSON parser's recursion limit.
DEEP_BODIES = st.builds(
    lambda opener, depth: opener * depth, st.sampled_from([b"[", b'{"a":']), st.integers(1_000, 100_000)
)
WRONG_SHAPES = st.one_of(
    JSON_VALUES,
    st.fixed_dictionaries({}, optional={"sender": JSON_VALUES, "message": JSON_VALUES, "metadata": JSON_VALUES}),
    st.fixed_dictionaries({"sender": st.integers(10_000, 100_000).map("s".__mul__), "message": st.just("hej")}),
).map(lambda value: json.dumps(value, ensure_ascii=False).encode())


def json_body(value: object, ascii_only: bool) -> bytes:
    """JSON as a client sends it: lone surrogates as escapes (valid JSON), or raw (not valid UTF-8)."""
    return json.dumps(value, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")


def chat_requests(path: str, senders: st.SearchStrategy[str], messages: st.SearchStrategy[str] = MESSAGES):
    """Well-formed chat requests ({"sender", "message"}) whose message is hostile."""
    return st.builds(
        lambda sender, message, ascii_only: RawRequest(
            "POST", path, json_body({"sender": sender, "message": message}, ascii_only)
        ),
        senders,
        messages,
        st.booleans(),
    )


def malformed_requests(path: str, sender: str) -> st.SearchStrategy[RawRequest]:
    """Requests to a JSON route that are malformed one way or another (`sender` keeps the rest valid)."""
    surrogate = json.dumps({"sender": sender, "message": "x"}).replace('"x"', '"\\ud83d hej \\udc00"').encode()
    bodies = st.one_of(BROKEN_BODIES, DEEP_BODIES, WRONG_SHAPES, st.binary(max_size=200), st.just(surrogate))
    return st.builds(RawRequest, st.just("POST"), st.just(path), bodies, CONTENT_TYPES) | st.builds(
        RawRequest, st.sampled_from(["GET", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"]), st.just(path)
    )


# Path segments a scanner or a broken link may put where an id belongs.
JUNK_SEGMENTS = st.one_of(
    st.sampled_from(
        [
            "..",
            "../..",
            "..%2F..%2Fetc%2Fpasswd",
            "%2e%2e/%2e%2e/etc/passwd",
            "%2F",
            "%00",
            "%ff%fe",
            "%",
            "%zz",
            "somn%00",
            "somn/../somn",
            ".%2e/.%2e/pyproject.toml",
            "....//....//",
            "~root",
            "\\..\\..\\windows",
            "x" * 5000,
        ]
    ),
    # Any text percent-encoded, lone surrogates included (their bytes are not valid UTF-8).
    st.text(st.characters() | st.characters(categories=["Cs"]), min_size=1, max_size=30).map(
        lambda text: quote(text.encode("utf-8", "surrogatepass"), safe="")
    ),
)
# Query values: junk segments, any text, and repeated or empty parameters.
JUNK_QUERY_VALUES = JUNK_SEGMENTS | st.sampled_from(["", "sv&lang=ar", "SV", "sv%00", "ar%20", "x" * 3000])

# Conversation ids a client may send: huge, empty, any text (lone surrogates too), paths, other channels' prefixes.
ODD_SENDERS = st.one_of(
    st.integers(10_000, 100_000).map("s".__mul__),
    st.text(max_size=40),
    st.text(st.characters(codec=None, categories=["Cs", "Cc", "Cf", "Zs"]), max_size=10),
    st.sampled_from(["", " ", "\x00", "../../etc/passwd", "web-", "tg-", "tg-1", "web-0123456789abcdef", "null"]),
)


def junk_paths(prefix: str) -> st.SearchStrategy[RawRequest]:
    """GETs of `prefix` + a junk segment, with a junk query now and then."""
    return st.builds(
        lambda segment, query: RawRequest("GET", prefix + segment + query, content_type=None),
        JUNK_SEGMENTS,
        st.just("") | JUNK_QUERY_VALUES.map("?lang=".__add__),
    )


def junk_queries(path: str, name: str) -> st.SearchStrategy[RawRequest]:
    return JUNK_QUERY_VALUES.map(lambda value: RawRequest("GET", f"{path}?{name}={value}", content_type=None))


# Header values: any text (sent as UTF-8), raw bytes as a browser would never send them, long values.
# Carriage returns and line feeds are left out: no client library sends them inside a header.
HEADER_VALUES = st.one_of(
    st.text(st.characters(blacklist_characters="\r\n", codec="utf-8"), max_size=80),
    st.sampled_from(["", "Bearer ", "Bearer x", "null", "x" * 4000, "åäö", "\u202e", "🩺"]),
)
