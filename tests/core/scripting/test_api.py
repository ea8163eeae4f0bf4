"""What a script sees, in-process: checks, fields and the console's bounds."""

from __future__ import annotations

import pytest

from explorer.core.scripting.api import (
    Console,
    Fields,
    Results,
    StopScript,
    Variables,
    make_expect,
    make_test,
)


def checks() -> tuple[Results, object, object]:
    results = Results(100)
    return results, make_expect(results), make_test(results, lambda e: f"{type(e).__name__}")


@pytest.mark.parametrize(
    ("check", "passed"),
    [
        (lambda e: e(5).to_equal(5), True),
        (lambda e: e({"a": [1]}).to_equal({"a": [1]}), True),
        (lambda e: e(5).to_be_above(4).to_be_below(6), True),
        (lambda e: e("5").to_be_above(4), False),  # not comparable: not above, no error
        (lambda e: e([1, 2]).to_contain(2), True),
        (lambda e: e("abc").to_contain("d"), False),
        (lambda e: e(None).to_contain("d"), False),
        (lambda e: e("id-42").to_match(r"\d+$"), True),
        (lambda e: e(42).to_match(r"^4"), True),
        (lambda e: e("x").to_match(r"("), False),  # a bad pattern fails the check
        (lambda e: e([1, 2, 3]).to_have_length(3), True),
        (lambda e: e(3).to_have_length(3), False),
        (lambda e: e(3).to_be_a(int), True),
        (lambda e: e(True).to_be_a(int), False),  # a JSON true is not a number
        (lambda e: e(True).to_be_a(bool), True),
        (lambda e: e(1.5).to_be_a((int, float)), True),
        (lambda e: e(0).to_exist(), True),
        (lambda e: e(None).to_exist(), False),
        (lambda e: e(None).not_.to_exist(), True),
        (lambda e: e("a").not_.to_equal("a"), False),
    ],
)
def test_each_check_inside_a_test(check, passed):
    results, expect, test = checks()
    with test("t"):
        check(expect)
    assert results.items[0]["passed"] is passed


def test_a_test_stops_at_its_first_failed_check_and_says_what_was_expected():
    results, expect, test = checks()
    with test("t"):
        expect(3).to_be_a(int).to_equal(4).to_equal(5)
    assert results.items == [
        {
            "label": "t",
            "passed": False,
            "actual": "3",
            "expected": "== 4",
            "message": "expect(3) to equal 4",
        }
    ]


def test_a_test_records_an_exception_and_the_script_goes_on():
    results, _, test = checks()
    test("boom", lambda: {}["x"])
    test("fine", lambda: None)
    assert [(r["label"], r["passed"], r["message"]) for r in results.items] == [
        ("boom", False, "KeyError"),
        ("fine", True, ""),
    ]


def test_expect_outside_a_test_records_each_check_and_stops_at_a_failure():
    results, expect, _ = checks()
    expect("ok").to_be_a(str)
    with pytest.raises(StopScript):
        expect("ok").not_.to_equal("ok")
    assert [(r["label"], r["passed"], r["expected"]) for r in results.items] == [
        ("expect('ok') to be a str", True, "a str"),
        ("expect('ok') not to equal 'ok'", False, "not == ok"),
    ]


def test_results_are_bounded():
    results = Results(2)
    expect = make_expect(results)
    expect(1).to_equal(1).to_equal(1)
    with pytest.raises(RuntimeError, match="at most 2 results"):
        expect(1).to_equal(1)


def test_long_values_are_cut_in_results():
    results, expect, _ = checks()
    expect("x" * 1000).to_exist()
    assert len(results.items[0]["actual"]) == 200
    assert results.items[0]["actual"].endswith("…")


def test_header_fields_ignore_case_and_keep_order():
    headers = Fields([("Accept", "a"), ("X-A", "1"), ("x-a", "2")], ignore_case=True)
    assert headers["ACCEPT"] == "a"
    assert headers.get_all("X-a") == ["1", "2"]
    assert list(headers) == ["Accept", "X-A"]
    assert len(headers) == 2
    headers["x-A"] = 3
    assert headers.rows() == [["Accept", "a"], ["X-A", "3"]]
    del headers["accept"]
    headers.add("Accept", "b")
    assert headers.rows() == [["X-A", "3"], ["Accept", "b"]]
    assert "accept" in headers


def test_params_are_case_sensitive_and_response_headers_read_only():
    params = Fields([("q", "1")], ignore_case=False)
    assert "Q" not in params
    read_only = Fields([("A", "1")], ignore_case=True, read_only=True)
    with pytest.raises(TypeError):
        read_only["A"] = "2"


def test_variables_set_values_as_text_and_remember_what_changed():
    variables = Variables({"a": "1"})
    variables.set("n", 5)
    variables.set("flag", True)
    variables.set("obj", {"k": [1]})
    variables.set("key", "s", secret=True)
    variables.unset("a")
    assert not variables.has("a")
    assert variables.get("missing", "d") == "d"
    assert variables.changed == {"n": "5", "flag": "true", "obj": '{"k": [1]}', "key": "s"}
    assert variables.secrets == {"key"}
    assert variables.unset_names == {"a"}
    with pytest.raises(ValueError, match="needs a name"):
        variables.set("", 1)


def test_the_console_drops_output_past_its_bounds_with_one_note():
    console = Console(max_lines=3, max_chars=1000, line_chars=10)
    console.write("a\nb")
    console.write("c\n")
    console.log("0123456789abc", 1)
    console.write("x" * 50)
    console.write("y" * 50 + "\nnext\n")
    assert console.lines == ["a", "bc", "012345678…", "… (more output was dropped)"]
    assert console.cut


def test_headers_and_params_may_be_replaced_whole():
    from explorer.core.scripting.api import ScriptRequest

    request = ScriptRequest(
        {"method": "GET", "url": "u", "headers": [("A", "1")], "params": [], "body": ""}
    )
    request.headers = {"B": 2, "c": "3"}
    request.params = [("q", "x"), ("q", True)]
    request.headers["b"] = "two"
    assert request.to_data()["headers"] == [["B", "two"], ["c", "3"]]
    assert request.to_data()["params"] == [["q", "x"], ["q", "true"]]
    with pytest.raises(TypeError):
        request.headers = 5


def test_labels_messages_and_values_are_bounded():
    results = Results(10)
    results.add("L" * 10_000, False, message="m" * 10_000)
    assert len(results.items[0]["label"]) == 200
    assert len(results.items[0]["message"]) == 300
    with pytest.raises(ValueError, match="at most"):
        Variables({}).set("big", "x" * (1024 * 1024 + 1))
