"""``POST /api/ingest``: the one write endpoint, off unless ``STORYLINE_INGEST_TOKEN`` is set.

With a token it takes a file upload (multipart field ``file``) or JSON ``{"url": "https://..."}`` and
answers the ingest report. Requests must carry ``Authorization: Bearer <token>``. Without a token the
endpoint answers 404, as if it did not exist.

Everything a request carries is bounded: the body (``max_input_bytes`` for an upload, 16 KB for JSON), one
file and a few fields per form, a URL of at most 2,000 characters; an upload is saved under a generated
name (only a known extension is kept from the name it came with, so the reader knows its format), and a URL
is fetched under the URL policy (no private addresses unless the server's ``allow_private`` is set).
"""

from __future__ import annotations

import hmac
import json
import secrets
import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import api
from ..errors import UsageError
from ..ingest.decode import kind_from_name
from ..settings import Settings

router = APIRouter(prefix="/api", tags=["ingest"])
MAX_JSON_BYTES = 16_384
MAX_URL_CHARS = 2_000
#: Extensions an upload keeps (lower-cased) so that its format is known; anything else is sniffed.
_KNOWN_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml", ".txt", ".text", ".md", ".markdown", ".json", ".jsonl",
                   ".ndjson", ".xml", ".rss", ".atom", ".rdf", ".warc")


def _authorise(request: Request) -> None:
    token = request.app.state.ingest_token
    if not token:
        raise HTTPException(404, "ingest is off: start the server with STORYLINE_INGEST_TOKEN set to enable it")
    given = request.headers.get("authorization", "")
    scheme, _, value = given.partition(" ")
    if scheme.lower() != "bearer" or not value:
        raise HTTPException(401, "ingest needs Authorization: Bearer <token>", headers={"WWW-Authenticate": "Bearer"})
    if not hmac.compare_digest(value.strip().encode("utf-8", "replace"), token.encode()):
        raise HTTPException(403, "wrong ingest token")


#: The extension an upload without a known one gets from its declared content type.
_BY_TYPE = {"text/plain": ".txt", "text/markdown": ".md", "text/html": ".html", "application/xhtml+xml": ".html",
            "application/json": ".json", "application/x-ndjson": ".jsonl", "application/jsonl": ".jsonl",
            "application/rss+xml": ".rss", "application/atom+xml": ".atom", "application/xml": ".xml",
            "text/xml": ".xml", "application/warc": ".warc"}


def upload_name(filename: str | None, content_type: str | None = None) -> str:
    """A generated file name for an upload, keeping only a known extension (and ``.gz``) of ``filename``, else
    one its declared content type names; with neither, the reader sniffs the format from the bytes."""
    name = (filename or "").lower().rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    gz = name.endswith(".gz")
    stem = name[:-3] if gz else name
    suffix = next((x for x in _KNOWN_SUFFIXES if stem.endswith(x)), "")
    if not suffix:
        suffix = _BY_TYPE.get((content_type or "").split(";")[0].strip().lower(), "")
    if suffix and not kind_from_name("x" + suffix):
        suffix = ""
    return f"upload-{secrets.token_hex(8)}{suffix}{'.gz' if gz and suffix else ''}"


async def _body(request: Request, cap: int) -> bytes:
    """The request body, refused (413) past ``cap`` bytes without reading further."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > cap:
        raise HTTPException(413, f"request body larger than {cap:,} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > cap:
            raise HTTPException(413, f"request body larger than {cap:,} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


@router.post("/ingest", summary="Ingest an uploaded file or a URL (needs STORYLINE_INGEST_TOKEN and a bearer token)")
async def ingest(request: Request) -> dict[str, Any]:
    _authorise(request)
    settings = Settings.load(db=request.app.state.db)
    kind = request.headers.get("content-type", "").lower()
    if kind.startswith("application/json"):
        try:
            body = json.loads(await _body(request, MAX_JSON_BYTES))
        except (ValueError, RecursionError):  # not JSON, not UTF-8, or nested past the parser's depth
            raise UsageError("the body is not valid JSON; send {\"url\": \"https://...\"}") from None
        url = body.get("url") if isinstance(body, dict) else None
        if not isinstance(url, str) or not url.lower().startswith(("http://", "https://")):
            raise UsageError("JSON ingest takes {\"url\": \"http(s)://...\"}")
        if len(url) > MAX_URL_CHARS or any(ord(c) < 33 or 0xD800 <= ord(c) <= 0xDFFF for c in url):
            raise UsageError(f"the URL must be at most {MAX_URL_CHARS:,} characters, without spaces or control "
                             "characters")
        return await _run(request, [url], settings)
    if kind.startswith("multipart/form-data"):
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > settings.max_input_bytes + 65_536:
            raise HTTPException(413, f"upload larger than max_input_bytes ({settings.max_input_bytes:,} bytes)")
        try:
            form = await request.form(max_files=1, max_fields=8)
        except StarletteHTTPException:
            raise
        except Exception as exc:  # a malformed multipart body
            raise UsageError(f"the multipart body cannot be read ({type(exc).__name__}); send one file in a "
                             "field named 'file'") from None
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise UsageError("multipart ingest takes the document in a field named 'file'")
        data = await upload.read(settings.max_input_bytes + 1)
        if len(data) > settings.max_input_bytes:
            raise HTTPException(413, f"upload larger than max_input_bytes ({settings.max_input_bytes:,} bytes)")
        with tempfile.TemporaryDirectory(prefix="storyline-upload-") as tmp:
            path = Path(tmp) / upload_name(upload.filename, upload.content_type)
            path.write_bytes(data)
            return await _run(request, [str(path)], settings)
    raise HTTPException(415, "send a multipart file upload (field 'file') or JSON {\"url\": ...}")


async def _run(request: Request, inputs: list[str], settings: Settings) -> dict[str, Any]:
    from starlette.concurrency import run_in_threadpool

    report = await run_in_threadpool(api.ingest, inputs, request.app.state.db, settings=settings)
    return {"ok": True, "item": report.to_json()}
