"""E-mail mechanics: build a message and send it over SMTP, or write it to the sink folder.

``EPMO_MAIL_SINK_DIR`` (the default in development) makes every message a ``.eml`` file in
that folder instead of a network send, so a developer can read what would have gone out.
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from epmo.config import Settings


class MailError(Exception):
    """The message could not be handed over; the text says why (for the outbox row)."""


def build(settings: Settings, to: str, subject: str, body: str, ref: str) -> EmailMessage:
    """A plain-text message from the configured sender."""
    message = EmailMessage()
    message["From"] = settings.smtp_from
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(idstring=ref, domain=settings.smtp_from.rpartition("@")[2]
                                       or "epmo.local")
    message.set_content(body)
    return message


def send(settings: Settings, message: EmailMessage, name: str) -> str:
    """Deliver ``message``; return where it went, or raise MailError."""
    if settings.mail_sink_dir:
        return _to_sink(Path(settings.mail_sink_dir), message, name)
    if not settings.smtp_host:
        raise MailError("e-mail is not configured: set EPMO_SMTP_HOST or EPMO_MAIL_SINK_DIR")
    try:
        _smtp(settings, message)
    except (smtplib.SMTPException, OSError) as exc:
        raise MailError(f"{type(exc).__name__}: {exc}"[:1000]) from exc
    return f"smtp://{settings.smtp_host}:{settings.smtp_port}"


def _to_sink(folder: Path, message: EmailMessage, name: str) -> str:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{name}.eml"
        path.write_bytes(bytes(message))
    except OSError as exc:
        raise MailError(f"cannot write to the mail sink {folder}: {exc}") from exc
    return str(path)


def _smtp(settings: Settings, message: EmailMessage) -> None:
    timeout = settings.smtp_timeout_seconds
    host, port = settings.smtp_host, settings.smtp_port
    client: smtplib.SMTP
    if settings.smtp_tls == "ssl":
        client = smtplib.SMTP_SSL(host, port, timeout=timeout,
                                  context=ssl.create_default_context())
    else:
        client = smtplib.SMTP(host, port, timeout=timeout)
    with client:
        if settings.smtp_tls == "starttls":
            client.starttls(context=ssl.create_default_context())
        if settings.smtp_username:
            client.login(settings.smtp_username, settings.smtp_password)
        client.send_message(message)
