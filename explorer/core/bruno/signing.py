"""Bruno's AWS Signature v4 auth (`auth:awsv4`), both ways.

Bruno's block: accessKeyId, secretAccessKey, sessionToken, service, region and
profileName (credentials read from an AWS CLI profile, which API Explorer does not
read: reported on import, written empty on export). Bruno's .bru files have no OAuth 1.0
block: an OAuth 1.0 request is exported without auth, and the export says so.
"""

from __future__ import annotations

from collections.abc import Callable

from explorer.core.model import Auth, AuthKind, AwsSigV4

AWS_BLOCK = "auth:awsv4"
PROFILE_NOTE = (
    "{} AWS Signature setting(s) name an AWS profile (profileName), which is not read "
    "here: give the access and secret keys instead"
)


def aws_auth(value: Callable[[str], str]) -> tuple[Auth, bool]:
    """The AWS Signature of an `auth:awsv4` block read with `value(row name)`, and
    whether it names a profile."""
    auth = Auth(
        AuthKind.AWS_SIGV4,
        aws=AwsSigV4(
            access_key=value("accessKeyId"),
            secret_key=value("secretAccessKey"),
            session_token=value("sessionToken"),
            region=value("region"),
            service=value("service"),
        ),
    )
    return auth, bool(value("profileName"))


def aws_rows(auth: Auth) -> list[tuple[str, str]]:
    """The rows of the `auth:awsv4` block for an AWS_SIGV4 `auth`."""
    aws = auth.aws
    return [
        ("accessKeyId", aws.access_key),
        ("secretAccessKey", aws.secret_key),
        ("sessionToken", aws.session_token),
        ("service", aws.service),
        ("region", aws.region),
        ("profileName", ""),
    ]
