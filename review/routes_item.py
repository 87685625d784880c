"""The item screen: one fax, its pages and fields, and every change a VA makes to it."""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path

import numpy as np
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from PIL import Image
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from core.doctypes import DOCUMENT_TYPES, fields_of
from extractors.loading import UnreadableInput, open_fax, sniff_format
from extractors.ocr import as_read
from extractors.raster import page_image
from review.accounts import Identity
from review.audit import record
from review.corrections import InvalidValue
from review.item_view import FieldErrors, item_context
from review.outcomes import CannotFinish, approve, discard, escalate, request_information, sender_of
from review.web import DB, CheckedForm, CurrentUser, Supervisor, csrf_token, services_of, templates
from review.worklist import ClaimedByOther, active_claimant, claim, reassign, release
from storage.models import Fax, FlagRow, Page, utcnow
from storage.objects import page_image_key
from workers.queue import enqueue_export

router = APIRouter(prefix="/faxes/{fax_id}")


@router.get("", response_class=HTMLResponse)
def item_page(request: Request, fax_id: int, who: CurrentUser, session: DB) -> HTMLResponse:
    fax = _fax(session, fax_id)
    try:
        claim(session, fax, who, services_of(request).settings)
    except ClaimedByOther as other:
        record(session, who, "viewed", fax.id, claimed_by=other.username)
        session.commit()
        return _render(request, fax, who, held_by=other.username)
    record(session, who, "viewed", fax.id)
    session.commit()
    return _render(request, fax, who)


@router.post("/fields")
def set_field(request: Request, fax_id: int, who: CurrentUser, session: DB, form: CheckedForm) -> Response:
    fax = _claimed(request, session, fax_id, who)
    document, key, raw = str(form.get("document", "")), str(form.get("key", "")), str(form.get("value", ""))
    position = int(document) if document.isdigit() else -1
    doc = next((d for d in fax.documents if d.position == position), None)
    if doc is None:
        raise HTTPException(404, "no such document")
    editor = request.app.state.editor
    try:
        editor.set_field(session, doc, key, raw, who, services_of(request).settings.today())
    except InvalidValue as invalid:
        session.rollback()
        if key not in fields_of(doc.type):  # no input on the screen to show it beside
            return _render(request, _fax(session, fax_id), who, problem=str(invalid), status=422)
        errors: FieldErrors = {(position, key): (str(invalid), raw)}
        return _render(
            request, _fax(session, fax_id), who, errors=errors, focus=form.get("index"), status=422
        )
    editor.reevaluate(fax)
    session.commit()
    return _back(fax_id, _next_index(form.get("index")))


@router.post("/pages/{number}/type")
def set_page_type(
    request: Request,
    fax_id: int,
    number: int,
    who: CurrentUser,
    session: DB,
    form: CheckedForm,
) -> Response:
    return _edit(
        request,
        session,
        fax_id,
        who,
        lambda e, f: e.set_page_type(session, f, number, str(form.get("type")), who),
    )


@router.post("/pages/{number}/split")
def split(
    request: Request,
    fax_id: int,
    number: int,
    who: CurrentUser,
    session: DB,
    _csrf: CheckedForm,
) -> Response:
    return _edit(request, session, fax_id, who, lambda e, f: e.split(session, f, number, who))


@router.post("/documents/{position}/merge")
def merge(
    request: Request,
    fax_id: int,
    position: int,
    who: CurrentUser,
    session: DB,
    _csrf: CheckedForm,
) -> Response:
    return _edit(request, session, fax_id, who, lambda e, f: e.merge_with_previous(session, f, position, who))


@router.post("/flags/{flag_id}")
def resolve_flag(
    request: Request,
    fax_id: int,
    flag_id: int,
    who: CurrentUser,
    session: DB,
    form: CheckedForm,
) -> Response:
    fax = _claimed(request, session, fax_id, who)
    flag = session.get(FlagRow, flag_id)
    if flag is None or flag.fax_id != fax.id:
        raise HTTPException(404, "no such flag")
    resolution, note = str(form.get("resolution", "resolved")), str(form.get("note", ""))
    request.app.state.editor.resolve_flag(session, flag, resolution, note, who)
    request.app.state.editor.reevaluate(fax)
    session.commit()
    return _back(fax_id)


@router.post("/approve")
def approve_fax(request: Request, fax_id: int, who: CurrentUser, session: DB, form: CheckedForm) -> Response:
    services = services_of(request)
    finished = _finish(
        request,
        form,
        session,
        fax_id,
        who,
        lambda fax, form: approve(session, fax, who, services.settings, services.store),
    )
    if finished.status_code == 303 and services.settings.fhir_base_url:
        enqueue_export(services, fax_id)
    return finished


@router.post("/escalate")
def escalate_fax(request: Request, fax_id: int, who: CurrentUser, session: DB, form: CheckedForm) -> Response:
    return _finish(
        request,
        form,
        session,
        fax_id,
        who,
        lambda fax, form: escalate(session, fax, who, str(form.get("note", ""))),
    )


@router.post("/discard")
def discard_fax(request: Request, fax_id: int, who: CurrentUser, session: DB, form: CheckedForm) -> Response:
    return _finish(
        request,
        form,
        session,
        fax_id,
        who,
        lambda fax, form: discard(session, fax, who, str(form.get("reason", ""))),
    )


@router.post("/request-info")
def request_info(request: Request, fax_id: int, who: CurrentUser, session: DB, form: CheckedForm) -> Response:
    services = services_of(request)
    return _finish(
        request,
        form,
        session,
        fax_id,
        who,
        lambda fax, form: request_information(
            session, fax, who, services.settings, services.store, services.settings.today()
        ),
        then=f"/faxes/{fax_id}",
    )


def _finish(
    request: Request, form: FormData, session: Session, fax_id: int, who: Identity, outcome, then: str = "/"
) -> Response:
    """Run a review outcome on the claimed fax; show why on the item screen if it is refused."""
    fax = _claimed(request, session, fax_id, who)
    try:
        outcome(fax, form)
    except CannotFinish as refused:
        return _render(request, fax, who, problem=str(refused), status=409)
    session.commit()
    return RedirectResponse(then, status_code=303)


@router.post("/release")
def release_fax(request: Request, fax_id: int, who: CurrentUser, session: DB, _csrf: CheckedForm) -> Response:
    fax = _fax(session, fax_id)
    holder = active_claimant(fax, services_of(request).settings)
    if holder is not None and holder.id != who.id and not who.can("supervisor"):
        raise HTTPException(403, "only the holder or a supervisor can release a claim")
    release(fax)
    record(session, who, "released", fax.id)
    session.commit()
    return RedirectResponse("/", status_code=303)


@router.post("/reassign")
def reassign_fax(request: Request, fax_id: int, who: Supervisor, session: DB, form: CheckedForm) -> Response:
    fax = _fax(session, fax_id)
    try:
        user = reassign(session, fax, str(form.get("username", "")))
    except ValueError as bad:
        raise HTTPException(400, str(bad)) from None
    record(session, who, "reassigned", fax.id, to=user.username)
    session.commit()
    return RedirectResponse("/", status_code=303)


@router.get("/pages/{number}.png")
def page_png(
    request: Request,
    fax_id: int,
    number: int,
    who: CurrentUser,
    session: DB,
) -> Response:
    fax = _fax(session, fax_id)
    store = services_of(request).store
    page = next((p for p in fax.pages if p.number == number), None)
    if page is None:
        raise HTTPException(404, f"this fax has no page {number}")
    key = page_image_key(fax.sha256, number)
    if not store.exists(key):
        rotation, skew = page.rotation, _skew(store, page)
        original = store.get(fax.original_key)
        store.put(key, _render_page(original, number, rotation, skew, services_of(request).settings))
    return Response(store.get(key), media_type="image/png", headers={"Cache-Control": "no-store"})


@router.get("/letter.pdf")
def letter_pdf(request: Request, fax_id: int, who: CurrentUser, session: DB) -> Response:
    fax = _fax(session, fax_id)
    if not fax.letter_key:
        raise HTTPException(404, "no letter for this fax")
    record(session, who, "letter_downloaded", fax.id)
    session.commit()
    return Response(services_of(request).store.get(fax.letter_key), media_type="application/pdf")


ORIGINAL_TYPES = {"pdf": "application/pdf", "tiff": "image/tiff", "png": "image/png", "jpeg": "image/jpeg"}


@router.get("/original")
def original_file(request: Request, fax_id: int, who: CurrentUser, session: DB) -> Response:
    """The fax as it arrived, to view, download or print (audited). A file that is no fax is
    offered only as a download, never shown in the browser."""
    fax = _fax(session, fax_id)
    original = services_of(request).store.get(fax.original_key)
    try:
        media_type, disposition = ORIGINAL_TYPES[sniff_format(original[:1024])], "inline"
    except UnreadableInput:
        media_type, disposition = "application/octet-stream", "attachment"
    record(session, who, "original_viewed", fax.id)
    session.commit()
    headers = {"Content-Disposition": f'{disposition}; filename="fax-{fax.id}"', "Cache-Control": "no-store"}
    return Response(original, media_type=media_type, headers=headers)


def _edit(request: Request, session: Session, fax_id: int, who: Identity, change) -> Response:
    fax = _claimed(request, session, fax_id, who)
    editor = request.app.state.editor
    try:
        change(editor, fax)
    except InvalidValue as invalid:
        session.rollback()
        return _render(request, _fax(session, fax_id), who, problem=str(invalid), status=422)
    editor.reevaluate(fax)
    session.commit()
    return _back(fax_id)


def _fax(session: Session, fax_id: int) -> Fax:
    fax = session.get(Fax, fax_id)
    if fax is None:
        raise HTTPException(404, "no such fax")
    return fax


def _claimed(request: Request, session: Session, fax_id: int, who: Identity) -> Fax:
    """The fax, claimed by `who` (claims are renewed by every change); 409 if someone else has it."""
    fax = _fax(session, fax_id)
    try:
        claim(session, fax, who, services_of(request).settings)
    except ClaimedByOther as other:
        raise HTTPException(409, f"{other.username} is working on this fax") from None
    fax.claimed_at = utcnow()
    return fax


def _render(
    request: Request,
    fax: Fax,
    who: Identity,
    errors: FieldErrors | None = None,
    focus=None,
    held_by: str | None = None,
    problem: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    services = services_of(request)
    context = item_context(fax, services.settings, services.store, errors)
    context |= {
        "who": who,
        "csrf": csrf_token(request),
        "held_by": held_by,
        "problem": problem,
        "focus": focus if focus is not None else request.query_params.get("focus", ""),
        "sender": sender_of(fax),
        "doc_types": DOCUMENT_TYPES,
    }
    return templates.TemplateResponse(request, "item.html", context, status_code=status)


def _back(fax_id: int, focus: int | None = None) -> RedirectResponse:
    suffix = f"?focus={focus}" if focus is not None else ""
    return RedirectResponse(f"/faxes/{fax_id}{suffix}", status_code=303)


def _next_index(index) -> int | None:
    return int(index) + 1 if str(index or "").isdigit() else None


def _skew(store, page: Page) -> float:
    """How far OCR levelled the page: kept with its words (pages read before it levelled
    any have none)."""
    return (
        float(json.loads(store.get(page.text_key)).get("skew", 0.0)) if store.exists(page.text_key) else 0.0
    )


def _render_page(original: bytes, number: int, rotation: int, skew: float, settings) -> bytes:
    """The page as the pipeline read it (square pixels, levelled and turned upright as OCR
    did), so word boxes land on it; made on first view and kept, rather than by every OCR job."""
    with tempfile.NamedTemporaryFile(suffix=".fax") as tmp:
        tmp.write(original)
        tmp.flush()
        image = page_image(open_fax(Path(tmp.name), settings), number)
    if skew or rotation:
        image = Image.fromarray(as_read(np.asarray(image.convert("L")), skew, rotation))
    image.thumbnail((1400, 1800))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
