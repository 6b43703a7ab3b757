"""The workshop's web pages and their HTTP rules (Starlette; with ``incoming``, its only users).

Owns the routes (join, the participant's page and decisions, the trainer's page, actions and
debrief, a QR code, the shipped static files), who may call what (a participant by the token in
their cookie or an ``Authorization: Bearer`` header; the trainer by a cookie earned with the
trainer code), and the answers to bad requests: a clear 4xx that changes nothing (400 malformed,
401/403 not allowed, 404, 409 not now, 413 too large, 422 invalid, 429 too many). Pages are
rendered on the server (Jinja2 templates, inline SVG); forms work without JavaScript, and every
endpoint also speaks JSON for scripts and the load benchmark.
"""

from __future__ import annotations

import io
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import jinja2
import segno
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from thermosim.errors import ThermosimError
from thermosim.play.debrief import Debrief, make_debrief
from thermosim.play.decisions import Course, DecisionError, parse_decisions
from thermosim.play.game import GameError
from thermosim.play.guard import Attempts, Guard, client_of
from thermosim.play.incoming import (
    RefusedError,
    accepts,
    form_fields,
    is_json,
    payload,
    same_origin,
)
from thermosim.play.pages import debrief_page, form_decision, seat_page, status_page
from thermosim.play.store import Seat, StoreError
from thermosim.play.words import LANGS, word
from thermosim.play.workshop import Workshop, WorkshopError

HERE = Path(__file__).parent
SEAT_DAYS = 7
TRAINER_ACTIONS = ("start", "next", "self-paced", "trainer-paced", "finish")


Handler = Callable[[Request], Awaitable[Response]]


class Site:
    """The pages of one workshop.

    Parameters
    ----------
    workshop
        The game being played.
    join_url
        The address participants join at (printed, shown and in the QR code).
    """

    def __init__(self, workshop: Workshop, join_url: str) -> None:
        self.workshop = workshop
        self.join_url = join_url
        self.attempts = Attempts()
        self.templates = jinja2.Environment(
            loader=jinja2.FileSystemLoader(HERE / "templates"),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
        )
        self.seat_cookie = f"seat_{workshop.game_code}"
        self.trainer_cookie = f"trainer_{workshop.game_code}"
        self._debrief: Debrief | None = None

    # --- plumbing ---------------------------------------------------------------------------

    def lang(self, request: Request, seat: Seat | None = None) -> str:
        """The page language: ?lang=, then the cookie, the seat's, the browser's, English."""
        asked = request.query_params.get("lang", "")
        if asked in LANGS:
            return asked
        cookie = request.cookies.get("lang", "")
        if cookie in LANGS:
            return cookie
        if seat is not None:
            return seat.lang
        accept = request.headers.get("accept-language", "").lower()
        return "nl" if accept.startswith("nl") else "en"

    def render(
        self, request: Request, template: str, lang: str, status: int = 200, **data: Any
    ) -> Response:
        """A page from ``templates/``, in ``lang``."""
        page = self.templates.get_template(template).render(
            lang=lang,
            w=lambda key, **fields: word(key, lang, **fields),
            path=request.url.path,
            **data,
        )
        response = HTMLResponse(page, status_code=status)
        if request.query_params.get("lang", "") in LANGS:
            response.set_cookie("lang", lang, max_age=SEAT_DAYS * 86400, samesite="lax")
        return response

    def seat(self, request: Request) -> Seat | None:
        """The participant calling: by bearer token, else by cookie."""
        auth = request.headers.get("authorization", "")
        token = auth[7:].strip() if auth.lower().startswith("bearer ") else ""
        return self.workshop.seat_of(token or request.cookies.get(self.seat_cookie, ""))

    def is_trainer(self, request: Request) -> bool:
        """Whether the trainer's cookie came with the request."""
        return self.workshop.is_trainer_pass(request.cookies.get(self.trainer_cookie, ""))

    # --- participants -----------------------------------------------------------------------

    async def home(self, request: Request) -> Response:
        """GET /: the join form (or the participant's page for a seated participant)."""
        if self.seat(request) is not None:
            return RedirectResponse("/play", status_code=303)
        return self.render(request, "join.html", self.lang(request), code="", error=None)

    async def join_link(self, request: Request) -> Response:
        """GET /j/CODE: the join form with the game code filled in (the QR code's target)."""
        code = str(request.path_params["code"])[:16]
        if self.seat(request) is not None:
            return RedirectResponse("/play", status_code=303)
        return self.render(request, "join.html", self.lang(request), code=code, error=None)

    async def join(self, request: Request) -> Response:
        """POST /join: seat a participant (code, name, lang); their token in a cookie."""
        data = await payload(request, ("code", "name", "lang"))
        client = client_of(request.scope)
        if self.attempts.blocked(client):
            raise RefusedError(429, "too many wrong codes; wait a few minutes")
        if not self.workshop.is_game_code(str(data.get("code", ""))):
            self.attempts.failed(client)
            raise RefusedError(403, "that is not this game's code")
        lang = str(data.get("lang") or self.lang(request))
        seat, token = await run_in_threadpool(self.workshop.join, str(data.get("name", "")), lang)
        if is_json(request):
            response: Response = JSONResponse(
                {"id": seat.id, "name": seat.name, "token": token}, status_code=201
            )
        else:
            response = RedirectResponse("/play", status_code=303)
        response.set_cookie(
            self.seat_cookie, token, max_age=SEAT_DAYS * 86400, httponly=True, samesite="lax"
        )
        return response

    async def play(self, request: Request) -> Response:
        """GET /play: the participant's page (lobby, report and lever menu, waiting, over)."""
        seat = self.seat(request)
        if seat is None:
            if is_json(request):
                raise RefusedError(401, "join the game first (no valid participant token)")
            return RedirectResponse("/", status_code=303)
        lang = self.lang(request, seat)
        return self.render(
            request, "play.html", lang, **seat_page(self.workshop.view(seat.id), lang), error=None
        )

    async def decide(self, request: Request) -> Response:
        """POST /play: the participant's decision for their round (form or JSON)."""
        seat = self.seat(request)
        if seat is None:
            raise RefusedError(401, "join the game first (no valid participant token)")
        view = self.workshop.view(seat.id)
        lang = self.lang(request, seat)
        try:
            if is_json(request):
                sent = await payload(request)
            else:
                course = view.report.course if view.report is not None else Course()
                sent = form_decision(await form_fields(request), course)
            round_, decisions = parse_decisions(sent)
            await run_in_threadpool(self.workshop.decide, seat.id, round_, decisions)
        except (DecisionError, WorkshopError) as exc:
            status = exc.status if isinstance(exc, WorkshopError) else 422
            if is_json(request):
                raise RefusedError(status, str(exc)) from None
            data = seat_page(self.workshop.view(seat.id), lang)
            return self.render(request, "play.html", lang, status, **data, error=str(exc))
        if is_json(request):
            return JSONResponse(self.seat_json(seat))
        return RedirectResponse("/play", status_code=303)

    async def me(self, request: Request) -> Response:
        """GET /api/me: the participant's state as JSON."""
        seat = self.seat(request)
        if seat is None:
            raise RefusedError(401, "join the game first (no valid participant token)")
        return JSONResponse(self.seat_json(seat))

    def seat_json(self, seat: Seat) -> dict[str, Any]:
        """The participant's state for scripts: state, round, and the report's numbers."""
        view = self.workshop.view(seat.id)
        data: dict[str, Any] = {
            "name": seat.name,
            "state": view.state,
            "round": view.round,
            "rounds": view.rounds,
        }
        if view.report is not None and view.state == "decide":
            report = view.report
            data["report"] = {
                "round": report.round,
                "week": report.week,
                "reported_eur": report.reported_eur,
                "target_eur": report.target_eur,
                "trend_eur": report.trend_eur,
                "pipeline_eur": report.pipeline_eur,
                "fatigue": report.fatigue,
                "news": [n.kind for n in report.news],
            }
        return data

    # --- the trainer ------------------------------------------------------------------------

    async def trainer(self, request: Request) -> Response:
        """GET /trainer: the code form, or the room with its controls."""
        lang = self.lang(request)
        if not self.is_trainer(request):
            return self.render(request, "trainer_login.html", lang, error=None)
        status = self.workshop.status()
        return self.render(
            request,
            "trainer.html",
            lang,
            **status_page(status, lang),
            join_url=self.join_url,
            game_code=self.workshop.game_code,
            title=self.workshop.setup.scenario.title,
        )

    async def trainer_login(self, request: Request) -> Response:
        """POST /trainer/login: the trainer code earns the trainer's cookie."""
        data = await payload(request, ("code",))
        client = client_of(request.scope)
        if self.attempts.blocked(client):
            raise RefusedError(429, "too many wrong codes; wait a few minutes")
        if not self.workshop.is_trainer_code(str(data.get("code", ""))):
            self.attempts.failed(client)
            raise RefusedError(403, "that is not the trainer code")
        response: Response = (
            JSONResponse({"trainer": True})
            if is_json(request)
            else RedirectResponse("/trainer", status_code=303)
        )
        response.set_cookie(
            self.trainer_cookie,
            self.workshop.trainer_pass(),
            max_age=SEAT_DAYS * 86400,
            httponly=True,
            samesite="lax",
        )
        return response

    def require_trainer(self, request: Request) -> None:
        """403 unless the trainer is calling."""
        if not self.is_trainer(request):
            raise RefusedError(403, "only the trainer may do this (log in with the trainer code)")

    async def trainer_action(self, request: Request) -> Response:
        """POST /trainer/ACTION: start, next, self-paced, trainer-paced, finish."""
        self.require_trainer(request)
        await payload(request, ())  # no fields: a body with any is refused
        action = str(request.path_params["action"])
        calls: dict[str, Callable[[], None]] = {
            "start": self.workshop.start,
            "next": self.workshop.next_round,
            "self-paced": lambda: self.workshop.set_self_paced(True),
            "trainer-paced": lambda: self.workshop.set_self_paced(False),
            "finish": self.workshop.finish,
        }
        if action not in calls:
            raise RefusedError(404, f"no trainer action '{action}'")
        await run_in_threadpool(calls[action])
        if is_json(request):
            return JSONResponse(self.status_json())
        return RedirectResponse("/trainer", status_code=303)

    def status_json(self) -> dict[str, Any]:
        """The room for scripts: phase, rounds, and each participant's round."""
        status = self.workshop.status()
        return {
            "phase": status.phase,
            "self_paced": status.self_paced,
            "opened": status.opened,
            "rounds": status.rounds,
            "participants": [
                {"name": s.seat.name, "round": s.round, "decided": s.decided_open_round}
                for s in status.seats
            ],
        }

    async def trainer_status(self, request: Request) -> Response:
        """GET /trainer/status: the room as JSON."""
        self.require_trainer(request)
        return JSONResponse(self.status_json())

    async def debrief(self, request: Request) -> Response:
        """GET /trainer/debrief: everyone beside the policies, once the game is over."""
        self.require_trainer(request)
        if self.workshop.phase != "finished":
            raise RefusedError(409, "the debrief comes when the game is over")
        if self._debrief is None:
            self._debrief = await run_in_threadpool(self.make_debrief)
        lang = self.lang(request)
        if is_json(request):
            return JSONResponse(self._debrief.to_json())
        return self.render(request, "debrief.html", lang, **debrief_page(self._debrief, lang))

    def make_debrief(self) -> Debrief:
        """The debrief of the finished game (every participant's run beside the policies)."""
        workshop = self.workshop
        runs = [(i, seat.name, workshop.games[i].result()) for i, seat in workshop.seats.items()]
        return make_debrief(workshop.setup, runs, workshop.setup.comparisons())

    async def qr(self, request: Request) -> Response:
        """GET /trainer/qr.svg: the join address as a QR code."""
        self.require_trainer(request)
        buffer = io.BytesIO()
        segno.make(self.join_url, error="m").save(
            buffer, kind="svg", scale=8, border=2, xmldecl=False
        )
        return Response(buffer.getvalue(), media_type="image/svg+xml")

    # --- errors -----------------------------------------------------------------------------

    def problem(self, request: Request, status: int, message: str) -> Response:
        """A refusal: JSON for scripts, a short page for people."""
        if is_json(request) or (request.method != "GET" and "text/html" not in accepts(request)):
            return JSONResponse({"error": message}, status_code=status)
        lang = self.lang(request)
        return self.render(request, "error.html", lang, status, message=message)


def make_app(workshop: Workshop, join_url: str, *, limits: bool = True) -> Any:
    """The ASGI application of ``workshop`` (behind ``Guard`` unless ``limits`` is False)."""
    site = Site(workshop, join_url)

    def guarded(handler: Handler) -> Handler:
        async def call(request: Request) -> Response:
            try:
                if request.method == "POST" and not same_origin(request):
                    raise RefusedError(403, "this form belongs to another site")
                return await handler(request)
            except RefusedError as exc:
                return site.problem(request, exc.status, str(exc))
            except WorkshopError as exc:
                return site.problem(request, exc.status, str(exc))
            except DecisionError as exc:
                return site.problem(request, 422, str(exc))
            except (StoreError, GameError) as exc:
                return site.problem(request, 409, str(exc))
            except ThermosimError as exc:
                return site.problem(request, 400, str(exc))

        return call

    routes = [
        Route("/", guarded(site.home), methods=["GET"]),
        Route("/j/{code}", guarded(site.join_link), methods=["GET"]),
        Route("/join", guarded(site.join), methods=["POST"]),
        Route("/play", guarded(site.play), methods=["GET"]),
        Route("/play", guarded(site.decide), methods=["POST"]),
        Route("/api/me", guarded(site.me), methods=["GET"]),
        Route("/trainer", guarded(site.trainer), methods=["GET"]),
        Route("/trainer/login", guarded(site.trainer_login), methods=["POST"]),
        Route("/trainer/status", guarded(site.trainer_status), methods=["GET"]),
        Route("/trainer/debrief", guarded(site.debrief), methods=["GET"]),
        Route("/trainer/qr.svg", guarded(site.qr), methods=["GET"]),
        Route("/trainer/{action}", guarded(site.trainer_action), methods=["POST"]),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    app = Starlette(routes=routes)
    app.state.site = site
    return Guard(app) if limits else app
