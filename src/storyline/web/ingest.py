"""``POST /api/ingest``: the one write endpoint, off unless ``STORYLINE_INGEST_TOKEN`` is set.

With a token it takes a file upload (multipart field ``file``) or JSON ``{"url": "https://..."}`` and
answers the ingest report. Requests must carry ``Authorization: Bearer <token>``. Without a token the
endpoint answers 404, as if it did not exist.
"""

from __future__ import annotations

import hmac
import re
import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, HTTPException, Request

from .. import api
from ..errors import UsageError
from ..settings import Settings

router = APIRouter(prefix="/api", tags=["ingest"])
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def _authorise(request: Request) -> None:
    token = request.app.state.ingest_token
    if not token:
        raise HTTPException(404, "ingest is off: start the server with STORYLINE_INGEST_TOKEN set to enable it")
    given = request.headers.get("authorization", "")
    scheme, _, value = given.partition(" ")
    if scheme.lower() != "bearer" or not value:
        raise HTTPException(401, "ingest needs Authorization: Bearer <token>", headers={"WWW-Authenticate": "Bearer"})
    if not hmac.compare_digest(value.strip().encode(), token.encode()):
        raise HTTPException(403, "wrong ingest token")


@router.post("/ingest", summary="Ingest an uploaded file or a URL (needs STORYLINE_INGEST_TOKEN and a bearer token)")
async def ingest(request: Request) -> dict[str, Any]:
    _authorise(request)
    settings = Settings.load(db=request.app.state.db)
    kind = request.headers.get("content-type", "")
    if kind.startswith("application/json"):
        try:
            body = await request.json()
        except ValueError:
            raise UsageError("the body is not valid JSON; send {\"url\": \"https://...\"}") from None
        url = body.get("url") if isinstance(body, dict) else None
        if not isinstance(url, str) or not url.lower().startswith(("http://", "https://")):
            raise UsageError("JSON ingest takes {\"url\": \"http(s)://...\"}")
        return await _run(request, [url], settings)
    if kind.startswith("multipart/form-data"):
        form = await request.form()
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise UsageError("multipart ingest takes the document in a field named 'file'")
        data = await upload.read(settings.max_input_bytes + 1)
        if len(data) > settings.max_input_bytes:
            raise HTTPException(413, f"upload larger than max_input_bytes ({settings.max_input_bytes:,} bytes)")
        name = _SAFE_NAME.sub("_", Path(upload.filename or "upload").name)[-100:] or "upload"
        with tempfile.TemporaryDirectory(prefix="storyline-upload-") as tmp:
            path = Path(tmp) / name
            path.write_bytes(data)
            return await _run(request, [str(path)], settings)
    raise HTTPException(415, "send a multipart file upload (field 'file') or JSON {\"url\": ...}")


async def _run(request: Request, inputs: list[str], settings: Settings) -> dict[str, Any]:
    from starlette.concurrency import run_in_threadpool

    report = await run_in_threadpool(api.ingest, inputs, request.app.state.db, settings=settings)
    return {"ok": True, "item": report.to_json()}
