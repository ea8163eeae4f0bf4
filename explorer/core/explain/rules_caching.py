"""Caching (RFC 9111): can a cache keep this response, for how long, how does it check it
is still good, and do the headers that say so agree with each other?

REDbot asks the same questions; where it only names a fact ("the response is fresh for
30 seconds") these rules say what follows from it for the person who wrote the server.
Passive: nothing here sends a second request, so "the server ignores If-None-Match" is
judged in rules_conditional from a conditional request the user sent themselves.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from explorer.core.explain.facts import ExchangeFacts
from explorer.core.explain.findings import Category, Note, Pointer, RuleSet, Severity
from explorer.core.explain.header_syntax import (
    delta_seconds,
    entity_tag,
    http_date,
    split_list,
    unquote,
)
from explorer.core.explain.references import rfc

RULES = RuleSet(Category.CACHING)
LESSON = "cacheability"

# Methods whose responses caches store (RFC 9110 §9.2.3: GET and HEAD in practice).
CACHEABLE_METHODS = frozenset({"GET", "HEAD"})
# Status codes a cache may give a freshness lifetime of its own (RFC 9110 §15.1).
# RFC 9110 §15.1 also lists 204 and some errors (404, 405, 414, 501); a guessed lifetime
# matters for the successful answers and redirects, which is also where REDbot notes it.
HEURISTIC_STATUSES = frozenset({200, 203, 206, 300, 301, 308, 410})
# A cache's usual heuristic: a tenth of the time since the last change (RFC 9111 §4.2.2).
HEURISTIC_FRACTION = 0.1
# Directives a response may carry once only (several values leave caches guessing).
SINGLE_DIRECTIVES = ("max-age", "s-maxage", "stale-while-revalidate", "stale-if-error")

CACHE_CONTROL = Pointer("header", "Cache-Control")


def duration(seconds: float) -> str:
    """3725 → "1 hour 2 minutes": the largest unit and the one below it, for people."""
    left = int(abs(seconds))
    units = (("year", 365 * 86400), ("day", 86400), ("hour", 3600), ("minute", 60), ("second", 1))
    for index, (name, size) in enumerate(units):
        if left >= size or size == 1:
            count, left = divmod(left, size)
            words = [f"{count} {name}{'' if count == 1 else 's'}"]
            if index + 1 < len(units):
                below, below_size = units[index + 1]
                extra = left // below_size
                if extra:
                    words.append(f"{extra} {below}{'' if extra == 1 else 's'}")
            return " ".join(words)
    return "0 seconds"


def unqualified(cc: dict[str, str | None], name: str) -> bool:
    """`no-cache` / `private` without field names: the whole response, not some fields
    (RFC 9111 §5.2.2.4, §5.2.2.7 — `private="Set-Cookie"` only hides that header)."""
    return name in cc and not cc[name]


def stored_by_caches(facts: ExchangeFacts) -> bool:
    """A cache may store this response at all: a GET/HEAD not marked no-store."""
    return facts.method in CACHEABLE_METHODS and "no-store" not in facts.cache_control()


def explicit_lifetime(facts: ExchangeFacts) -> float | None:
    """The freshness lifetime the server set, in seconds (RFC 9111 §4.2.1): s-maxage,
    then max-age, then Expires minus Date; None when it set none."""
    cc = facts.cache_control()
    for name in ("s-maxage", "max-age"):
        if name in cc:
            return float(delta_seconds(cc[name]) or 0)
    if facts.has_header("Expires"):
        expires = http_date(facts.header_values("Expires")[0])
        date = http_date(facts.header("Date"))
        if expires is None or date is None:
            return 0.0  # an unreadable Expires means "already expired" (§5.3)
        return (expires - date).total_seconds()
    return None


def has_cache_signals(facts: ExchangeFacts) -> bool:
    """The server said something about caching (a lifetime, a validator, `public`): caches
    will keep this response, so what it omits costs something."""
    lifetime = explicit_lifetime(facts)
    return (
        (lifetime is not None and lifetime > 0)
        or facts.has_header("ETag")
        or facts.has_header("Last-Modified")
        or "public" in facts.cache_control()
    )


def _server_date(facts: ExchangeFacts) -> datetime | None:
    return http_date(facts.header("Date"))


def has_validator(facts: ExchangeFacts) -> bool:
    return facts.has_header("ETag") or facts.has_header("Last-Modified")


@RULES.rule(
    "caching.no-validators",
    "No validator: neither ETag nor Last-Modified",
    references=(rfc(9110, "8.8", "Validator Fields"), rfc(9111, "4.3", "Validation")),
    lesson=LESSON,
)
def no_validators(facts: ExchangeFacts) -> Iterator[Note]:
    if facts.method not in CACHEABLE_METHODS or facts.status != 200 or has_validator(facts):
        return
    cc = facts.cache_control()
    if "no-store" in cc or unqualified(cc, "no-cache"):
        return  # nothing kept; or caching.no-cache-without-validator says it
    yield Note(
        Severity.INFO,
        f"{facts.status} to {facts.method} with neither ETag nor Last-Modified",
        'Without a validator, a client or cache holding this response cannot ask "has it '
        'changed?" (a conditional request that a short `304 Not Modified` answers): once its '
        "copy is stale it must download the whole body again. A validator also lets clients "
        "update safely with `If-Match`."
        "\n\nFix: send an `ETag` (a hash of the body, or the row's version number) or a "
        "`Last-Modified` date. Fine to leave out for answers that change on every request.",
        Pointer("header", "ETag"),
    )


@RULES.rule(
    "caching.no-cache-without-validator",
    "no-cache, but nothing to revalidate with",
    references=(
        rfc(9111, "5.2.2.4", "no-cache"),
        rfc(9111, "4.3.1", "Sending a Validation Request"),
        rfc(9110, "8.8", "Validator Fields"),
    ),
    lesson=LESSON,
)
def no_cache_without_validator(facts: ExchangeFacts) -> Iterator[Note]:
    if not stored_by_caches(facts) or has_validator(facts) or facts.status == 304:
        return  # a 304 refreshes a stored copy: conditional.not-modified-without-etag
    if not unqualified(facts.cache_control(), "no-cache"):
        return
    # REDbot grades this a warning; nothing breaks and nothing costs more than no-store
    # would, so it is a missed saving rather than a mistake.
    yield Note(
        Severity.INFO,
        "Cache-Control: no-cache, but no ETag or Last-Modified to revalidate with",
        "`no-cache` lets a cache keep the response but makes it ask the server before every "
        "reuse. It asks with `If-None-Match` (the ETag) or `If-Modified-Since` (the "
        "Last-Modified date), and this response has neither, so the answer can never be a "
        f"short `304 Not Modified`: every use downloads all {facts.body_size:,} bytes again, "
        "as if nothing were cached."
        "\n\nFix: send an `ETag` (a hash or version of the body), and unchanged content costs "
        "one short 304. If nothing should be kept at all, `Cache-Control: no-store` says so.",
        CACHE_CONTROL,
    )


@RULES.rule(
    "caching.contradicting-directives",
    "Cache-Control directives that contradict each other",
    references=(
        rfc(9111, "5.2.2", "Response Directives"),
        rfc(9111, "5.2.2.5", "no-store"),
        rfc(9111, "5.2.2.1", "max-age"),
        rfc(9111, "4.2.1", "Calculating Freshness Lifetime"),
        rfc(8246, "2", "The immutable Cache-Control Extension"),
    ),
    lesson=LESSON,
)
def contradicting_directives(facts: ExchangeFacts) -> Iterator[Note]:
    text = facts.header("Cache-Control")
    if not text:
        return
    cc = facts.cache_control()
    if "no-store" in cc:
        clashing: list[str] = [
            name
            for name in ("public", "immutable", "stale-while-revalidate", "stale-if-error")
            if name in cc
        ]
        clashing += [
            f"{name}={cc[name]}"
            for name in ("max-age", "s-maxage")
            if (delta_seconds(cc.get(name)) or 0) > 0
        ]
        if clashing:
            listed = ", ".join(clashing)
            yield Note(
                Severity.WARNING,
                f"Cache-Control says no-store and also {listed}",
                f"`no-store` forbids every cache to keep the response; `{listed}` says how "
                "long or by whom it may be kept. Caches obey no-store, so the rest is dead "
                'text, but it shows two intentions at once, and the next person may "fix" '
                "the wrong one."
                "\n\nFix: for private or one-off data keep only `no-store`; if the response "
                "may be cached, drop `no-store` and keep the lifetime.",
                CACHE_CONTROL,
            )
    if "public" in cc and unqualified(cc, "private"):
        yield Note(
            Severity.WARNING,
            "Cache-Control says both public and private",
            "`public` lets shared caches (proxies, CDNs) keep the response for everyone; "
            "`private` allows only the user's own browser cache. Caches should pick the stricter "
            "private, but one that picks public serves one user's data to others."
            "\n\nFix: `private` for per-user answers, `public` (or nothing) for everyone's.",
            CACHE_CONTROL,
        )
    if unqualified(cc, "no-cache") and "immutable" in cc:
        yield Note(
            Severity.WARNING,
            "Cache-Control says both no-cache and immutable",
            "`immutable` promises the body never changes, so caches need not check it while it "
            "is fresh; `no-cache` demands a check before every reuse. The two cancel out."
            "\n\nFix: `immutable` with a long `max-age` for versioned files (`app.3f9c.js`), "
            "`no-cache` with an `ETag` for things that change.",
            CACHE_CONTROL,
        )
    yield from _bad_numbers(cc)
    yield from _repeats(text)


def _bad_numbers(cc: dict[str, str | None]) -> Iterator[Note]:
    for name in SINGLE_DIRECTIVES:
        if name in cc and delta_seconds(cc[name]) is None:
            shown = "no value" if cc[name] is None else f"{cc[name]!r}"[:60]
            yield Note(
                Severity.WARNING,
                f"Cache-Control {name} has {shown}, not a number of seconds",
                f"`{name}` takes a whole number of seconds: digits only, no sign, unit or "
                "decimals. Caches ignore a directive they cannot read, or treat the response "
                "as stale, so the lifetime the server meant is lost."
                f"\n\nFix: write it as `{name}=3600` (an hour).",
                CACHE_CONTROL,
            )


def _repeats(text: str) -> Iterator[Note]:
    seen: dict[str, str | None] = {}
    reported: set[str] = set()
    for item in split_list(text):
        name, sep, value = item.partition("=")
        key = name.strip().lower()
        argument = unquote(value) if sep else None
        if key in seen and seen[key] != argument and key not in reported:
            reported.add(key)
            yield Note(
                Severity.WARNING,
                f"Cache-Control gives {key} twice, with different values",
                f"`{key}` appears more than once (`{seen[key]}` and `{argument}`), often "
                "because the application and a proxy or framework each added one. HTTP does "
                "not say which wins: one cache takes the first, another the last, so the same "
                "response lives for different times in different places."
                "\n\nFix: set it in one place only.",
                CACHE_CONTROL,
            )
        seen.setdefault(key, argument)


@RULES.rule(
    "caching.expires-and-max-age",
    "Expires that disagrees with max-age, or is not a date",
    references=(
        rfc(9111, "5.3", "Expires"),
        rfc(9111, "4.2.1", "Calculating Freshness Lifetime"),
    ),
    lesson=LESSON,
)
def expires_and_max_age(facts: ExchangeFacts) -> Iterator[Note]:
    values = facts.header_values("Expires")
    cc = facts.cache_control()
    if not values or not stored_by_caches(facts) or unqualified(cc, "no-cache"):
        return  # nothing is kept, or every use is checked: the lifetime does not matter
    raw = values[0].strip()
    expires = http_date(raw)
    max_age_name = "s-maxage" if "s-maxage" in cc else "max-age"
    max_age = delta_seconds(cc.get(max_age_name))
    pointer = Pointer("header", "Expires")
    if expires is None:
        if max_age is None:
            yield Note(
                Severity.INFO,
                f"Expires: {raw[:40]} is not a date, so caches treat the response as expired",
                "`Expires` must be an HTTP date (`Sun, 06 Nov 1994 08:49:37 GMT`). A cache "
                'must read anything else, such as `0` or `-1`, as "already expired" (RFC '
                "9111 §5.3), which is probably what was meant."
                "\n\nFix: say it the way current caches read it: `Cache-Control: no-cache` "
                "(check every time) or `max-age=0`.",
                pointer,
            )
        else:
            yield Note(
                Severity.INFO,
                f"Expires: {raw[:40]} is not a date; {max_age_name}={max_age} decides",
                "A cache that reads Cache-Control ignores Expires when "
                f"`{max_age_name}` is present, so this response is fresh for "
                f"{duration(max_age)}. An older cache reads the broken Expires as "
                '"already expired".'
                "\n\nFix: drop Expires, or write a real HTTP date that matches "
                f"`{max_age_name}`.",
                pointer,
            )
        return
    if max_age is None:
        return
    date = _server_date(facts)
    if date is not None:
        expires_lifetime = (expires - date).total_seconds()
        if max_age > 0 and expires_lifetime <= 0:
            yield Note(
                Severity.INFO,
                f"{max_age_name}={max_age} says fresh, but Expires is already past",
                f"`{max_age_name}` gives the response {duration(max_age)} of freshness; "
                f"Expires (`{raw[:40]}`) is not later than the Date the server sent, which "
                'means "stale now". Caches that read Cache-Control use '
                f"`{max_age_name}` and ignore Expires; the few that only know Expires "
                "revalidate every time. Often Expires is a leftover of an old configuration."
                f"\n\nFix: remove Expires, or make it Date + `{max_age_name}`.",
                pointer,
            )
            return
        if abs(expires_lifetime - max_age) > max(60.0, 0.1 * max_age):
            yield Note(
                Severity.INFO,
                f"Expires gives {duration(expires_lifetime)} of freshness, "
                f"{max_age_name} gives {duration(max_age)}",
                f"When both are present, caches use `{max_age_name}` and ignore Expires "
                f"(RFC 9111 §5.3), so this response is fresh for {duration(max_age)}. Two "
                "headers saying two different things invite the next person to change the "
                "wrong one."
                f"\n\nFix: keep only `{max_age_name}`, or compute Expires as Date + "
                f"`{max_age_name}`.",
                pointer,
            )
            return
    if "max-age" in cc:
        yield Note(
            Severity.INFO,
            f"Expires repeats what max-age={max_age} already says",
            "Every cache in use today reads `Cache-Control: max-age` and then ignores `Expires` "
            "(RFC 9111 §5.3); Expires only served HTTP/1.0 caches. It does no harm while the two "
            "agree, but it can go, and with it the chance of them drifting apart.",
            pointer,
        )


@RULES.rule(
    "caching.vary-missing",
    "A negotiated response without the Vary that names what it depends on",
    references=(
        rfc(9110, "12.5.5", "Vary"),
        rfc(9111, "4.1", "Calculating Cache Keys with the Vary Header Field"),
        rfc(9110, "8.4", "Content-Encoding"),
    ),
    lesson=LESSON,
)
def vary_missing(facts: ExchangeFacts) -> Iterator[Note]:
    if not stored_by_caches(facts):
        return
    vary = {name.lower() for name in split_list(facts.header("Vary"))}
    if "*" in vary:
        return
    cc = facts.cache_control()
    shared = not unqualified(cc, "private")
    codings = [
        c for c in (i.lower() for i in split_list(facts.header("Content-Encoding")))
        if c != "identity"
    ]  # fmt: skip
    if codings and facts.request_header("Accept-Encoding") and "accept-encoding" not in vary:
        costly = shared and has_cache_signals(facts)
        coding = ", ".join(codings)
        yield Note(
            Severity.WARNING if costly else Severity.INFO,
            f"Content-Encoding: {coding} without Vary: Accept-Encoding",
            f"The body came {coding}-compressed because the request said `Accept-Encoding`. A "
            "shared cache keys a stored response on the URL plus the request headers that Vary "
            "names; without `Vary: Accept-Encoding` it may hand this compressed body to a client "
            "that cannot decompress it (it sees garbage), or an uncompressed one to everyone. "
            + (
                "This response carries caching headers, so caches will keep it."
                if costly
                else "Nothing here invites caches to keep it, so the risk is small today."
            )
            + "\n\nFix: add `Vary: Accept-Encoding` (most servers' compression modules do).",
            Pointer("header", "Vary"),
        )
    if not has_cache_signals(facts):
        return
    language = facts.header("Content-Language")
    if language and facts.request_header("Accept-Language") and "accept-language" not in vary:
        yield Note(
            Severity.INFO,
            f"Content-Language: {language[:40]} without Vary: Accept-Language",
            "The response is labelled with a language and the request said which languages it "
            "prefers. If the server picked the language from `Accept-Language`, a shared cache "
            "must be told, or it serves this language to everyone who asks for the URL next."
            "\n\nFix: add `Vary: Accept-Language`; if the language never changes for this URL, "
            "nothing needs fixing.",
            Pointer("header", "Vary"),
        )
    if _chosen_by_accept(facts) and "accept" not in vary:
        yield Note(
            Severity.INFO,
            f"{facts.media_type} chosen from Accept? Then Vary: Accept is missing",
            "The request asked for specific media types and the response is one of them. If the "
            "server can answer this URL in other formats (JSON or XML, HTML or JSON) and chose "
            "by `Accept`, a cache must be told, or it hands this format to a client that asked "
            "for another."
            "\n\nFix: add `Vary: Accept`; if the URL only ever returns this format, nothing needs "
            "fixing.",
            Pointer("header", "Vary"),
        )


def _chosen_by_accept(facts: ExchangeFacts) -> bool:
    """The request named specific media types (not just */*) and got one of them."""
    asked = [
        item.split(";", 1)[0].strip().lower() for item in split_list(facts.request_header("Accept"))
    ]
    specific = [kind for kind in asked if kind and kind != "*/*"]
    return bool(facts.media_type) and facts.media_type in specific


@RULES.rule(
    "caching.weak-etag-misuse",
    "An ETag that is malformed, repeated or weak where a strong one is needed",
    references=(
        rfc(9110, "8.8.3", "ETag"),
        rfc(9110, "8.8.1", "Weak versus Strong"),
        rfc(9110, "13.1.5", "If-Range"),
    ),
    lesson=LESSON,
)
def weak_etag_misuse(facts: ExchangeFacts) -> Iterator[Note]:
    values = facts.header_values("ETag")
    if not values:
        return
    pointer = Pointer("header", "ETag")
    if len(values) > 1:
        yield Note(
            Severity.WARNING,
            f"{len(values)} ETag headers in one response",
            "A response has exactly one entity tag. With several, clients and caches keep one of "
            "them, and a later `If-None-Match` or `If-Match` may carry a tag the server does not "
            "recognise. Usually two layers (the app and a proxy) each set one."
            "\n\nFix: let only one layer set the ETag.",
            pointer,
        )
    tag = entity_tag(values[0])
    if not tag.well_formed:
        yield Note(
            Severity.WARNING,
            f"ETag {values[0].strip()[:60]} is not a quoted string",
            'An entity tag is written in double quotes, `"v42"`, with `W/` in front for a weak '
            'one: `W/"v42"` (RFC 9110 §8.8.3). Without the quotes some clients and caches drop '
            "the tag, and others send it back in a form the server then fails to match, so "
            "revalidation (304 Not Modified) silently stops working."
            '\n\nFix: quote it: `ETag: "v42"`.',
            pointer,
        )
    elif tag.weak and (facts.status == 206 or facts.has_header("Content-Range")):
        yield Note(
            Severity.WARNING,
            "A weak ETag on a partial response",
            'A weak ETag (`W/"..."`) only promises the content means the same, not that it is '
            "the same byte for byte. Pieces of a download can only be joined when they come from "
            "byte-identical bodies, so `If-Range` ignores weak tags (RFC 9110 §13.1.5) and a "
            "client cannot resume this download safely."
            "\n\nFix: give byte ranges a strong ETag (no `W/`), for example a hash of the file.",
            pointer,
        )


@RULES.rule(
    "caching.heuristic-freshness",
    "No explicit lifetime: caches will guess one from Last-Modified",
    references=(
        rfc(9111, "4.2.2", "Calculating Heuristic Freshness"),
        rfc(9110, "15.1", "Overview of Status Codes"),
    ),
    lesson=LESSON,
)
def heuristic_freshness(facts: ExchangeFacts) -> Iterator[Note]:
    if facts.status not in HEURISTIC_STATUSES or not stored_by_caches(facts):
        return
    cc = facts.cache_control()
    if explicit_lifetime(facts) is not None or unqualified(cc, "no-cache"):
        return
    if "*" in split_list(facts.header("Vary")):
        return  # never reused at all: caching.vary-star
    modified = http_date(facts.header("Last-Modified"))
    if modified is None:
        yield Note(
            Severity.INFO,
            "No Cache-Control lifetime: caches may choose their own",
            "The response says nothing about how long it stays fresh, so HTTP lets each cache "
            "decide (RFC 9111 §4.2.2). Browsers mostly base the guess on Last-Modified and, "
            "without it, check again each time; shared caches differ (Varnish, for one, keeps "
            "such answers for two minutes by default). The same response can so be reused for "
            "different times in different places."
            "\n\nFix: say what you mean: `Cache-Control: max-age=N`, `no-cache` (check every "
            "time) or `no-store`.",
            CACHE_CONTROL,
        )
        return
    date = _server_date(facts)
    if date is None or date <= modified:
        guess = "about a tenth of the time since it last changed"
    else:
        guess = duration(HEURISTIC_FRACTION * (date - modified).total_seconds())
    yield Note(
        Severity.INFO,
        f"No Cache-Control lifetime: caches will guess one ({guess})",
        "The response says when it last changed (`Last-Modified`) but not how long it stays "
        "fresh. Caches are then allowed to guess, and the usual guess is 10% of its age: "
        f"here {guess}, during which browsers and proxies reuse it without asking the "
        "server, so a change made now may not be seen until then."
        "\n\nFix: say what you mean with `Cache-Control: max-age=N`, or `no-cache` to have "
        "every use checked.",
        CACHE_CONTROL,
    )


@RULES.rule(
    "caching.age",
    "Age: the response came from a cache",
    references=(rfc(9111, "5.1", "Age"), rfc(9111, "4.2.3", "Calculating Age")),
    lesson=LESSON,
)
def age(facts: ExchangeFacts) -> Iterator[Note]:
    raw = facts.header("Age").strip()
    if not raw:
        return
    pointer = Pointer("header", "Age")
    seconds = delta_seconds(raw)
    if seconds is None:
        yield Note(
            Severity.WARNING,
            f"Age: {raw[:40]} is not a number of seconds",
            "`Age` tells how long a cache has held the response, in whole seconds. A cache that "
            "cannot read it may count the response as fresher than it is."
            "\n\nFix: whatever sets Age (a proxy or CDN) should write digits only: `Age: 30`.",
            pointer,
        )
        return
    lifetime = explicit_lifetime(facts)
    cc = facts.cache_control()
    may_serve_stale = "stale-while-revalidate" in cc or "stale-if-error" in cc
    if lifetime is not None and seconds > lifetime and not may_serve_stale:
        yield Note(
            Severity.WARNING,
            f"Served by a cache {duration(seconds)} old, past its {duration(lifetime)} lifetime",
            "`Age` is how long a cache (a proxy, a CDN) has held this response; its freshness "
            f"lifetime is {duration(lifetime)}. A stale response may only be served when the "
            "server cannot be reached or the response allows it (`stale-while-revalidate`, "
            "`stale-if-error`). Either the cache lost contact with the origin or it ignores "
            "Cache-Control.",
            pointer,
        )
        return
    yield Note(
        Severity.INFO,
        f"Served by a cache: {duration(seconds)} old",
        "The `Age` header means this answer did not come straight from the origin server: a "
        f"cache on the way (a proxy, a CDN, a gateway) stored it {duration(seconds)} ago. A "
        "change on the server is not visible here until the stored copy stops being fresh."
        "\n\nTo see the origin's current answer, send `Cache-Control: no-cache` in the "
        "request: the cache then checks with the server first.",
        pointer,
    )


@RULES.rule(
    "caching.public-with-authorization",
    "An answer to an authenticated request that shared caches may store",
    references=(
        rfc(9111, "3.5", "Storing Responses to Authenticated Requests"),
        rfc(9111, "5.2.2.9", "public"),
    ),
    lesson=LESSON,
)
def public_with_authorization(facts: ExchangeFacts) -> Iterator[Note]:
    if not facts.request_header("Authorization") or not stored_by_caches(facts):
        return
    cc = facts.cache_control()
    if unqualified(cc, "private"):
        return
    allowing = [name for name in ("public", "s-maxage", "must-revalidate") if name in cc]
    if not allowing:
        return
    yield Note(
        Severity.INFO,
        f"The request carried Authorization and the response says {allowing[0]}",
        "A shared cache (a proxy, a CDN) normally never stores answers to requests that "
        f"carry `Authorization`; `{allowing[0]}` lifts that protection (RFC 9111 §3.5), so "
        "the stored copy can be served to other people, who never sent your credentials. "
        "That is right only if every user gets the same answer."
        "\n\nFix: for per-user data use `Cache-Control: private`.",
        CACHE_CONTROL,
    )


@RULES.rule(
    "caching.pragma-in-response",
    "Pragma in a response means nothing",
    references=(rfc(9111, "5.4", "Pragma"),),
    lesson=LESSON,
)
def pragma_in_response(facts: ExchangeFacts) -> Iterator[Note]:
    raw = facts.header("Pragma").strip()
    if not raw:
        return
    yield Note(
        Severity.INFO,
        f"Pragma: {raw[:40]} in a response has no effect",
        "`Pragma: no-cache` is an HTTP/1.0 request header; HTTP never defined it for "
        "responses, so caches ignore it here (RFC 9111 §5.4)."
        "\n\nFix: to have every reuse checked say `Cache-Control: no-cache`; to forbid "
        "storing, `Cache-Control: no-store`.",
        Pointer("header", "Pragma"),
    )


@RULES.rule(
    "caching.no-cache-meaning",
    "no-cache means store but revalidate, not do not cache",
    references=(rfc(9111, "5.2.2.4", "no-cache"), rfc(9111, "4.3", "Validation")),
    lesson=LESSON,
)
def no_cache_meaning(facts: ExchangeFacts) -> Iterator[Note]:
    cc = facts.cache_control()
    if not unqualified(cc, "no-cache") or not stored_by_caches(facts):
        return
    if not (facts.has_header("ETag") or facts.has_header("Last-Modified")):
        return  # caching.no-validators says what is wrong then
    validator = "ETag" if facts.has_header("ETag") else "Last-Modified"
    question = "If-None-Match" if validator == "ETag" else "If-Modified-Since"
    yield Note(
        Severity.INFO,
        f"no-cache: caches may keep this, but must check it with the server ({validator})",
        "Despite its name, `no-cache` does not forbid caching: a cache may store the response "
        "but must ask the server before each reuse. It asks by sending the "
        f"{validator} back in `{question}`; if nothing changed the server answers "
        "`304 Not Modified` with no body, so the check is cheap. To forbid storing altogether "
        "the directive is `no-store`.",
        CACHE_CONTROL,
    )


@RULES.rule(
    "caching.vary-star",
    "Vary: * makes the response impossible to reuse",
    references=(rfc(9110, "12.5.5", "Vary"), rfc(9111, "4.1", "Calculating Cache Keys")),
    lesson=LESSON,
)
def vary_star(facts: ExchangeFacts) -> Iterator[Note]:
    if "*" not in split_list(facts.header("Vary")) or not stored_by_caches(facts):
        return
    yield Note(
        Severity.INFO,
        "Vary: * — no cache can reuse this response",
        "`Vary: *` says the answer depends on something outside the request headers, so no "
        "stored copy ever matches a new request (RFC 9111 §4.1): caches keep it for nothing."
        "\n\nFix: if that is the intent, `Cache-Control: no-store` says it more plainly; if "
        "the answer depends on named headers, list them instead (`Vary: Accept, Cookie`).",
        Pointer("header", "Vary"),
    )


@RULES.rule(
    "caching.bad-last-modified",
    "Last-Modified that is not a date, or lies in the future",
    references=(rfc(9110, "8.8.2", "Last-Modified"), rfc(9110, "5.6.7", "Date/Time Formats")),
    lesson=LESSON,
)
def bad_last_modified(facts: ExchangeFacts) -> Iterator[Note]:
    raw = facts.header("Last-Modified").strip()
    if not raw:
        return
    pointer = Pointer("header", "Last-Modified")
    modified = http_date(raw)
    if modified is None:
        yield Note(
            Severity.WARNING,
            f"Last-Modified: {raw[:40]} is not an HTTP date",
            "`Last-Modified` must be an HTTP date such as `Sun, 06 Nov 1994 08:49:37 GMT` (always "
            "GMT). Clients copy it into `If-Modified-Since` to revalidate; a value they cannot "
            "read means no cheap 304 answers and no heuristic freshness."
            "\n\nFix: format the date as an HTTP date (most frameworks have a helper for it).",
            pointer,
        )
        return
    date = _server_date(facts)
    if date is not None and (modified - date).total_seconds() > 1:
        yield Note(
            Severity.WARNING,
            f"Last-Modified is {duration((modified - date).total_seconds())} after the "
            "server's own Date",
            "The server claims the resource changed later than the moment it sent the response, "
            "which has no meaning in HTTP (RFC 9110 §8.8.2.1 says to send the Date instead). "
            "`If-Modified-Since` checks built on it will misbehave."
            "\n\nFix: look for a clock or time-zone mistake in how the date is made.",
            pointer,
        )
