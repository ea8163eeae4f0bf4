"""The Auth tab's AWS Signature Version 4 page: keys, session token, region, service.

The request is signed when it is sent (core/auth/signing). An empty region or service
is read from an AWS host name (`dynamodb.eu-west-1.amazonaws.com`) when there is one;
the region then defaults to us-east-1, as Postman's.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import QFormLayout, QWidget

from explorer.core.model import Auth, AwsSigV4
from explorer.ui.request.auth.base import AuthPage

EXPLANATION = (
    "Signs each request with AWS Signature Version 4 when it is sent: Authorization and "
    "X-Amz-Date cover the method, URL, headers and body. The secret key is never sent."
)


class AwsPage(AuthPage):
    """Edits `Auth.aws`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.access_key_edit = self._line_edit("Access key", "AKIA…")
        self.secret_key_field = self._secret("Secret key")
        self.session_token_field = self._secret("Session token")
        self.session_token_field.line_edit.setPlaceholderText("only for temporary credentials")
        self.region_edit = self._line_edit("Region", "us-east-1")
        self.service_edit = self._line_edit("Service", "execute-api")
        self.region_edit.setToolTip("Empty: the region in an AWS host name, else us-east-1")
        self.service_edit.setToolTip(
            "The signing name: execute-api (API Gateway), s3, dynamodb, lambda, es, …\n"
            "Empty: read from an AWS host name"
        )
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Access &key:", self.access_key_edit)
        form.addRow("&Secret key:", self.secret_key_field)
        form.addRow("Session t&oken:", self.session_token_field)
        form.addRow("&Region:", self.region_edit)
        form.addRow("Ser&vice:", self.service_edit)

    def fill(self, auth: Auth) -> Auth:
        settings = AwsSigV4(
            access_key=self.access_key_edit.text().strip(),
            secret_key=self.secret_key_field.line_edit.text(),
            session_token=self.session_token_field.line_edit.text(),
            region=self.region_edit.text().strip(),
            service=self.service_edit.text().strip(),
        )
        return replace(auth, aws=settings)

    def show_auth(self, auth: Auth) -> None:
        settings = auth.aws
        self.access_key_edit.setText(settings.access_key)
        self.secret_key_field.line_edit.setText(settings.secret_key)
        self.session_token_field.line_edit.setText(settings.session_token)
        self.region_edit.setText(settings.region)
        self.service_edit.setText(settings.service)

    def problems(self, auth: Auth) -> list[str]:
        problems = []
        if not auth.aws.access_key:
            problems.append("AWS Signature: the access key is empty")
        if not auth.aws.secret_key:
            problems.append("AWS Signature: the secret key is empty")
        return problems
