"""E-mails: .eml through the standard library, .msg through extract-msg; attachments recursed.

The body and the main headers form the e-mail's own part. Of a multipart/alternative body the
plain text is read, unless it is a stub ("This message contains tables. Please view it in
HTML.") or the HTML part holds tables the plain text flattened away: then the HTML is read.
Earlier messages quoted in a thread (after "-----Original Message-----", "On ... wrote:", a
"From:/Sent:" header block, or lines starting ">") are kept apart from the answer, in a part of
their own with media type ``QUOTED_MEDIA`` that readers do not read figures from. Each
attachment becomes its own part(s), named "outer.eml/attachment.pdf".
"""

from __future__ import annotations

import email
import mimetypes
import re
from email import policy
from email.message import EmailMessage, Message
from typing import Any

from extract.document import QUOTED_MEDIA, Block, Part
from extract.errors import LoadError
from extract.load.base import LoadContext

HEADERS = ("Subject", "From", "To", "Date")

# The start of an earlier message quoted below the answer.
_QUOTE_HEAD = re.compile(
    r"(?im)^[ \t>]*(?:-{2,}[ \t]*(?:original|forwarded)[ \t]+message[ \t]*-{2,}|"
    r"on[ \t][^\n]{5,160}?\bwrote:|"
    r"from:[ \t][^\n]+\n[ \t>]*(?:sent|date):[ \t][^\n]+)[ \t]*$")
_QUOTED_LINE = re.compile(r"(?m)^[ \t]*>[^\n]*(?:\n|$)")
# A plain part that only points at the HTML part.
_STUB = re.compile(
    r"view\s+(?:it|this\s+(?:message|e-?mail))\s+in\s+(?:html|a\s+browser)|"
    r"contains\s+(?:html|tables?|formatting)|html\s+version|"
    r"(?:client|program|reader|software)\s+(?:does\s+not|cannot|can't)\s+(?:display|show|support)",
    re.IGNORECASE)


def _header_block(get: Any) -> list[Block]:
    """Subject, From, To and Date as a text block."""
    lines = [f"{h}: {v}" for h in HEADERS if (v := get(h))]
    return [Block(kind="text", text="\n".join(lines))] if lines else []


def _html_blocks(name: str, html: bytes | str, ctx: LoadContext) -> list[Block]:
    """The blocks of an HTML body, read by the web loader (tables kept as tables)."""
    from extract.load.web import load_html

    raw = html.encode("utf-8") if isinstance(html, str) else html
    return [b for p in load_html(name, raw, ctx) for b in p.blocks] if raw.strip() else []


def _content(body: Message) -> str:
    """A body part's text, decoded leniently when its charset is wrong or unknown."""
    try:
        return str(body.get_content())  # type: ignore[attr-defined]
    except (LookupError, ValueError, AssertionError, AttributeError):
        payload = body.get_payload(decode=True)
        return payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""


def is_stub(plain: str) -> bool:
    """A plain part that is empty or only points the reader at the HTML part."""
    words = plain.split()
    return not words or (len(words) < 80 and _STUB.search(plain) is not None)


def _prefer_html(plain: str, html: str) -> bool:
    """Read the HTML part instead: the plain one is a stub, or the HTML has tables that the
    plain text does not keep as tables (no tab or pipe columns)."""
    if is_stub(plain):
        return True
    has_table = re.search(r"<table\b", html, re.IGNORECASE) is not None
    return has_table and not re.search(r"\t|\|", plain)


def _body_blocks(name: str, msg: EmailMessage, ctx: LoadContext) -> list[Block]:
    """The body's blocks, from the plain part or, when richer, the HTML part."""
    plain, html = msg.get_body(preferencelist=("plain",)), msg.get_body(preferencelist=("html",))
    if plain is None and html is None:
        return []
    plain_text = _content(plain) if plain is not None else ""
    html_text = _content(html) if html is not None else ""
    if html is not None and _prefer_html(plain_text, html_text):
        return _html_blocks(name, html_text, ctx)
    return [Block(kind="text", text=plain_text)]


def split_quoted(blocks: list[Block]) -> tuple[list[Block], list[Block]]:
    """(the answer's blocks, the quoted earlier messages' blocks): everything from the first
    quote heading on is quoted, and so is each line starting with `>` above it."""
    answer: list[Block] = []
    quoted: list[Block] = []
    for block in blocks:
        if quoted or block.kind != "text":
            (quoted if quoted else answer).append(block)
            continue
        head = _QUOTE_HEAD.search(block.text)
        text, rest = (block.text[:head.start()], block.text[head.start():]) if head else \
            (block.text, "")
        marked = "".join(m.group(0) for m in _QUOTED_LINE.finditer(text))
        text = _QUOTED_LINE.sub("", text)
        answer.append(Block(kind="text", text=text, locator=block.locator))
        if marked or rest:
            quoted.append(Block(kind="text", text=marked + rest, locator=block.locator))
    return answer, quoted


def _body_parts(name: str, media: str, headers: list[Block], body: list[Block]) -> list[Part]:
    """The e-mail's own part (headers and answer), then a part for quoted earlier messages."""
    answer, quoted = split_quoted(body)
    parts = [Part(name=name, media=media, blocks=headers + answer)]
    if quoted:
        parts.append(Part(name=f"{name}/quoted", media=QUOTED_MEDIA, blocks=quoted))
    return parts


def _attachments(msg: Message) -> list[Message]:
    """The message's attachments, multipart ones flattened to their leaves."""
    out: list[Message] = []
    for att in msg.iter_attachments() if isinstance(msg, EmailMessage) else []:
        if att.is_multipart() and att.get_content_type() != "message/rfc822":
            out.extend(p for p in att.walk() if not p.is_multipart())
        else:
            out.append(att)
    return out


def _attachment_bytes(att: Message, index: int) -> tuple[str, bytes]:
    """An attachment's file name and bytes (an attached e-mail as .eml)."""
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
    parts = _body_parts(name, "message/rfc822", _header_block(msg.get),
                        _body_blocks(name, msg, ctx))
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
    """An Outlook message's parts: headers and body, quoted messages, attachments."""
    from extract.load.dispatch import load_bytes

    headers = {"Subject": msg.subject, "From": msg.sender, "To": msg.to, "Date": msg.date}
    plain = str(msg.body or "")
    html = getattr(msg, "htmlBody", None)
    html_text = html.decode("utf-8", "replace") if isinstance(html, bytes) else str(html or "")
    body = (_html_blocks(name, html, ctx) if html and _prefer_html(plain, html_text)
            else [Block(kind="text", text=plain)] if plain else [])
    parts = _body_parts(name, "application/vnd.ms-outlook", _header_block(headers.get), body)
    for i, att in enumerate(msg.attachments, start=1):
        filename = getattr(att, "longFilename", None) or getattr(att, "shortFilename", None)
        payload = att.data
        if not isinstance(payload, bytes):  # an embedded message: read its own parts
            parts.extend(_msg_parts(f"{name}/{filename or f'message{i}.msg'}", payload, ctx))
            continue
        parts.extend(load_bytes(f"{name}/{filename or f'attachment{i}.bin'}", payload,
                                ctx.nested()))
    return parts
