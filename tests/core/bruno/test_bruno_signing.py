"""Bruno's `auth:awsv4` both ways (it used to be dropped as not carried over), and
OAuth 1.0, which .bru files cannot hold, reported on export."""

from __future__ import annotations

from pathlib import Path

from explorer.application.exporting import collection_export
from explorer.core.collection import Collection, RequestItem, walk_requests
from explorer.core.formats import convert_folder, import_text
from explorer.core.model import Auth, AuthKind, AwsSigV4, OAuth1, Request

AWS_BLOCK = (
    "auth:awsv4 {\n  accessKeyId: {{accessKey}}\n  secretAccessKey: {{secretKey}}\n"
    "  sessionToken: \n  service: {{service}}\n  region: eu-west-1\n  profileName: \n}\n"
)


def _folder(root: Path, files: dict[str, str]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "bruno.json").write_text('{"version": "1", "name": "T", "type": "collection"}')
    for name, text in files.items():
        (root / name).write_text(text)
    return root


def _requests(collection: Collection) -> dict[str, Request]:
    return {item.name: item.request for _path, item in walk_requests(collection)}


def test_awsv4_on_the_collection_and_a_request_imports(tmp_path: Path) -> None:
    folder = _folder(
        tmp_path / "aws",
        {
            "collection.bru": "auth {\n  mode: awsv4\n}\n" + AWS_BLOCK,
            "inherits.bru": "meta {\n  name: Inherits\n  seq: 1\n}\n"
            "get {\n  url: https://x.execute-api.eu-west-1.amazonaws.com/prod\n"
            "  auth: inherit\n}\n",
            "profile.bru": "meta {\n  name: Profile\n  seq: 2\n}\n"
            "post {\n  url: https://dynamodb.us-east-1.amazonaws.com/\n  auth: awsv4\n}\n"
            "auth:awsv4 {\n  accessKeyId: \n  secretAccessKey: \n  sessionToken: \n"
            "  service: dynamodb\n  region: us-east-1\n  profileName: dev\n}\n",
        },
    )
    result = convert_folder(folder).result
    assert result.collection.auth == Auth(
        AuthKind.AWS_SIGV4,
        aws=AwsSigV4("{{accessKey}}", "{{secretKey}}", "", "eu-west-1", "{{service}}"),
    )
    requests = _requests(result.collection)
    assert requests["Inherits"].auth.kind == AuthKind.INHERIT
    assert requests["Profile"].auth.aws == AwsSigV4("", "", "", "us-east-1", "dynamodb")
    report = "\n".join(result.report)
    assert "1 AWS Signature setting(s) name an AWS profile" in report
    assert "not carried over" not in report


def test_export_writes_awsv4_and_says_oauth1_has_no_bru_form(tmp_path: Path) -> None:
    aws = Auth(
        AuthKind.AWS_SIGV4,
        aws=AwsSigV4("{{accessKey}}", "{{secretKey}}", "{{token}}", "us-west-2", "s3"),
    )
    collection = Collection(
        name="Signed",
        items=(
            RequestItem(Request(name="S3", url="https://b.s3.us-west-2.amazonaws.com/k", auth=aws)),
            RequestItem(
                Request(
                    name="Twitter",
                    url="https://api.example.com/1.1/x.json",
                    auth=Auth(AuthKind.OAUTH1, oauth1=OAuth1("ck", "{{cs}}")),
                )
            ),
        ),
    )
    export = collection_export(collection, "bruno")
    files = {file.name: file.text for file in export.files}
    s3 = next(text for name, text in files.items() if name.endswith("S3.bru"))
    assert "  auth: awsv4\n" in s3
    assert "auth:awsv4 {\n  accessKeyId: {{accessKey}}\n  secretAccessKey: {{secretKey}}" in s3
    twitter = next(text for name, text in files.items() if name.endswith("Twitter.bru"))
    assert "  auth: none\n" in twitter
    assert any(
        "1 OAuth 1.0 auth setting(s) were exported as no auth" in line for line in export.report
    )
    out = tmp_path / "out"
    for name, text in files.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_text(text)
    again = _requests(convert_folder(out).result.collection)
    assert again["S3"].auth == aws


def test_opencollection_awsv4_imports_too() -> None:
    """Bruno 3's YAML carries the same fields as the .bru block."""
    bundled = Path(__file__).parents[1] / "formats" / "fixtures" / "opencollection" / "bundled.yml"
    basic = (
        "            type: basic\n            username: gardener\n"
        '            password: "{{garden_password}}"\n'
    )
    awsv4 = (
        "            type: awsv4\n            accessKeyId: AKIDEXAMPLE\n"
        '            secretAccessKey: "{{aws_secret}}"\n            service: execute-api\n'
        "            region: eu-west-1\n            profileName: dev\n"
    )
    text = bundled.read_text(encoding="utf-8")
    assert basic in text
    result = import_text(text.replace(basic, awsv4), "opencollection")
    signed = [r.auth for _p, item in walk_requests(result.collection) if (r := item.request)]
    assert (
        Auth(
            AuthKind.AWS_SIGV4,
            aws=AwsSigV4("AKIDEXAMPLE", "{{aws_secret}}", "", "eu-west-1", "execute-api"),
        )
        in signed
    )
    assert any("name an AWS profile" in line for line in result.report)
