"""E-mails: .eml through the standard library, .msg through extract-msg; attachments recursed.

The body (text/plain preferred, else HTML) and the main headers form the e-mail's own part;
each attachment becomes its own part(s), named "outer.eml/attachment.pdf".
"""

from __future__ import annotations

import email
import mimetypes
from email import policy
from email.message import EmailMessage, Message
from typing import Any

from extract.document import Block, Part
from extract.errors import LoadError
from extract.load.base import LoadContext

HEADERS = ("Subject", "From", "To", "Date")


def _header_block(get: Any) -> list[Block]:
    lines = [f"{h}: {v}" for h in HEADERS if (v := get(h))]
    return [Block(kind="text", text="\n".join(lines))] if lines else []


def _html_blocks(name: str, html: bytes | str, ctx: LoadContext) -> list[Block]:
    from extract.load.web import load_html

    raw = html.encode("utf-8") if isinstance(html, str) else html
    return [b for p in load_html(name, raw, ctx) for b in p.blocks] if raw.strip() else []


def _body_blocks(name: str, msg: EmailMessage, ctx: LoadContext) -> list[Block]:
    body = msg.get_body(preferencelist=("plain", "html"))
    if body is None:
        return []
    try:
        content = body.get_content()
    except (LookupError, ValueError, AssertionError):
        payload = body.get_payload(decode=True)
        content = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
    if body.get_content_subtype() == "html":
        return _html_blocks(name, content, ctx)
    return [Block(kind="text", text=str(content))]


def _attachments(msg: Message) -> list[Message]:
    out: list[Message] = []
    for att in msg.iter_attachments() if isinstance(msg, EmailMessage) else []:
        if att.is_multipart() and att.get_content_type() != "message/rfc822":
            out.extend(p for p in att.walk() if not p.is_multipart())
        else:
            out.append(att)
    return out


def _attachment_bytes(att: Message, index: int) -> tuple[str, bytes]:
    ctype = att.get_content_type()
    filename = att.get_filename()
    if ctype == "message/rfc822":
        inner = att.get_payload()
        inner_msg = inner[0] if isinstance(inner, list) else inner
        raw = inner_msg.as_bytes() if isinstance(inner_msg, Message) else b""
        return filename or f"message{index}.eml", bytes(raw)
    payload = att.get_payload(decode=True)
    ext = mimetypes.guess_extension(ctype) or ".bin"
    return filename or f"attachment{index}{ext}", payload if isinstance(payload, bytes) else b""


def load_eml(name: str, data: bytes, ctx: LoadContext) -> list[Part]:
    """An .eml message: its body part, then each attachment loaded recursively."""
    from extract.load.dispatch import load_bytes

    msg = email.message_from_bytes(data, policy=policy.default)
    if not isinstance(msg, EmailMessage) or not msg.keys():
        raise LoadError("not an e-mail (no headers found)")
    blocks = _header_block(msg.get) + _body_blocks(name, msg, ctx)
    parts = [Part(name=name, media="message/rfc822", blocks=blocks)]
    for i, att in enumerate(_attachments(msg), start=1):
        filename, payload = _attachment_bytes(att, i)
        parts.extend(load_bytes(f"{name}/{filename}", payload, ctx.nested()))
    return parts


def load_msg(name: str, data: bytes, ctx: LoadContext) -> list[Part]:
    """An Outlook .msg message through extract-msg: body, then attachments recursively."""
    try:
        import extract_msg
    except ImportError as exc:
        raise LoadError("unsupported: .msg (extract-msg is not installed)") from exc
    try:
        msg = extract_msg.openMsg(data)
    except Exception as exc:  # extract-msg raises many kinds for a bad file
        raise LoadError(f"not a readable Outlook message ({exc})") from exc
    try:
        return _msg_parts(name, msg, ctx)
    finally:
        msg.close()


def _msg_parts(name: str, msg: Any, ctx: LoadContext) -> list[Part]:
    from extract.load.dispatch import load_bytes

    headers = {"Subject": msg.subject, "From": msg.sender, "To": msg.to, "Date": msg.date}
    blocks = _header_block(headers.get)
    if msg.body:
        blocks.append(Block(kind="text", text=str(msg.body)))
    elif getattr(msg, "htmlBody", None):
        blocks.extend(_html_blocks(name, msg.htmlBody, ctx))
    parts = [Part(name=name, media="application/vnd.ms-outlook", blocks=blocks)]
    for i, att in enumerate(msg.attachments, start=1):
        filename = getattr(att, "longFilename", None) or getattr(att, "shortFilename", None)
        payload = att.data
        if not isinstance(payload, bytes):  # an embedded message: read its own parts
            parts.extend(_msg_parts(f"{name}/{filename or f'message{i}.msg'}", payload, ctx))
            continue
        parts.extend(load_bytes(f"{name}/{filename or f'attachment{i}.bin'}", payload,
                                ctx.nested()))
    return parts
