"""SecretMask: every form of a secret is masked, and nothing else is touched."""

from __future__ import annotations

import base64
import json
from urllib.parse import quote, quote_plus

import pytest

from explorer.core.resolve.secret_forms import MASK, SecretMask, base64_forms

SECRET = 'p"a\\ss/wö+rd &x=1'


def forms(value: str) -> list[str]:
    data = value.encode()
    return [
        value,
        quote(value, safe=""),
        quote(value, safe="").lower(),
        quote(value),
        quote_plus(value),
        quote(quote(value, safe=""), safe=""),  # encoded twice
        json.dumps(value)[1:-1],
        json.dumps(value, ensure_ascii=False)[1:-1],
        json.dumps(value).replace("/", "\\/")[1:-1],
        base64.b64encode(data).decode(),
        base64.b64encode(data).decode().rstrip("="),
        base64.urlsafe_b64encode(data).decode(),
    ]


@pytest.mark.parametrize("form", forms(SECRET))
def test_every_form_is_masked(form):
    masked = SecretMask([SECRET])(f"before {form} after")
    assert masked == f"before {MASK} after"


@pytest.mark.parametrize("prefix", [b"", b"u", b"us", b"user:", b"a longer prefix "])
def test_base64_inside_a_longer_text_is_masked_at_every_alignment(prefix):
    encoded = base64.b64encode(prefix + SECRET.encode() + b" and more").decode()
    masked = SecretMask([SECRET])(encoded)
    assert MASK in masked
    for form in base64_forms(SECRET):
        assert form not in masked


def test_a_mix_of_encodings_is_masked():
    mixed = "p%22a\\\\ss%2fw%C3%B6+rd%20&x=1"  # some characters encoded, some not
    assert SecretMask([SECRET])(mixed) == MASK


def test_text_that_is_not_a_secret_is_left_alone():
    text = "Send Authorization: Bearer <any token>. user=ada&x=1 %41 \\u0041 QUJD"
    assert SecretMask(["s3cret-value", "another-one"])(text) == text
    assert SecretMask([])(text) == text and SecretMask([""])(text) == text


def test_the_longer_of_two_overlapping_secrets_is_masked_whole():
    mask = SecretMask(["abcd", "abcdefgh"])
    assert mask("x abcdefgh y abcd") == f"x {MASK} y {MASK}"


def test_many_secrets_on_a_large_text_stay_fast():
    import time

    mask = SecretMask([f"secret-number-{i}-xyz" for i in range(10)])
    text = "ordinary log text, nothing to hide here. " * 5_000  # 200 kB
    started = time.perf_counter()
    assert mask(text) == text
    assert time.perf_counter() - started < 20  # generous: about 0.1 s
