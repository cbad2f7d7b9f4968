"""Zip archives: members loaded recursively, within caps on count, unpacked size and depth."""

from __future__ import annotations

import zipfile
import zlib
from io import BytesIO

from extract.document import Part
from extract.errors import LoadError
from extract.load.base import LoadContext

_CHUNK = 1 << 20


def _skipped(filename: str) -> bool:
    base = filename.rstrip("/").rsplit("/", 1)[-1]
    return base.startswith(".") or filename.startswith("__MACOSX/") or not base


def _read_capped(zf: zipfile.ZipFile, info: zipfile.ZipInfo, ctx: LoadContext) -> bytes:
    """A member's bytes, counting every byte against the reply's unpacked-size budget."""
    if info.flag_bits & 0x1:
        raise LoadError("encrypted member (a password is needed)")
    cap = ctx.limits.max_unzipped_bytes
    out = bytearray()
    try:
        with zf.open(info) as fh:
            while chunk := fh.read(_CHUNK):
                out += chunk
                ctx.unzipped[0] += len(chunk)
                if ctx.unzipped[0] > cap:
                    raise LoadError(f"unpacks to more than {cap:,} bytes (zip bomb?); stopped")
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as exc:
        raise LoadError(f"corrupt member ({exc})") from exc
    return bytes(out)


def load_zip(name: str, data: bytes, ctx: LoadContext) -> list[Part]:
    """Every member of a zip as parts named "outer.zip/member"."""
    from extract.load.dispatch import load_bytes

    try:
        zf = zipfile.ZipFile(BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise LoadError(f"corrupt or truncated zip ({exc})") from exc
    parts: list[Part] = []
    with zf:
        infos = [i for i in zf.infolist() if not i.is_dir() and not _skipped(i.filename)]
        _check_caps(name, infos, ctx)
        for info in infos[: ctx.limits.max_zip_members]:
            member = f"{name}/{info.filename}"
            try:
                payload = _read_capped(zf, info, ctx)
            except LoadError as exc:
                ctx.errors.append(f"{member}: {exc}")
                if ctx.unzipped[0] > ctx.limits.max_unzipped_bytes:
                    break
                continue
            parts.extend(load_bytes(member, payload, ctx.nested()))
    return parts


def _check_caps(name: str, infos: list[zipfile.ZipInfo], ctx: LoadContext) -> None:
    """Refuse a bomb by its declared sizes; warn when only the first members will be read."""
    if not infos:
        ctx.warnings.append(f"{name}: empty archive")
    declared = sum(i.file_size for i in infos[: ctx.limits.max_zip_members])
    cap = ctx.limits.max_unzipped_bytes
    if ctx.unzipped[0] + declared > cap:
        raise LoadError(f"members would unpack to {declared:,} bytes, over the limit of "
                        f"{cap:,} (zip bomb?)")
    if len(infos) > ctx.limits.max_zip_members:
        ctx.warnings.append(f"{name}: {len(infos)} members; only the first "
                            f"{ctx.limits.max_zip_members} were read")
